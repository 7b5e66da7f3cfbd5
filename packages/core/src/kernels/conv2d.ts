// Conv2D and FusedConv2D on the wasm implicit-GEMM kernel (assembly/conv.ts), or, with few input
// channels, on im2col panels and the GEMM kernel (assembly/matmul.ts). NCHW runs as NHWC between
// two layout passes; bias and activation are applied as the kernel stores its tiles.
import { GemmAttr, GemmTile, Im2colAttr, attrWords } from '@lanes/kernels-wasm';
import {
  Conv2D,
  FusedConv2D,
  backend_util,
  type Conv2DAttrs,
  type FusedConv2DAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { forwardGeometry, forwardTaps, padForTaps, rowGeometry, runIgemm, segmentTable } from './shared/conv.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { kernelEpilogue, type FusedEpilogue, type KernelEpilogue } from './shared/epilogue.js';
import { GEMM_KC, MADDS_PER_COST_UNIT } from './shared/gemm.js';
import type { LanesKernel } from './shared/kernel_config.js';
import { inNhwc } from './shared/nhwc.js';
import type { Scratch } from './shared/scratch.js';

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

/** The forward convolution through explicit im2col rows, a piece of output pixels at a time. */
function im2colConv(
  backend: LanesBackend,
  scratch: Scratch,
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
  const cols = scratch.alloc(Math.min(Math.ceil(m / mr) * mr, piece) * k * 4);
  const zero = scratch.zeros(4);
  const table = [0, 0, 1, 0];
  const panels = Math.ceil(oc / GemmTile.NR);
  // The packed copy has no bounds checks: x padded so that every window lies inside.
  const padded =
    how === 'packed'
      ? padForTaps(
          backend,
          scratch,
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
    const geometry = {
      H: h,
      W: w,
      C: ic,
      OH: oh,
      OW: ow,
      SH: info.strideHeight,
      SW: info.strideWidth,
      TOP: info.padInfo.top,
      LEFT: info.padInfo.left,
      FH: info.filterHeight,
      FW: info.filterWidth,
      DH: info.dilationHeight,
      DW: info.dilationWidth,
      BASE: p0,
      MR: mr,
      COUNT: count,
    };
    if (how === 'rows') {
      const attrs = backend.attrs(attrWords(Im2colAttr, geometry));
      backend.parallel('conv_im2col_f32', [backend.ptr(xs), cols, attrs], count, k);
      runIgemm(
        backend,
        scratch,
        cols,
        packed,
        backend.ptr(y) + p0 * oc * 4,
        rowGeometry(count, k),
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
    // The padded x has no padding left to apply: its own extent, offset 0.
    const attrs0 = backend.attrs(
      attrWords(Im2colAttr, Object.assign({}, geometry, { H: padded.h, W: padded.w, TOP: 0, LEFT: 0 })),
    );
    backend.parallel('conv_im2col_packed_f32', [backend.ptr(padded.x), cols, attrs0], rowPanels, mr * k, 1);
    const attrs = backend.attrs(
      attrWords(GemmAttr, {
        M: count,
        N: oc,
        K: k,
        LDC: oc,
        BIAS: fused.bias,
        ACT: fused.act,
        ALPHA: fused.alphaBits,
        PRELU: fused.prelu,
        KC: GEMM_KC,
        ROW_PANELS: rowPanels,
        BLOCK_PANELS: panels,
      }),
    );
    backend.parallel(
      'gemm_f32',
      [cols, packed, backend.ptr(y) + p0 * oc * 4, attrs],
      rowPanels,
      (mr * GemmTile.NR * panels * Math.max(k, 1)) / MADDS_PER_COST_UNIT,
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
  const { batchSize: n, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { filterHeight: fh, filterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  if (n * oh * ow * oc === 0) return backend.makeOutputInfo(info.outShape, 'float32');
  return inNhwc(backend, channelsFirst, [x], (scratch, [xs]) => {
    const k = fh * fw * ic;
    const packed = backend.packedCopy(
      filter,
      `conv ${k}x${oc}`,
      Math.ceil(oc / GemmTile.NR) * GemmTile.NR * k * 4,
      (dst) => backend.wasm.conv_pack_f32(backend.ptr(filter), dst, k, oc),
      scratch,
    );
    const fused = kernelEpilogue(backend, scratch, ep, oc, channelsFirst);
    const y = backend.makeOutputInfo([n, oh, ow, oc], 'float32');
    const segment = (dw === 1 ? fw : 1) * ic;
    if (segment < IM2COL_BELOW && fh * fw > 1) {
      im2colConv(backend, scratch, xs, packed, y, info, fused, im2col);
    } else {
      const table = segmentTable(forwardTaps(fh, fw, dh, dw), (t) => (t.kh * fw + t.kw) * ic, ic);
      runIgemm(
        backend,
        scratch,
        backend.ptr(xs),
        packed,
        backend.ptr(y),
        forwardGeometry(info, ic),
        n,
        oc,
        k,
        table,
        scratch.zeros(Math.max(4, ic)),
        fused,
      );
    }
    return { out: y, rest: fused.rest };
  });
}

function convInfoOf(x: TensorInfo, filter: TensorInfo, a: Conv2DAttrs): backend_util.Conv2DInfo {
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
  const fallback = cpuKernel(Conv2D);
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const attrs = args.attrs as unknown as Conv2DAttrs;
    return conv2dForward(args.backend as LanesBackend, x, filter, convInfoOf(x, filter, attrs));
  };
};

const fusedConv2dKernel = (): KernelFunc => {
  const fallback = cpuKernel(FusedConv2D);
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    if (x!.dtype !== 'float32' || filter!.dtype !== 'float32') return fallback(args);
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    return conv2dForward(args.backend as LanesBackend, x!, filter!, convInfoOf(x!, filter!, attrs), {
      bias,
      activation: attrs.activation,
      preluWeights: preluActivationWeights,
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
  };
};

export const conv2dKernels: LanesKernel[] = [
  { kernelName: Conv2D, kernelFunc: conv2dKernel() },
  { kernelName: FusedConv2D, kernelFunc: fusedConv2dKernel() },
];
