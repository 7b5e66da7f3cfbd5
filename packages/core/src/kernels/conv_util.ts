// Shared plumbing of the convolution kernels: temporary blocks, NCHW <-> NHWC, zero padding, the
// fused bias/activation epilogue, and the tables that drive the wasm gather kernels
// (conv_igemm_f32, depthwise_f32) for forward passes and for each stride phase of input gradients.
import { Activation, type ActivationCode } from '@lanes/kernels-wasm';
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { applyBinary } from './binary.js';
import { applyActivation } from './matmul.js';
import { BinaryOp } from '@lanes/kernels-wasm';

/** Temporary wasm blocks and tensors of one kernel call, freed together. */
export class Temps {
  private readonly blocks: Array<[number, number]> = [];
  private readonly tensors: TensorInfo[] = [];
  constructor(private readonly backend: LanesBackend) {}

  /** An uninitialised block of at least `bytes` bytes (16-byte aligned). */
  alloc(bytes: number): number {
    const size = Math.max(16, bytes);
    const ptr = this.backend.storage.alloc(size);
    this.blocks.push([ptr, size]);
    return ptr;
  }

  /** A block holding `values` as float32. */
  floats(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length * 4);
    this.backend.storage.f32(ptr, values.length).set(values);
    return ptr;
  }

  /** A zero-filled block of `n` floats. */
  zeros(n: number): number {
    const ptr = this.alloc(n * 4);
    this.backend.storage.f32(ptr, Math.max(4, n)).fill(0);
    return ptr;
  }

  /** A block holding i32 words. */
  words(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length * 4);
    this.backend.storage.i32(ptr, values.length).set(values);
    return ptr;
  }

  /** Registers a tensor to dispose with the rest. */
  tensor(t: TensorInfo): TensorInfo {
    this.tensors.push(t);
    return t;
  }

  release(): void {
    for (const [ptr, size] of this.blocks) this.backend.storage.release(ptr, size);
    for (const t of this.tensors) this.backend.disposeIntermediateTensorInfo(t);
    this.blocks.length = 0;
    this.tensors.length = 0;
  }
}

/** The bits of a float32, for float attributes passed in i32 attribute words. */
export function floatBits(v: number): number {
  const f = new Float32Array([v]);
  return new Int32Array(f.buffer)[0];
}

/** [N,C,H,W] -> a new [N,H,W,C] float32 tensor. */
export function nchwToNhwc(backend: LanesBackend, x: TensorInfo): TensorInfo {
  const [n, c, h, w] = x.shape;
  const out = backend.makeOutputInfo([n, h, w, c], 'float32');
  if (n * c * h * w > 0) {
    backend.parallel(
      'conv_nchw_to_nhwc_f32',
      [backend.ptr(x), backend.ptr(out), c, h * w],
      n * Math.ceil((h * w) / 8),
      8 * c,
    );
  }
  return out;
}

/** [N,H,W,C] -> a new [N,C,H,W] float32 tensor. */
export function nhwcToNchw(backend: LanesBackend, x: TensorInfo): TensorInfo {
  const [n, h, w, c] = x.shape;
  const out = backend.makeOutputInfo([n, c, h, w], 'float32');
  if (n * c * h * w > 0) {
    backend.parallel(
      'conv_nhwc_to_nchw_f32',
      [backend.ptr(x), backend.ptr(out), c, h * w],
      n * Math.ceil((h * w) / 8),
      8 * c,
    );
  }
  return out;
}

/** A new [N,PH,PW,PC] tensor holding x [N,H,W,C] at (top, left, 0), zeros elsewhere. */
export function padNhwc(
  backend: LanesBackend,
  x: TensorInfo,
  ph: number,
  pw: number,
  pc: number,
  top: number,
  left: number,
): TensorInfo {
  const [n, h, w, c] = x.shape;
  const out = backend.makeOutputInfo([n, ph, pw, pc], 'float32');
  if (n * ph * pw * pc === 0) return out;
  const attrs = backend.attrs([h, w, c, ph, pw, pc, top, left]);
  backend.parallel('conv_pad_f32', [backend.ptr(x), backend.ptr(out), attrs], n * ph, pw * pc);
  return out;
}

// ---- fused epilogue ------------------------------------------------------------------------------

/** Bias and activation of a fused convolution, as tfjs passes them. */
export interface FusedEpilogue {
  bias?: TensorInfo;
  activation?: backend_util.Activation;
  preluWeights?: TensorInfo;
  leakyreluAlpha?: number;
}

/** What the wasm kernel applies as it stores (pointers to per-channel vectors, 0 when absent). */
export interface KernelEpilogue {
  bias: number;
  act: ActivationCode;
  alphaBits: number;
  prelu: number;
  /** The part left for separate passes over the final output (broadcasts that are not per channel). */
  rest?: FusedEpilogue;
}

const activationCodes: Record<string, ActivationCode> = {
  linear: Activation.LINEAR,
  relu: Activation.RELU,
  relu6: Activation.RELU6,
  leakyrelu: Activation.LEAKY_RELU,
  prelu: Activation.PRELU,
  elu: Activation.ELU,
  sigmoid: Activation.SIGMOID,
};

/**
 * How a bias-like operand broadcasts over the output's channels: 'scalar' (one value), 'channel'
 * (one value per channel), 'other' (anything else: applied by a separate broadcast pass).
 */
function channelKind(t: TensorInfo, channels: number, channelsFirst: boolean): 'scalar' | 'channel' | 'other' {
  const size = util.sizeFromShape(t.shape);
  if (size === 1) return 'scalar';
  if (size !== channels) return 'other';
  const s = t.shape;
  if (!channelsFirst) return s[s.length - 1] === channels ? 'channel' : 'other';
  // NCHW: a 1-D operand means channels (tfjs-backend-cpu reshapes it to [C,1,1]), as does [...,C,1,1].
  if (s.length === 1) return 'channel';
  return s.length >= 3 && s[s.length - 1] === 1 && s[s.length - 2] === 1 && s[s.length - 3] === channels
    ? 'channel'
    : 'other';
}

/** Decides what of `ep` the kernel fuses; per-channel vectors for scalars are expanded into temps. */
export function kernelEpilogue(
  backend: LanesBackend,
  temps: Temps,
  ep: FusedEpilogue | undefined,
  channels: number,
  channelsFirst: boolean,
): KernelEpilogue {
  const none: KernelEpilogue = { bias: 0, act: Activation.LINEAR, alphaBits: 0, prelu: 0 };
  if (!ep) return none;
  const act = activationCodes[ep.activation ?? 'linear'];
  if (act === undefined) throw new Error(`Lanes: activation '${ep.activation}' is not supported`);
  const vector = (t: TensorInfo, kind: 'scalar' | 'channel'): number =>
    kind === 'channel' ? backend.ptr(t) : temps.floats(new Array<number>(channels).fill(backend.f32(t)[0]));
  let bias = 0;
  if (ep.bias) {
    const kind = channelKind(ep.bias, channels, channelsFirst);
    if (kind === 'other') return { ...none, rest: ep };
    bias = vector(ep.bias, kind);
  }
  const result: KernelEpilogue = { bias, act, alphaBits: floatBits(ep.leakyreluAlpha ?? 0.2), prelu: 0 };
  if (act === Activation.PRELU) {
    const kind = channelKind(ep.preluWeights!, channels, channelsFirst);
    if (kind === 'other')
      return { ...result, act: Activation.LINEAR, rest: { activation: 'prelu', preluWeights: ep.preluWeights } };
    result.prelu = vector(ep.preluWeights!, kind);
  }
  return result;
}

/** Applies the unfused rest of an epilogue to the final output, in place. */
export function finishEpilogue(
  backend: LanesBackend,
  out: TensorInfo,
  rest: FusedEpilogue | undefined,
  channelsFirst: boolean,
): void {
  if (!rest || util.sizeFromShape(out.shape) === 0) return;
  // In NCHW a 1-D operand of C values means channels: view it as [C,1,1] (same data).
  const aligned = (t: TensorInfo): TensorInfo =>
    channelsFirst && t.shape.length === 1 && t.shape[0] !== 1 ? { ...t, shape: [t.shape[0], 1, 1] } : t;
  if (rest.bias) applyBinary(backend, BinaryOp.ADD, out, aligned(rest.bias), out);
  applyActivation(backend, out, rest.activation, rest.preluWeights && aligned(rest.preluWeights), rest.leakyreluAlpha);
}

// ---- tap tables ----------------------------------------------------------------------------------

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

function geometryWords(g: GatherGeometry): number[] {
  return [
    g.srcH,
    g.srcW,
    g.c,
    g.gridH,
    g.gridW,
    g.strideH,
    g.strideW,
    g.offH,
    g.offW,
    g.outH,
    g.outW,
    g.outStepH,
    g.outStepW,
    g.outOffH,
    g.outOffW,
  ];
}

/** Attribute block + table in the backend's scratch block when they fit, else in a temp block. */
function attrBlock(backend: LanesBackend, temps: Temps, words: number[], tableIndex: number, table: number[]): number {
  const scratch = backend.attrs([]);
  const all = words.slice();
  const tableWords = (all.length + 3) & ~3; // 16-byte aligned table
  while (all.length < tableWords) all.push(0);
  if ((tableWords + table.length) * 4 <= 4096) {
    all[tableIndex] = scratch + tableWords * 4;
    return backend.attrs([...all, ...table]);
  }
  all[tableIndex] = temps.words(table.length ? table : [0]);
  return backend.attrs(all);
}

/** Runs conv_igemm_f32 over `batch` images of grid `g` (see assembly/conv.ts for the contract). */
export function runIgemm(
  backend: LanesBackend,
  temps: Temps,
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
  const words = [...geometryWords(g), cols, rows, table.length / 4, 0, zero, ep.bias, ep.act, ep.alphaBits, ep.prelu];
  const attrs = attrBlock(backend, temps, words, 18, table);
  backend.parallel('conv_igemm_f32', [src, packed, out, attrs], m, Math.max(1, rows) * cols);
}

/** Runs depthwise_f32 over `batch` images (see assembly/depthwise.ts); taps carry weight rows of `c` floats. */
export function runDepthwise(
  backend: LanesBackend,
  temps: Temps,
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
  const words = [
    ...geometryWords(g),
    sorted.length,
    0,
    zero,
    ep.bias,
    ep.act,
    ep.alphaBits,
    ep.prelu,
    minOx,
    maxOx,
    dense3 ? 1 : 0,
  ];
  const attrs = attrBlock(backend, temps, words, 16, table);
  backend.parallel('depthwise_f32', [src, weights, out, attrs], rowsCount, g.gridW * g.c * Math.max(1, taps.length));
}

/**
 * x padded so that every tap of every output pixel lies inside (gradient kernels have no bounds
 * checks), or x itself when it already does. Returns the tensor and its (height, width).
 */
export function padForTaps(
  backend: LanesBackend,
  temps: Temps,
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
  return { x: temps.tensor(padNhwc(backend, x, needH, needW, channelsTo, top, left)), h: needH, w: needW };
}

/**
 * dy cropped (or zero-extended) to the output size the geometry implies. tfjs-backend-cpu reads dy
 * through its own strides but only over convInfo's output extent, and tfjs-core's conv2dTranspose
 * can pass a dy larger than that; the wasm kernels assume dy is exactly [N, OH, OW, C].
 */
export function fitOutputGrad(backend: LanesBackend, temps: Temps, dy: TensorInfo, oh: number, ow: number): TensorInfo {
  if (dy.shape[1] === oh && dy.shape[2] === ow) return dy;
  return temps.tensor(padNhwc(backend, dy, oh, ow, dy.shape[3], 0, 0));
}
