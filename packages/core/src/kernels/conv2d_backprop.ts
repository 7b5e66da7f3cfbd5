// Gradients of Conv2D. Conv2DBackpropInput (also conv2dTranspose) runs the implicit-GEMM kernel
// once per stride phase of dx with the rotated, transposed filter, so no work goes into the zeros
// a strided transpose would insert. Conv2DBackpropFilter reduces over every output pixel with
// tiles of the filter in registers (assembly/conv_filter_grad.ts).
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import {
  Temps, fitOutputGrad, gradientPhases, kernelEpilogue, nchwToNhwc, nhwcToNchw, padForTaps, padNhwc, runIgemm, segmentTable,
} from './conv_util.js';

/** dx of a 2-D convolution; returns a new tensor in convInfo's layout. */
export function conv2dBackpropInputImpl(backend: LanesBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  if (n * h * w * ic === 0) return backend.makeOutputInfo(info.inShape, 'float32');
  const temps = new Temps(backend);
  try {
    const dys = fitOutputGrad(backend, temps, channelsFirst ? temps.tensor(nchwToNhwc(backend, dy)) : dy, oh, ow);
    const k = fh * fw * oc;
    const packed = temps.alloc(Math.ceil(ic / 8) * 8 * k * 4);
    backend.wasm.conv_pack_transposed_f32(backend.ptr(filter), packed, fh, fw, ic, oc);
    const zero = temps.zeros(Math.max(4, oc));
    const none = kernelEpilogue(backend, temps, undefined, ic, false);
    const dx = backend.makeOutputInfo([n, h, w, ic], 'float32');
    for (const phase of gradientPhases(h, w, fh, fw, sh, sw, dh, dw, info.padInfo.top, info.padInfo.left)) {
      const table = segmentTable(phase.taps, (t) => (t.kh * fw + (fw - 1 - t.kw)) * oc, oc);
      runIgemm(backend, temps, backend.ptr(dys), packed, backend.ptr(dx), {
        srcH: oh, srcW: ow, c: oc, gridH: phase.gridH, gridW: phase.gridW, strideH: 1, strideW: 1, offH: 0, offW: 0,
        outH: h, outW: w, outStepH: sh, outStepW: sw, outOffH: phase.ph, outOffW: phase.pw,
      }, n, ic, k, table, zero, none);
    }
    if (!channelsFirst) return dx;
    const out = nhwcToNchw(backend, dx);
    backend.disposeIntermediateTensorInfo(dx);
    return out;
  } finally {
    temps.release();
  }
}

/** dW [FH,FW,IC,OC] of a 2-D convolution (x and dy in convInfo's layout). */
export function conv2dBackpropFilterImpl(backend: LanesBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const { batchSize: n, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const dW = backend.makeOutputInfo([fh, fw, ic, oc], 'float32');
  const k = fh * fw * ic;
  if (k * oc === 0) return dW;
  if (n * oh * ow === 0) {
    backend.f32(dW).fill(0);
    return dW;
  }
  const temps = new Temps(backend);
  try {
    const xs = channelsFirst ? temps.tensor(nchwToNhwc(backend, x)) : x;
    let dys = fitOutputGrad(backend, temps, channelsFirst ? temps.tensor(nchwToNhwc(backend, dy)) : dy, oh, ow);
    const padded = padForTaps(backend, temps, xs, oh, ow, fh, fw, sh, sw, dh, dw, info.padInfo.top, info.padInfo.left);
    // The kernel reads dy channels 8 at a time: round them up with zeros.
    const dc = Math.ceil(oc / 8) * 8;
    if (dc !== oc) dys = temps.tensor(padNhwc(backend, dys, oh, ow, dc, 0, 0));
    const attrs = backend.attrs([padded.h, padded.w, ic, oh, ow, dc, oc, n, sh, sw, dh, dw, fh, fw]);
    const tiles = Math.ceil(k / 4) * Math.ceil(oc / 8);
    backend.parallel('conv_filter_grad_f32', [backend.ptr(padded.x), backend.ptr(dys), backend.ptr(dW), attrs], tiles, n * oh * ow * 32);
    return dW;
  } finally {
    temps.release();
  }
}

interface BackpropAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
}

const backpropInputKernel = (): KernelFunc => {
  const fallback = cpuKernel('Conv2DBackpropInput');
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as BackpropAttrs;
    const info = backend_util.computeConv2DInfo(a.inputShape!, filter.shape as [number, number, number, number],
      a.strides, 1, a.pad, a.dimRoundingMode, false, backend_util.convertConv2DDataFormat(a.dataFormat));
    return conv2dBackpropInputImpl(args.backend as LanesBackend, dy, filter, info);
  };
};

const backpropFilterKernel = (): KernelFunc => {
  const fallback = cpuKernel('Conv2DBackpropFilter');
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as BackpropAttrs;
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape!,
      a.strides, 1, a.pad, a.dimRoundingMode, false, backend_util.convertConv2DDataFormat(a.dataFormat));
    return conv2dBackpropFilterImpl(args.backend as LanesBackend, x, dy, info);
  };
};

export const conv2dBackpropKernels: KernelConfig[] = [
  { kernelName: 'Conv2DBackpropInput', backendName: 'lanes', kernelFunc: backpropInputKernel() },
  { kernelName: 'Conv2DBackpropFilter', backendName: 'lanes', kernelFunc: backpropFilterKernel() },
];
