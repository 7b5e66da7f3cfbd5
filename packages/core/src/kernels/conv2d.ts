// Conv2D and FusedConv2D on the wasm implicit-GEMM kernel (assembly/conv.ts), or, with few input
// channels, on im2col panels and the GEMM kernel (assembly/matmul.ts). NCHW runs as NHWC between
// two layout passes; bias and activation are applied as the kernel stores its tiles.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import {
  Temps,
  finishEpilogue,
  forwardTaps,
  kernelEpilogue,
  nchwToNhwc,
  nhwcToNchw,
  padForTaps,
  runIgemm,
  segmentTable,
  type FusedEpilogue,
  type KernelEpilogue,
} from './conv_util.js';

/**
 * Below this many floats per contiguous filter segment (few input channels: a network's first layer)
 * the implicit GEMM would spend more on per-segment setup than on arithmetic, so the pixels' patches
 * are first copied into packed rows of K floats (im2col, a few MB at a time) and multiplied by the GEMM.
 */
const IM2COL_BELOW = 24;
const IM2COL_PIECE_BYTES = 4 << 20;

/**
 * How im2colConv multiplies: 'packed' writes the patches straight into gemm_f32's packed panels
 * (its register tile is the widest we have); 'rows' writes plain rows and runs the implicit-GEMM
 * kernel over them as one segment (the earlier path, kept as a reference for tests and benchmarks).
 */
export type Im2colGemm = 'packed' | 'rows';

/** Depth of gemm_f32's K blocks (as kernels/matmul.ts); im2col K is rarely above it. */
const GEMM_KC = 256;
/** gemm_f32 does about 8 multiply-adds per pool cost unit (see kernels/matmul.ts). */
const MADDS_PER_COST_UNIT = 8;

/** The forward convolution through explicit im2col rows, a piece of output pixels at a time. */
function im2colConv(
  backend: LanesBackend,
  temps: Temps,
  xs: TensorInfo,
  packed: number,
  y: TensorInfo,
  info: backend_util.Conv2DInfo,
  fused: KernelEpilogue,
  how: Im2colGemm,
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const k = info.filterHeight * info.filterWidth * ic;
  const m = n * oh * ow;
  const mr = how === 'packed' ? backend.wasm.gemm_mr() : 4;
  const piece = Math.max(mr, Math.floor(IM2COL_PIECE_BYTES / (k * 4) / mr) * mr);
  const cols = temps.alloc(Math.min(Math.ceil(m / mr) * mr, piece) * k * 4);
  const zero = temps.zeros(4);
  const table = [0, 0, 1, 0];
  const panels = Math.ceil(oc / 8);
  // The packed copy has no bounds checks: x padded so that every window lies inside.
  const padded =
    how === 'packed'
      ? padForTaps(
          backend,
          temps,
          xs,
          oh,
          ow,
          info.filterHeight,
          info.filterWidth,
          info.strideHeight,
          info.strideWidth,
          info.dilationHeight,
          info.dilationWidth,
          info.padInfo.top,
          info.padInfo.left,
        )
      : { x: xs, h, w };
  for (let p0 = 0; p0 < m; p0 += piece) {
    const count = Math.min(piece, m - p0);
    const geometry = [
      h,
      w,
      ic,
      oh,
      ow,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
      info.filterHeight,
      info.filterWidth,
      info.dilationHeight,
      info.dilationWidth,
      p0,
    ];
    if (how === 'rows') {
      backend.parallel('conv_im2col_f32', [backend.ptr(xs), cols, backend.attrs(geometry)], count, k);
      runIgemm(
        backend,
        temps,
        cols,
        packed,
        backend.ptr(y) + p0 * oc * 4,
        {
          srcH: 1,
          srcW: count,
          c: k,
          gridH: 1,
          gridW: count,
          strideH: 1,
          strideW: 1,
          offH: 0,
          offW: 0,
          outH: 1,
          outW: count,
          outStepH: 1,
          outStepW: 1,
          outOffH: 0,
          outOffW: 0,
        },
        1,
        oc,
        k,
        table,
        zero,
        fused,
      );
      continue;
    }
    const rowPanels = Math.ceil(count / mr);
    const attrs0 = backend.attrs([padded.h, padded.w, ...geometry.slice(2, 7), 0, 0, ...geometry.slice(9), mr, count]);
    backend.parallel('conv_im2col_packed_f32', [backend.ptr(padded.x), cols, attrs0], rowPanels, mr * k, 1);
    const attrs = backend.attrs([
      count,
      oc,
      k,
      oc,
      fused.bias,
      fused.act,
      fused.alphaBits,
      fused.prelu,
      GEMM_KC,
      rowPanels,
      panels,
    ]);
    backend.parallel(
      'gemm_f32',
      [cols, packed, backend.ptr(y) + p0 * oc * 4, attrs],
      rowPanels,
      (mr * 8 * panels * Math.max(k, 1)) / MADDS_PER_COST_UNIT,
      1,
    );
  }
}

/** y = conv2d(x, filter) (+ bias, activation) for a computed geometry; returns a new tensor in convInfo's layout. */
export function conv2dForward(
  backend: LanesBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  ep?: FusedEpilogue,
  im2col: Im2colGemm = 'packed',
): TensorInfo {
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  if (n * oh * ow * oc === 0) return backend.makeOutputInfo(info.outShape, 'float32');
  const temps = new Temps(backend);
  try {
    const xs = channelsFirst ? temps.tensor(nchwToNhwc(backend, x)) : x;
    const k = fh * fw * ic;
    const packed = temps.alloc(Math.ceil(oc / 8) * 8 * k * 4);
    backend.wasm.conv_pack_f32(backend.ptr(filter), packed, k, oc);
    const fused = kernelEpilogue(backend, temps, ep, oc, channelsFirst);
    const y = backend.makeOutputInfo([n, oh, ow, oc], 'float32');
    const segment = (dw === 1 ? fw : 1) * ic;
    if (segment < IM2COL_BELOW && fh * fw > 1) {
      im2colConv(backend, temps, xs, packed, y, info, fused, im2col);
    } else {
      const table = segmentTable(forwardTaps(fh, fw, dh, dw), (t) => (t.kh * fw + t.kw) * ic, ic);
      runIgemm(
        backend,
        temps,
        backend.ptr(xs),
        packed,
        backend.ptr(y),
        {
          srcH: h,
          srcW: w,
          c: ic,
          gridH: oh,
          gridW: ow,
          strideH: sh,
          strideW: sw,
          offH: -info.padInfo.top,
          offW: -info.padInfo.left,
          outH: oh,
          outW: ow,
          outStepH: 1,
          outStepW: 1,
          outOffH: 0,
          outOffW: 0,
        },
        n,
        oc,
        k,
        table,
        temps.zeros(Math.max(4, ic)),
        fused,
      );
    }
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
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(a.dataFormat),
  );
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
      bias,
      activation: attrs.activation,
      preluWeights: preluActivationWeights,
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
  };
};

export const conv2dKernels: KernelConfig[] = [
  { kernelName: 'Conv2D', backendName: 'lanes', kernelFunc: conv2dKernel() },
  { kernelName: 'FusedConv2D', backendName: 'lanes', kernelFunc: fusedConv2dKernel() },
];
