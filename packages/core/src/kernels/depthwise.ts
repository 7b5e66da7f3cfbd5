// DepthwiseConv2dNative, FusedDepthwiseConv2D and both gradients on the direct wasm kernels
// (assembly/depthwise.ts). The kernels take one filter per channel; a channel multiplier M > 1
// runs on x with each channel repeated M times (the filter's [C, M] is then one axis of C*M),
// and the input gradient folds those repeats back by summing.
import { DepthwiseFilterGradAttr, attrWords } from '@lanes/kernels-wasm';
import {
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  FusedDepthwiseConv2D,
  backend_util,
  util,
  type DepthwiseConv2dNativeAttrs,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type FusedDepthwiseConv2DAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import {
  fitOutputGrad,
  forwardGeometry,
  forwardTaps,
  gradientPhases,
  padForTaps,
  phaseGeometry,
  runDepthwise,
} from './shared/conv.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { kernelEpilogue, type FusedEpilogue } from './shared/epilogue.js';
import type { LanesKernel } from './shared/kernel_config.js';
import { inNhwc } from './shared/nhwc.js';
import { Scratch } from './shared/scratch.js';

/** x [N,H,W,C] with every channel repeated m times: [N,H,W,C*m] (x itself when m = 1). */
function expandChannels(backend: LanesBackend, scratch: Scratch, x: TensorInfo, m: number): TensorInfo {
  if (m === 1) return x;
  const [n, h, w, c] = x.shape;
  const xe = scratch.tensor(backend.makeOutputInfo([n, h, w, c * m], 'float32'));
  if (n * h * w * c > 0)
    backend.parallel('depthwise_expand_f32', [backend.ptr(x), backend.ptr(xe), c, m], n * h * w, c * m);
  return xe;
}

/** Depthwise forward (+ bias, activation); returns a new tensor in convInfo's layout. */
function depthwiseForward(
  backend: LanesBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  ep?: FusedEpilogue,
): TensorInfo {
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const { batchSize: n, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { filterHeight: fh, filterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  if (n * oh * ow * oc === 0) return backend.makeOutputInfo(info.outShape, 'float32');
  return inNhwc(backend, channelsFirst, [x], (scratch, [xs]) => {
    const xe = expandChannels(backend, scratch, xs, oc / ic);
    const fused = kernelEpilogue(backend, scratch, ep, oc, channelsFirst);
    const y = backend.makeOutputInfo([n, oh, ow, oc], 'float32');
    runDepthwise(
      backend,
      scratch,
      backend.ptr(xe),
      backend.ptr(filter),
      backend.ptr(y),
      forwardGeometry(info, oc),
      n,
      forwardTaps(fh, fw, dh, dw),
      fw,
      scratch.zeros(4),
      fused,
    );
    return { out: y, rest: fused.rest };
  });
}

/** dx [N,H,W,C] of a depthwise convolution (NHWC). */
function depthwiseBackpropInputImpl(
  backend: LanesBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  const dx = backend.makeOutputInfo([n, h, w, ic], 'float32');
  if (n * h * w * ic === 0) return dx;
  const m = oc / ic;
  const scratch = new Scratch(backend);
  try {
    const dxe = m === 1 ? dx : scratch.tensor(backend.makeOutputInfo([n, h, w, oc], 'float32'));
    const dyFit = fitOutputGrad(backend, scratch, dy, oh, ow);
    const zero = scratch.zeros(4);
    const none = kernelEpilogue(backend, scratch, undefined, oc, false);
    for (const phase of gradientPhases(h, w, fh, fw, sh, sw, dh, dw, info.padInfo.top, info.padInfo.left)) {
      runDepthwise(
        backend,
        scratch,
        backend.ptr(dyFit),
        backend.ptr(filter),
        backend.ptr(dxe),
        phaseGeometry(info, phase, oc),
        n,
        phase.taps,
        fw,
        zero,
        none,
      );
    }
    if (m > 1) backend.parallel('depthwise_reduce_f32', [backend.ptr(dxe), backend.ptr(dx), ic, m], n * h * w, oc);
    return dx;
  } finally {
    scratch.release();
  }
}

/** dW [FH,FW,C,M] of a depthwise convolution (NHWC). */
function depthwiseBackpropFilterImpl(
  backend: LanesBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  const dW = backend.makeOutputInfo(info.filterShape, 'float32');
  const taps = fh * fw;
  if (taps * oc === 0) return dW;
  if (n * oh * ow === 0) {
    backend.f32(dW).fill(0);
    return dW;
  }
  const scratch = new Scratch(backend);
  try {
    const padded = padForTaps(backend, scratch, x, oh, ow, fh, fw, sh, sw, dh, dw, info.padInfo.top, info.padInfo.left);
    const xe = expandChannels(backend, scratch, padded.x, oc / ic);
    const offsets = forwardTaps(fh, fw, dh, dw).map((t) => (t.oy * padded.w + t.ox) * oc * 4);
    const table = scratch.words(offsets);
    const dyFit = fitOutputGrad(backend, scratch, dy, oh, ow);
    // Filter rows of 3 adjacent taps at column stride 1 take the kernel's sliding path (one item per row).
    const rows3 = fw === 3 && dw === 1 && sw === 1;
    const attrs = backend.attrs(
      attrWords(DepthwiseFilterGradAttr, {
        H: padded.h,
        W: padded.w,
        C: oc,
        DY_H: oh,
        DY_W: ow,
        BATCH: n,
        STRIDE_H: sh,
        STRIDE_W: sw,
        NTAPS: taps,
        TABLE: table,
        ROWS3: rows3 ? 1 : 0,
      }),
    );
    const items = Math.ceil(oc / 4) * (rows3 ? fh : Math.ceil(taps / 4));
    backend.parallel(
      'depthwise_filter_grad_f32',
      [backend.ptr(xe), backend.ptr(dyFit), backend.ptr(dW), attrs],
      items,
      n * oh * ow * 16,
    );
    return dW;
  } finally {
    scratch.release();
  }
}

function forwardInfo(
  x: TensorInfo,
  filter: TensorInfo,
  a: DepthwiseConv2dNativeAttrs,
  op: string,
): backend_util.Conv2DInfo {
  const dilations = a.dilations ?? [1, 1];
  util.assert(
    backend_util.eitherStridesOrDilationsAreOne(a.strides, dilations),
    () =>
      `Error in ${op}: Either strides or dilations must be 1. Got strides ${a.strides} and dilations '${dilations}'`,
  );
  return backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    dilations,
    a.pad,
    a.dimRoundingMode,
    true,
    backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC'),
  );
}

const depthwiseKernel = (): KernelFunc => {
  const fallback = cpuKernel(DepthwiseConv2dNative);
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as DepthwiseConv2dNativeAttrs;
    return depthwiseForward(args.backend as LanesBackend, x, filter, forwardInfo(x, filter, a, 'depthwiseConv2d'));
  };
};

const fusedDepthwiseKernel = (): KernelFunc => {
  const fallback = cpuKernel(FusedDepthwiseConv2D);
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    if (x!.dtype !== 'float32' || filter!.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as FusedDepthwiseConv2DAttrs;
    return depthwiseForward(
      args.backend as LanesBackend,
      x!,
      filter!,
      forwardInfo(x!, filter!, a, 'fused depthwiseConv2d'),
      {
        bias,
        activation: a.activation,
        preluWeights: preluActivationWeights,
        leakyreluAlpha: a.leakyreluAlpha,
      },
    );
  };
};

const depthwiseInputKernel = (): KernelFunc => {
  const fallback = cpuKernel(DepthwiseConv2dNativeBackpropInput);
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    return depthwiseBackpropInputImpl(args.backend as LanesBackend, dy, filter, info);
  };
};

const depthwiseFilterKernel = (): KernelFunc => {
  const fallback = cpuKernel(DepthwiseConv2dNativeBackpropFilter);
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      true,
    );
    return depthwiseBackpropFilterImpl(args.backend as LanesBackend, x, dy, info);
  };
};

export const depthwiseKernels: LanesKernel[] = [
  { kernelName: DepthwiseConv2dNative, kernelFunc: depthwiseKernel() },
  { kernelName: FusedDepthwiseConv2D, kernelFunc: fusedDepthwiseKernel() },
  { kernelName: DepthwiseConv2dNativeBackpropInput, kernelFunc: depthwiseInputKernel() },
  { kernelName: DepthwiseConv2dNativeBackpropFilter, kernelFunc: depthwiseFilterKernel() },
];
