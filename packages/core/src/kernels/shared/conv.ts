// The tables that drive the wasm gather kernels of the convolutions (conv_igemm_f32, depthwise_f32)
// for forward passes and for each stride phase of input gradients, and the padding they rely on.
import { attrWords, DepthwiseAttr, IgemmAttr } from '@lanes/kernels-wasm';
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import type { KernelEpilogue } from './epilogue.js';
import { padNhwc } from './nhwc.js';
import type { Scratch } from './scratch.js';

/** A filter tap seen from the grid: source offset (oy, ox) from a pixel's corner, and the tap (kh, kw). */
export interface Tap {
  oy: number;
  ox: number;
  kh: number;
  kw: number;
}

/** Forward taps: source (corner + kh*dh, corner + kw*dw), in filter order. */
export function forwardTaps(fh: number, fw: number, dh: number, dw: number): Tap[] {
  const taps: Tap[] = [];
  for (let kh = 0; kh < fh; kh++) for (let kw = 0; kw < fw; kw++) taps.push({ oy: kh * dh, ox: kw * dw, kh, kw });
  return taps;
}

/** One stride phase of an input gradient: dx pixels (ph + i*sh, pw + j*sw) and the taps that reach them. */
export interface Phase {
  ph: number;
  pw: number;
  gridH: number;
  gridW: number;
  /** dy pixel (i + oy, j + ox) meets tap (kh, kw); kw descending within a filter row. */
  taps: Tap[];
}

const mod = (a: number, b: number): number => ((a % b) + b) % b;

/**
 * Splits dx [H, W] into stride phases. dx[ih] receives dy[oh] * w[kh] where oh*sh - padTop + kh*dh = ih;
 * for ih = ph + i*sh that holds for whole oh only when (ph + padTop - kh*dh) is a multiple of sh,
 * and then oh = i + (ph + padTop - kh*dh)/sh. So each phase is a stride-1 gather with its own taps.
 */
export function gradientPhases(
  h: number,
  w: number,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  dh: number,
  dw: number,
  top: number,
  left: number,
): Phase[] {
  const phases: Phase[] = [];
  for (let ph = 0; ph < Math.min(sh, h); ph++) {
    for (let pw = 0; pw < Math.min(sw, w); pw++) {
      const taps: Tap[] = [];
      for (let kh = 0; kh < fh; kh++) {
        const a = ph + top - kh * dh;
        if (mod(a, sh) !== 0) continue;
        for (let kw = fw - 1; kw >= 0; kw--) {
          const b = pw + left - kw * dw;
          if (mod(b, sw) !== 0) continue;
          taps.push({ oy: a / sh, ox: b / sw, kh, kw });
        }
      }
      phases.push({ ph, pw, gridH: Math.ceil((h - ph) / sh), gridW: Math.ceil((w - pw) / sw), taps });
    }
  }
  return phases;
}

/**
 * conv_igemm_f32's segment table from taps, given each tap's first packed row: consecutive taps
 * merge when both their source pixels (ox + 1) and their packed rows (+ C) follow on.
 */
export function segmentTable(taps: Tap[], rowOf: (t: Tap) => number, c: number): number[] {
  const table: number[] = [];
  let last = -1;
  for (const t of taps) {
    const row = rowOf(t);
    if (last >= 0) {
      const [oy, ox, width, r] = table.slice(last, last + 4);
      if (oy === t.oy && ox + width === t.ox && r + width * c === row) {
        table[last + 2]++;
        continue;
      }
    }
    last = table.length;
    table.push(t.oy, t.ox, 1, row);
  }
  return table;
}

/** Geometry of one conv_igemm_f32 / depthwise_f32 call. */
export interface GatherGeometry {
  srcH: number;
  srcW: number;
  c: number;
  gridH: number;
  gridW: number;
  strideH: number;
  strideW: number;
  offH: number;
  offW: number;
  outH: number;
  outW: number;
  outStepH: number;
  outStepW: number;
  outOffH: number;
  outOffW: number;
}

/** A forward pass's geometry: the grid is the output pixels, the source x with `c` channels. */
export function forwardGeometry(info: backend_util.Conv2DInfo, c: number): GatherGeometry {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  return {
    srcH: inHeight,
    srcW: inWidth,
    c,
    gridH: outHeight,
    gridW: outWidth,
    strideH: strideHeight,
    strideW: strideWidth,
    offH: -padInfo.top,
    offW: -padInfo.left,
    outH: outHeight,
    outW: outWidth,
    outStepH: 1,
    outStepW: 1,
    outOffH: 0,
    outOffW: 0,
  };
}

/** An input gradient's stride phase: the grid is the phase's dx pixels, the source dy with `c` channels. */
export function phaseGeometry(info: backend_util.Conv2DInfo, phase: Phase, c: number): GatherGeometry {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  return {
    srcH: outHeight,
    srcW: outWidth,
    c,
    gridH: phase.gridH,
    gridW: phase.gridW,
    strideH: 1,
    strideW: 1,
    offH: 0,
    offW: 0,
    outH: inHeight,
    outW: inWidth,
    outStepH: strideHeight,
    outStepW: strideWidth,
    outOffH: phase.ph,
    outOffW: phase.pw,
  };
}

/** `pixels` rows of `c` floats as one stride-1 grid row, in and out (im2col rows, column GEMMs). */
export function rowGeometry(pixels: number, c: number): GatherGeometry {
  return {
    srcH: 1,
    srcW: pixels,
    c,
    gridH: 1,
    gridW: pixels,
    strideH: 1,
    strideW: 1,
    offH: 0,
    offW: 0,
    outH: 1,
    outW: pixels,
    outStepH: 1,
    outStepW: 1,
    outOffH: 0,
    outOffW: 0,
  };
}

/** The geometry fields conv_igemm_f32 and depthwise_f32 share (all but the channel count). */
function geometryFields(g: GatherGeometry) {
  return {
    SRC_H: g.srcH,
    SRC_W: g.srcW,
    GRID_H: g.gridH,
    GRID_W: g.gridW,
    STRIDE_H: g.strideH,
    STRIDE_W: g.strideW,
    OFF_H: g.offH,
    OFF_W: g.offW,
    OUT_H: g.outH,
    OUT_W: g.outW,
    OUT_STEP_H: g.outStepH,
    OUT_STEP_W: g.outStepW,
    OUT_OFF_H: g.outOffH,
    OUT_OFF_W: g.outOffW,
  };
}

/** Attribute block + table in the backend's attribute block when they fit, else the table in a scratch block. */
function attrBlock(
  backend: LanesBackend,
  scratch: Scratch,
  words: number[],
  tableIndex: number,
  table: number[],
): number {
  const block = backend.attrs([]);
  const all = words.slice();
  const tableWords = (all.length + 3) & ~3; // 16-byte aligned table
  while (all.length < tableWords) all.push(0);
  if ((tableWords + table.length) * 4 <= 4096) {
    all[tableIndex] = block + tableWords * 4;
    return backend.attrs([...all, ...table]);
  }
  all[tableIndex] = scratch.words(table.length ? table : [0]);
  return backend.attrs(all);
}

/** Runs conv_igemm_f32 over `batch` images of grid `g` (see assembly/conv.ts for the contract). */
export function runIgemm(
  backend: LanesBackend,
  scratch: Scratch,
  src: number,
  packed: number,
  out: number,
  g: GatherGeometry,
  batch: number,
  cols: number,
  rows: number,
  table: number[],
  zero: number,
  ep: KernelEpilogue,
): void {
  const m = batch * g.gridH * g.gridW;
  if (m === 0) return;
  // Object.assign, not a spread: V8 takes ~15 µs to spread these 14 fields into a literal of 25.
  const words = attrWords(
    IgemmAttr,
    Object.assign(geometryFields(g), {
      SRC_C: g.c,
      COLS: cols,
      ROWS: rows,
      NSEG: table.length / 4,
      TABLE: 0,
      ZERO: zero,
      BIAS: ep.bias,
      ACT: ep.act,
      ALPHA: ep.alphaBits,
      PRELU: ep.prelu,
    }),
  );
  const attrs = attrBlock(backend, scratch, words, IgemmAttr.TABLE, table);
  backend.parallel('conv_igemm_f32', [src, packed, out, attrs], m, Math.max(1, rows) * cols);
}

/** Runs depthwise_f32 over `batch` images (see assembly/depthwise.ts); taps carry weight rows of `c` floats. */
export function runDepthwise(
  backend: LanesBackend,
  scratch: Scratch,
  src: number,
  weights: number,
  out: number,
  g: GatherGeometry,
  batch: number,
  taps: Tap[],
  fw: number,
  zero: number,
  ep: KernelEpilogue,
): void {
  const rowsCount = batch * g.gridH;
  if (rowsCount * g.gridW * g.c === 0) return;
  // Source order (row, then column): a 3x3 window then reads as the kernel's sliding path expects.
  const sorted = taps.slice().sort((a, b) => a.oy - b.oy || a.ox - b.ox);
  const table: number[] = [];
  for (const t of sorted) table.push(t.oy, t.ox, (t.kh * fw + t.kw) * g.c * 4, (t.oy * g.srcW + t.ox) * g.c * 4);
  const oxs = sorted.map((t) => t.ox);
  const minOx = oxs.length ? Math.min(...oxs) : 0,
    maxOx = oxs.length ? Math.max(...oxs) : 0;
  // The kernel's sliding path: a 3x3 source window, column stride 1 or 2, evenly spaced weight rows.
  const wrow = (i: number): number => sorted[i].kh * fw + sorted[i].kw;
  const dense3 =
    sorted.length === 9 &&
    (g.strideW === 1 || g.strideW === 2) &&
    sorted.every(
      (t, i) =>
        t.oy === sorted[0].oy + Math.floor(i / 3) &&
        t.ox === sorted[0].ox + (i % 3) &&
        wrow(i) === wrow(0) + i * (wrow(1) - wrow(0)),
    );
  const words = attrWords(
    DepthwiseAttr,
    Object.assign(geometryFields(g), {
      CH: g.c,
      NTAPS: sorted.length,
      TABLE: 0,
      ZERO: zero,
      BIAS: ep.bias,
      ACT: ep.act,
      ALPHA: ep.alphaBits,
      PRELU: ep.prelu,
      MIN_OX: minOx,
      MAX_OX: maxOx,
      DENSE3: dense3 ? 1 : 0,
    }),
  );
  const attrs = attrBlock(backend, scratch, words, DepthwiseAttr.TABLE, table);
  backend.parallel('depthwise_f32', [src, weights, out, attrs], rowsCount, g.gridW * g.c * Math.max(1, taps.length));
}

/**
 * x padded so that every tap of every output pixel lies inside (gradient kernels have no bounds
 * checks), or x itself when it already does. Returns the tensor and its (height, width).
 */
export function padForTaps(
  backend: LanesBackend,
  scratch: Scratch,
  x: TensorInfo,
  oh: number,
  ow: number,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  dh: number,
  dw: number,
  top: number,
  left: number,
  channelsTo = x.shape[3],
): { x: TensorInfo; h: number; w: number } {
  const [, h, w, c] = x.shape;
  const needH = Math.max(h + top, (oh - 1) * sh + (fh - 1) * dh + 1);
  const needW = Math.max(w + left, (ow - 1) * sw + (fw - 1) * dw + 1);
  if (top === 0 && left === 0 && needH === h && needW === w && channelsTo === c) return { x, h, w };
  return { x: scratch.tensor(padNhwc(backend, x, needH, needW, channelsTo, top, left)), h: needH, w: needW };
}

/**
 * dy cropped (or zero-extended) to the output size the geometry implies. tfjs-backend-cpu reads dy
 * through its own strides but only over convInfo's output extent, and tfjs-core's conv2dTranspose
 * can pass a dy larger than that; the wasm kernels assume dy is exactly [N, OH, OW, C].
 */
export function fitOutputGrad(
  backend: LanesBackend,
  scratch: Scratch,
  dy: TensorInfo,
  oh: number,
  ow: number,
): TensorInfo {
  if (dy.shape[1] === oh && dy.shape[2] === ow) return dy;
  return scratch.tensor(padNhwc(backend, dy, oh, ow, dy.shape[3], 0, 0));
}
