// float64 references of the dense ops: batched matmul (broadcast batch dims, transposes), conv2d
// and depthwise (forward, both backprops; NHWC), pooling and its gradients, batchNorm. Each value
// carries Σ|terms| (mag) and the ops give their reduction length, for the tolerance.
import type { backend_util } from '@tensorflow/tfjs-core';
import { broadcastShape, ref, sizeOf, stridesOf, unravel, type Ref } from './ref64_core.js';

/** tfjs's fused activations in float64 (alpha: leakyrelu's, slope: prelu's for this channel). */
export function activation64(v: number, activation: string, alpha: number, slope: number): number {
  switch (activation) {
    case 'relu':
      return Number.isNaN(v) ? NaN : Math.max(v, 0);
    case 'relu6':
      return Number.isNaN(v) ? NaN : Math.min(Math.max(v, 0), 6);
    case 'leakyrelu':
      return v < 0 ? alpha * v : v;
    case 'prelu':
      return v < 0 ? slope * v : v;
    case 'elu':
      return v >= 0 ? v : Math.expm1(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    default:
      return v;
  }
}

/**
 * matMul of a [...batchA, M, K] (or [..., K, M] with ta) and b [...batchB, K, N] (or [..., N, K]
 * with tb), batch dims broadcast. mag: Σ|a·b|; terms: K.
 */
export function matMul64(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  ta: boolean,
  tb: boolean,
): Ref {
  const ra = aShape.length,
    rb = bShape.length;
  const [M, K] = ta ? [aShape[ra - 1]!, aShape[ra - 2]!] : [aShape[ra - 2]!, aShape[ra - 1]!];
  const N = tb ? bShape[rb - 2]! : bShape[rb - 1]!;
  const batchA = aShape.slice(0, -2),
    batchB = bShape.slice(0, -2);
  const batch = broadcastShape(batchA, batchB);
  const outShape = [...batch, M, N];
  const out = new Float64Array(sizeOf(outShape)),
    mag = new Float64Array(out.length);
  const batchIndex = (own: number[], idx: number[]) => {
    const st = stridesOf(own);
    const off = batch.length - own.length;
    return own.reduce((acc, d, i) => acc + (d === 1 ? 0 : idx[off + i]! * st[i]!), 0);
  };
  for (let bi = 0; bi < sizeOf(batch); bi++) {
    const idx = unravel(bi, batch);
    const oa = batchIndex(batchA, idx) * M * K,
      ob = batchIndex(batchB, idx) * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0,
          m = 0;
        for (let k = 0; k < K; k++) {
          const p = a[oa + (ta ? k * M + i : i * K + k)]! * b[ob + (tb ? j * K + k : k * N + j)]!;
          s += p;
          m += Math.abs(p);
        }
        out[(bi * M + i) * N + j] = s;
        mag[(bi * M + i) * N + j] = m;
      }
  }
  return ref(outShape, 'float32', out, mag, K);
}

/** NHWC <-> NCHW of a flat float64 array (`toNCHW` false: NCHW to NHWC; shape is NHWC). */
export function relayout(a: ArrayLike<number>, [n, h, w, c]: number[], toNCHW: boolean): Float64Array {
  const out = new Float64Array(n * h * w * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++) {
          const nhwc = ((b * h + i) * w + j) * c + k,
            nchw = ((b * c + k) * h + i) * w + j;
          if (toNCHW) out[nchw] = a[nhwc]!;
          else out[nhwc] = a[nchw]!;
        }
  return out;
}

/** Visits every (output, input, filter) index triple of a convolution (NHWC, filter HWIO or HWCM). */
function convTerms(
  info: backend_util.Conv2DInfo,
  depthwise: boolean,
  visit: (o: number, xi: number, wi: number) => void,
): void {
  const { batchSize: n, inHeight: h, inWidth: wd, inChannels: c, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const m = depthwise ? oc / c : oc;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let kh = 0; kh < fh; kh++)
          for (let kw = 0; kw < fw; kw++) {
            const ih = i * sh - top + kh * dh,
              iw = j * sw - left + kw * dw;
            if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
            const xBase = ((b * h + ih) * wd + iw) * c,
              oBase = ((b * oh + i) * ow + j) * oc,
              wBase = (kh * fw + kw) * c;
            for (let o = 0; o < oc; o++) {
              if (depthwise) {
                const ci = Math.floor(o / m);
                visit(oBase + o, xBase + ci, (wBase + ci) * m + (o % m));
              } else for (let ci = 0; ci < c; ci++) visit(oBase + o, xBase + ci, (wBase + ci) * oc + o);
            }
          }
}

/** Conv2D (or depthwise) forward, NHWC; terms: the products one output sums. */
export function conv64(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  info: backend_util.Conv2DInfo,
  depthwise = false,
): Ref {
  const out = new Float64Array(sizeOf(info.outShape)),
    mag = new Float64Array(out.length);
  convTerms(info, depthwise, (o, xi, wi) => {
    const p = x[xi]! * w[wi]!;
    out[o] += p;
    mag[o] += Math.abs(p);
  });
  const terms = info.filterHeight * info.filterWidth * (depthwise ? 1 : info.inChannels);
  return ref(info.outShape, 'float32', out, mag, terms);
}

/** Conv2D (or depthwise) input gradient, NHWC: the forward's terms scattered back. */
export function convBackpropInput64(
  dy: ArrayLike<number>,
  w: ArrayLike<number>,
  info: backend_util.Conv2DInfo,
  depthwise = false,
): Ref {
  const shape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  const out = new Float64Array(sizeOf(shape)),
    mag = new Float64Array(out.length),
    count = new Float64Array(out.length);
  convTerms(info, depthwise, (o, xi, wi) => {
    const p = dy[o]! * w[wi]!;
    out[xi] += p;
    mag[xi] += Math.abs(p);
    count[xi]++;
  });
  return ref(shape, 'float32', out, mag, Math.max(1, ...count));
}

/** Conv2D (or depthwise) filter gradient. */
export function convBackpropFilter64(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  filterShape: number[],
  info: backend_util.Conv2DInfo,
  depthwise = false,
): Ref {
  const out = new Float64Array(sizeOf(filterShape)),
    mag = new Float64Array(out.length),
    count = new Float64Array(out.length);
  convTerms(info, depthwise, (o, xi, wi) => {
    const p = dy[o]! * x[xi]!;
    out[wi] += p;
    mag[wi] += Math.abs(p);
    count[wi]++;
  });
  return ref(filterShape, 'float32', out, mag, Math.max(1, ...count));
}

/** Visits each pooling window's in-bounds input positions (NHWC). */
function poolWindows(info: backend_util.Conv2DInfo, visit: (o: number, xs: number[]) => void): void {
  const { batchSize: n, inHeight: h, inWidth: wd, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let k = 0; k < c; k++) {
          const xs: number[] = [];
          for (let kh = 0; kh < fh; kh++)
            for (let kw = 0; kw < fw; kw++) {
              const ih = i * sh - top + kh,
                iw = j * sw - left + kw;
              if (ih >= 0 && ih < h && iw >= 0 && iw < wd) xs.push(((b * h + ih) * wd + iw) * c + k);
            }
          visit(((b * oh + i) * ow + j) * c + k, xs);
        }
}

/**
 * maxPool / avgPool (average over the window's in-bounds pixels), or with `dy` their gradient:
 * max sends dy to the window's first maximum (tfjs's `>` scan), avg spreads dy / (fh·fw) over it.
 */
export function pool64(x: ArrayLike<number>, info: backend_util.Conv2DInfo, max: boolean, dy?: ArrayLike<number>): Ref {
  const inShape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  const grad = dy !== undefined;
  // tfjs: a 1×1 window whose output keeps the input's shape is the identity, even where a padding
  // and a stride shift the windows (tfjs-core's spec 'max x=[2,2,3] f=[1,1] s=2 p=1' asserts it).
  const identity = info.filterHeight === 1 && info.filterWidth === 1 && info.outShape.join() === inShape.join();
  if (identity && !grad) return ref(inShape, 'float32', Float64Array.from(x));
  const out = new Float64Array(sizeOf(grad ? inShape : info.outShape)),
    mag = new Float64Array(out.length),
    count = new Float64Array(out.length);
  poolWindows(info, (o, xs) => {
    if (max) {
      let best = -Infinity,
        at = -1;
      for (const i of xs)
        if (x[i]! > best) {
          best = x[i]!;
          at = i;
        }
      if (!grad) out[o] = xs.length === 0 ? -Infinity : at < 0 ? x[xs[0]!]! : best;
      else if (at >= 0) {
        out[at] += dy[o]!;
        mag[at] += Math.abs(dy[o]!);
        count[at]++;
      }
      return;
    }
    if (!grad) {
      out[o] = xs.reduce((a, i) => a + x[i]!, 0) / xs.length;
      mag[o] = xs.reduce((a, i) => a + Math.abs(x[i]!), 0) / xs.length;
      count[o] = xs.length;
      return;
    }
    // tfjs's AvgPoolGrad: dy / (fh·fw) to each in-bounds pixel, also where the window overlaps the
    // padding and the forward divided by fewer (tfjs-core's own spec asserts it; TensorFlow divides by
    // the in-bounds count, the true derivative). Lanes keeps tfjs's definition: see the README.
    const share = dy[o]! / (info.filterHeight * info.filterWidth);
    for (const i of xs) {
      out[i] += share;
      mag[i] += Math.abs(share);
      count[i]++;
    }
  });
  return ref(grad ? inShape : info.outShape, 'float32', out, mag, Math.max(1, ...count) + 1);
}

/** batchNorm: (x - mean) · scale / sqrt(variance + eps) + offset, statistics broadcast against x. */
export function batchNorm64(
  x: ArrayLike<number>,
  shape: number[],
  stats: {
    mean: ArrayLike<number>;
    variance: ArrayLike<number>;
    offset?: ArrayLike<number>;
    scale?: ArrayLike<number>;
  },
  statShape: number[],
  eps: number,
): Ref {
  const size = sizeOf(shape);
  const sz = sizeOf(statShape);
  const out = new Float64Array(size),
    mag = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const s = i % sz;
    const inv = 1 / Math.sqrt(stats.variance[s]! + eps);
    const sc = stats.scale ? stats.scale[s]! : 1;
    const off = stats.offset ? stats.offset[s]! : 0;
    out[i] = (x[i]! - stats.mean[s]!) * sc * inv + off;
    mag[i] = (Math.abs(x[i]!) + Math.abs(stats.mean[s]!)) * Math.abs(sc * inv) + Math.abs(off);
  }
  return ref(shape, 'float32', out, mag, 4);
}
