// Conv2D and FusedConv2D on the wasm implicit-GEMM kernel (assembly/conv.ts). NCHW runs as NHWC
// between two layout passes; bias and activation are applied as the kernel stores its tiles.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import {
  Temps, finishEpilogue, forwardTaps, kernelEpilogue, nchwToNhwc, nhwcToNchw, runIgemm, segmentTable,
  type FusedEpilogue,
} from './conv_util.js';

/** y = conv2d(x, filter) (+ bias, activation) for a computed geometry; returns a new tensor in convInfo's layout. */
export function conv2dForward(
  backend: LanesBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo, ep?: FusedEpilogue,
): TensorInfo {
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  if (n * oh * ow * oc === 0) return backend.makeOutputInfo(info.outShape, 'float32');
  const temps = new Temps(backend);
  try {
    const xs = channelsFirst ? temps.tensor(nchwToNhwc(backend, x)) : x;
    const k = fh * fw * ic;
    const packed = temps.alloc(Math.ceil(oc / 8) * 8 * k * 4);
    backend.wasm.conv_pack_f32(backend.ptr(filter), packed, k, oc);
    const table = segmentTable(forwardTaps(fh, fw, dh, dw), (t) => (t.kh * fw + t.kw) * ic, ic);
    const zero = temps.zeros(Math.max(4, ic));
    const fused = kernelEpilogue(backend, temps, ep, oc, channelsFirst);
    const y = backend.makeOutputInfo([n, oh, ow, oc], 'float32');
    runIgemm(backend, temps, backend.ptr(xs), packed, backend.ptr(y), {
      srcH: h, srcW: w, c: ic, gridH: oh, gridW: ow, strideH: sh, strideW: sw,
      offH: -info.padInfo.top, offW: -info.padInfo.left,
      outH: oh, outW: ow, outStepH: 1, outStepW: 1, outOffH: 0, outOffW: 0,
    }, n, oc, k, table, zero, fused);
    let out = y;
    if (channelsFirst) {
      out = nhwcToNchw(backend, y);
      backend.disposeIntermediateTensorInfo(y);
    }
    finishEpilogue(backend, out, fused.rest, channelsFirst);
    return out;
  } finally {
    temps.release();
  }
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: backend_util.Activation;
  leakyreluAlpha?: number;
}

function convInfoOf(x: TensorInfo, filter: TensorInfo, a: ConvAttrs): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    a.strides, a.dilations, a.pad, a.dimRoundingMode, false, backend_util.convertConv2DDataFormat(a.dataFormat));
}

const conv2dKernel = (): KernelFunc => {
  const fallback = cpuKernel('Conv2D');
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const attrs = args.attrs as unknown as ConvAttrs;
    return conv2dForward(args.backend as LanesBackend, x, filter, convInfoOf(x, filter, attrs));
  };
};

const fusedConv2dKernel = (): KernelFunc => {
  const fallback = cpuKernel('FusedConv2D');
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    if (x!.dtype !== 'float32' || filter!.dtype !== 'float32') return fallback(args);
    const attrs = args.attrs as unknown as ConvAttrs;
    return conv2dForward(args.backend as LanesBackend, x!, filter!, convInfoOf(x!, filter!, attrs), {
      bias, activation: attrs.activation, preluWeights: preluActivationWeights, leakyreluAlpha: attrs.leakyreluAlpha,
    });
  };
};

export const conv2dKernels: KernelConfig[] = [
  { kernelName: 'Conv2D', backendName: 'lanes', kernelFunc: conv2dKernel() },
  { kernelName: 'FusedConv2D', backendName: 'lanes', kernelFunc: fusedConv2dKernel() },
];
