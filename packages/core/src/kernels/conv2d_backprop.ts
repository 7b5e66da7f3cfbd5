// Gradients of Conv2D. Conv2DBackpropInput (also conv2dTranspose) runs the implicit-GEMM kernel
// once per stride phase of dx with the rotated, transposed filter, so no work goes into the zeros
// a strided transpose would insert; with few dx channels, a GEMM into column rows and a col2im sum
// instead. Conv2DBackpropFilter reduces over every output pixel with tiles of the filter in
// registers (assembly/conv_filter_grad.ts).
import { Col2imAttr, ConvFilterGradAttr, GemmTile, attrWords } from '@lanes/kernels-wasm';
import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import {
  fitOutputGrad,
  gradientPhases,
  padForTaps,
  phaseGeometry,
  rowGeometry,
  runIgemm,
  segmentTable,
} from './shared/conv.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { kernelEpilogue } from './shared/epilogue.js';
import type { LanesKernel } from './shared/kernel_config.js';
import { inNhwc, padNhwc } from './shared/nhwc.js';
import type { Scratch } from './shared/scratch.js';

/**
 * Below this many input channels, conv2dBackpropInputImpl takes the column path: the implicit GEMM
 * computes tiles 8 dx channels wide, so with ic = 1 seven eighths of its work would be padding.
 * Measured (dy 32 channels, 4x4 stride 2 and 3x3 stride 1, one thread): the column path is 4-8x
 * faster at ic = 1, ~1.4x at 4, ~1.1x at 5, even at 6 and slower at 7, where its col2im sums cost
 * more than the implicit GEMM's padding.
 */
const COL2IM_BELOW = 6;
/** Column rows are made and summed a few MB at a time (they stay in L2/L3 between the two passes). */
const COL2IM_PIECE_BYTES = 4 << 20;

/** dx of a 2-D convolution; returns a new tensor in convInfo's layout. */
function conv2dBackpropInputImpl(
  backend: LanesBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  // (The column path's per-kw table lives in the 4 KiB attribute block.)
  return info.inChannels < COL2IM_BELOW && info.filterWidth <= 300
    ? conv2dBackpropInputCol2im(backend, dy, filter, info)
    : conv2dBackpropInputIgemm(backend, dy, filter, info);
}

/** A dx body run on NHWC tensors: dy (fitted to the output extent) in, dx [N,H,W,IC] out, any layout outside. */
function dxInNhwc(
  backend: LanesBackend,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  body: (scratch: Scratch, dys: TensorInfo, dx: TensorInfo) => void,
): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow } = info;
  if (n * h * w * ic === 0) return backend.makeOutputInfo(info.inShape, 'float32');
  return inNhwc(backend, info.dataFormat === 'channelsFirst', [dy], (scratch, [dyNhwc]) => {
    const dys = fitOutputGrad(backend, scratch, dyNhwc, oh, ow);
    const dx = backend.makeOutputInfo([n, h, w, ic], 'float32');
    body(scratch, dys, dx);
    return { out: dx };
  });
}

/**
 * dx by the implicit-GEMM kernel, once per stride phase of dx, with the rotated, transposed filter
 * (no work goes into the zeros a strided transpose would insert). Tiles are 8 dx channels wide.
 */
export function conv2dBackpropInputIgemm(
  backend: LanesBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ic, outChannels: oc } = info;
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  return dxInNhwc(backend, dy, info, (scratch, dys, dx) => {
    const k = fh * fw * oc;
    const packed = scratch.alloc(Math.ceil(ic / GemmTile.NR) * GemmTile.NR * k * 4);
    backend.wasm.conv_pack_transposed_f32(backend.ptr(filter), packed, fh, fw, ic, oc);
    const zero = scratch.zeros(Math.max(4, oc));
    const none = kernelEpilogue(backend, scratch, undefined, ic, false);
    for (const phase of gradientPhases(h, w, fh, fw, sh, sw, dh, dw, info.padInfo.top, info.padInfo.left)) {
      const table = segmentTable(phase.taps, (t) => (t.kh * fw + (fw - 1 - t.kw)) * oc, oc);
      runIgemm(
        backend,
        scratch,
        backend.ptr(dys),
        packed,
        backend.ptr(dx),
        phaseGeometry(info, phase, oc),
        n,
        ic,
        k,
        table,
        zero,
        none,
      );
    }
  });
}

/** A piece of the column path: dy rows [oy0, oy1) of images [n0, n0 + images), and the dx rows they complete. */
interface ColumnPiece {
  n0: number;
  images: number;
  oy0: number;
  oy1: number;
  row0: number;
  rows: number;
}

/**
 * Pieces of at most about `pieceBytes` of columns: groups of whole images, or, when one
 * image's columns are bigger, runs of dx rows of one image with the dy rows they read.
 */
function columnPieces(info: backend_util.Conv2DInfo, rowBytes: number, pieceBytes: number): ColumnPiece[] {
  const { batchSize: n, inHeight: h, outHeight: oh, filterHeight: fh, strideHeight: sh, dilationHeight: dh } = info;
  const top = info.padInfo.top;
  const pieces: ColumnPiece[] = [];
  const perImage = oh * rowBytes;
  if (perImage <= pieceBytes) {
    const group = Math.max(1, Math.floor(pieceBytes / Math.max(1, perImage)));
    for (let n0 = 0; n0 < n; n0 += group) {
      const images = Math.min(group, n - n0);
      pieces.push({ n0, images, oy0: 0, oy1: oh, row0: n0 * h, rows: images * h });
    }
    return pieces;
  }
  // dy rows that dx rows [a, b) read: oy*sh = iy + top - kh*dh for some iy, kh.
  const first = (a: number): number => Math.max(0, Math.ceil((a + top - (fh - 1) * dh) / sh));
  const last = (b: number): number => Math.min(oh, Math.floor((b - 1 + top) / sh) + 1);
  const maxRows = Math.max(1, Math.floor(pieceBytes / rowBytes));
  for (let b = 0; b < n; b++) {
    for (let iy0 = 0; iy0 < h;) {
      let iy1 = iy0 + 1;
      while (iy1 < h && last(iy1 + 1) - first(iy0) <= maxRows) iy1++;
      const oy0 = Math.min(first(iy0), oh),
        oy1 = Math.max(oy0, last(iy1));
      pieces.push({ n0: b, images: 1, oy0, oy1, row0: b * h + iy0, rows: iy1 - iy0 });
      iy0 = iy1;
    }
  }
  return pieces;
}

/**
 * conv_col2im_f32's table: per filter column kw, the first dx column ix0 it reaches, the dy column
 * ox0 that reaches it (ix0 + left - kw*dw = ox0*sw) and how many follow at steps of (sw, 1).
 */
function col2imColumns(w: number, ow: number, fw: number, sw: number, dw: number, left: number): number[] {
  const table: number[] = [];
  for (let kw = 0; kw < fw; kw++) {
    const b = left - kw * dw;
    const lo = Math.max(0, -b);
    const ix0 = lo + ((sw - ((lo + b) % sw)) % sw);
    const ox0 = (ix0 + b) / sw;
    const count = ix0 >= w || ox0 >= ow ? 0 : Math.min(Math.floor((w - 1 - ix0) / sw) + 1, ow - ox0);
    table.push(count > 0 ? ix0 : 0, count > 0 ? ox0 : 0, count);
  }
  return table;
}

/**
 * dx for few input channels: one GEMM dy [pixels, OC] x W^T [OC, FH*FW*IC] into column rows (every
 * product a dx value needs, tap by tap), then conv_col2im_f32 sums each dx value's taps in a fixed
 * order. Work is the useful FH*FW*IC columns (rounded up to 8 once), not IC rounded up per tap.
 * `pieceBytes` bounds the column buffer (tests make it small to cut images into row pieces).
 */
export function conv2dBackpropInputCol2im(
  backend: LanesBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  pieceBytes = COL2IM_PIECE_BYTES,
): TensorInfo {
  const { inHeight: h, inWidth: w, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  return dxInNhwc(backend, dy, info, (scratch, dys, dx) => {
    const cols = fh * fw * ic;
    const panels = Math.ceil(cols / GemmTile.NR);
    const packed = scratch.alloc(panels * GemmTile.NR * oc * 4);
    // B[k][j] = W[j][k] for the HWIO filter seen as [FH*FW*IC, OC].
    backend.parallel('gemm_pack_b_f32', [backend.ptr(filter), packed, oc, cols, 1, oc], panels, oc * GemmTile.NR, 1);
    const zero = scratch.zeros(Math.max(4, oc));
    const none = kernelEpilogue(backend, scratch, undefined, cols, false);
    const pieces = columnPieces(info, ow * cols * 4, pieceBytes);
    const biggest = Math.max(...pieces.map((p) => p.images * (p.oy1 - p.oy0))) * ow * cols * 4;
    const buffer = scratch.alloc(biggest);
    const columnTable = col2imColumns(w, ow, fw, sw, dw, info.padInfo.left);
    for (const p of pieces) {
      const pixels = p.images * (p.oy1 - p.oy0) * ow;
      if (pixels > 0) {
        runIgemm(
          backend,
          scratch,
          backend.ptr(dys) + (p.n0 * oh + p.oy0) * ow * oc * 4,
          packed,
          buffer,
          rowGeometry(pixels, oc),
          1,
          cols,
          oc,
          [0, 0, 1, 0],
          zero,
          none,
        );
      }
      const attrs = backend.attrs([
        ...attrWords(Col2imAttr, {
          H: h,
          W: w,
          C: ic,
          OW: ow,
          SH: sh,
          SW: sw,
          TOP: info.padInfo.top,
          FH: fh,
          FW: fw,
          DH: dh,
          N0: p.n0,
          OY0: p.oy0,
          OY1: p.oy1,
          ROW0: p.row0,
        }),
        ...columnTable,
      ]);
      backend.parallel(
        'conv_col2im_f32',
        [buffer, backend.ptr(dx), attrs],
        p.rows,
        w * ic * Math.max(1, Math.ceil((fh * fw) / (sh * sw))),
        1,
      );
    }
  });
}

/** dW [FH,FW,IC,OC] of a 2-D convolution (x and dy in convInfo's layout). */
function conv2dBackpropFilterImpl(
  backend: LanesBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const channelsFirst = info.dataFormat === 'channelsFirst';
  const { batchSize: n, inChannels: ic, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const {
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = info;
  const dW = backend.makeOutputInfo([fh, fw, ic, oc], 'float32');
  const k = fh * fw * ic;
  if (k * oc === 0) return dW;
  if (n * oh * ow === 0) {
    backend.f32(dW).fill(0);
    return dW;
  }
  return inNhwc(backend, channelsFirst, [x, dy], (scratch, [xs, dyNhwc]) => {
    let dys = fitOutputGrad(backend, scratch, dyNhwc, oh, ow);
    const padded = padForTaps(
      backend,
      scratch,
      xs,
      oh,
      ow,
      fh,
      fw,
      sh,
      sw,
      dh,
      dw,
      info.padInfo.top,
      info.padInfo.left,
    );
    // The kernel reads dy channels 8 at a time: round them up with zeros.
    const dc = Math.ceil(oc / 8) * 8;
    if (dc !== oc) dys = scratch.tensor(padNhwc(backend, dys, oh, ow, dc, 0, 0));
    const attrs = backend.attrs(
      attrWords(ConvFilterGradAttr, {
        X_H: padded.h,
        X_W: padded.w,
        X_C: ic,
        DY_H: oh,
        DY_W: ow,
        DY_C: dc,
        OC: oc,
        BATCH: n,
        STRIDE_H: sh,
        STRIDE_W: sw,
        DIL_H: dh,
        DIL_W: dw,
        FH: fh,
        FW: fw,
      }),
    );
    const tiles = Math.ceil(k / 4) * Math.ceil(oc / 8);
    backend.parallel(
      'conv_filter_grad_f32',
      [backend.ptr(padded.x), backend.ptr(dys), backend.ptr(dW), attrs],
      tiles,
      n * oh * ow * 32,
    );
    return { out: dW, image: false };
  });
}

const backpropInputKernel = (): KernelFunc => {
  const fallback = cpuKernel(Conv2DBackpropInput);
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    return conv2dBackpropInputImpl(args.backend as LanesBackend, dy, filter, info);
  };
};

const backpropFilterKernel = (): KernelFunc => {
  const fallback = cpuKernel(Conv2DBackpropFilter);
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    const a = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    return conv2dBackpropFilterImpl(args.backend as LanesBackend, x, dy, info);
  };
};

export const conv2dBackpropKernels: LanesKernel[] = [
  { kernelName: Conv2DBackpropInput, kernelFunc: backpropInputKernel() },
  { kernelName: Conv2DBackpropFilter, kernelFunc: backpropFilterKernel() },
];
