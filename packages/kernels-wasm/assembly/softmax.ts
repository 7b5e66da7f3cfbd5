// Numerically stable softmax along one axis of x viewed as [outer, n, inner]:
// out = exp(x - max) / sum(exp(x - max)). Three passes (max, exp-and-sum, scale), as tfjs.
// A "column" is one (outer, inner) pair; the work range runs over columns. When inner = 1 a
// column is a contiguous row and the vectors run along it; otherwise they run across columns.
import { ldf, stf, ldv, stv, madd } from './simd';

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// Below this exp(x) is under the smallest normal float; tfjs's float64 exp rounds it to ~0 too.
const CUTOFF: f32 = -87.33654;
// 1.5 * 2^23 + 127: adding it rounds x*log2(e) to an integer held in the low mantissa bits,
// already biased by 127, so one shift builds 2^n (XNNPACK's "magic bias" reduction).
const MAGIC: f32 = 12583039.0;

/** e^x for x <= 0 (or NaN, which propagates): the only inputs a max-subtracted softmax produces. */
@inline function expNonPosV(x: v128): v128 {
  let xc = f32x4.max(x, f32x4.splat(CUTOFF));
  let n = madd(xc, f32x4.splat(LOG2E), f32x4.splat(MAGIC));
  let s = i32x4.shl(n, 23);
  n = f32x4.sub(n, f32x4.splat(MAGIC));
  let r = madd(n, f32x4.splat(-LN2_HI), xc);
  r = madd(n, f32x4.splat(-LN2_LO), r);
  let p = madd(f32x4.splat(1.9875691500e-4), r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = madd(p, f32x4.mul(r, r), r);
  // s * (1 + p) = s + s * p keeps the leading 1 exact.
  let e = madd(s, p, s);
  return v128.andnot(e, f32x4.lt(x, f32x4.splat(CUTOFF)));
}

@inline function expS(x: f32): f32 {
  return <f32>Math.exp(<f64>x);
}

// wasm's max propagates NaN, as tfjs's Max reduction does (a NaN anywhere makes the row NaN).
@inline function rowSoftmax(x: usize, out: usize, n: i32): void {
  let i = 0;
  let m: f32 = -Infinity;
  if (ASC_FEATURE_SIMD && n >= 16) {
    let m0 = f32x4.splat(-Infinity), m1 = m0, m2 = m0, m3 = m0;
    for (; i + 16 <= n; i += 16) {
      m0 = f32x4.max(m0, ldv(x, i));
      m1 = f32x4.max(m1, ldv(x, i + 4));
      m2 = f32x4.max(m2, ldv(x, i + 8));
      m3 = f32x4.max(m3, ldv(x, i + 12));
    }
    m0 = f32x4.max(f32x4.max(m0, m1), f32x4.max(m2, m3));
    m = max(max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)), max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)));
  }
  for (; i < n; i++) m = max(m, ldf(x, i));

  i = 0;
  let sum: f32 = 0;
  if (ASC_FEATURE_SIMD && n >= 8) {
    let mv = f32x4.splat(m);
    let s0 = f32x4.splat(0), s1 = s0;
    for (; i + 8 <= n; i += 8) {
      let e0 = expNonPosV(f32x4.sub(ldv(x, i), mv));
      let e1 = expNonPosV(f32x4.sub(ldv(x, i + 4), mv));
      stv(out, i, e0);
      stv(out, i + 4, e1);
      s0 = f32x4.add(s0, e0);
      s1 = f32x4.add(s1, e1);
    }
    s0 = f32x4.add(s0, s1);
    sum = (f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1)) + (f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3));
  }
  for (; i < n; i++) {
    let e = expS(ldf(x, i) - m);
    stf(out, i, e);
    sum += e;
  }

  let inv: f32 = 1 / sum;
  i = 0;
  if (ASC_FEATURE_SIMD) {
    let iv = f32x4.splat(inv);
    for (; i + 8 <= n; i += 8) {
      stv(out, i, f32x4.mul(ldv(out, i), iv));
      stv(out, i + 4, f32x4.mul(ldv(out, i + 4), iv));
    }
  }
  for (; i < n; i++) stf(out, i, ldf(out, i) * inv);
}

// `w` adjacent columns (w = 4 vectorised, 1 scalar) at x / out, the axis strided by `inner`.
@inline function colsSoftmax4(x: usize, out: usize, n: i32, inner: i32): void {
  let m = f32x4.splat(-Infinity);
  for (let k = 0; k < n; k++) m = f32x4.max(m, ldv(x, k * inner));
  let s = f32x4.splat(0);
  for (let k = 0; k < n; k++) {
    let e = expNonPosV(f32x4.sub(ldv(x, k * inner), m));
    stv(out, k * inner, e);
    s = f32x4.add(s, e);
  }
  let iv = f32x4.div(f32x4.splat(1), s);
  for (let k = 0; k < n; k++) stv(out, k * inner, f32x4.mul(ldv(out, k * inner), iv));
}

@inline function colSoftmax1(x: usize, out: usize, n: i32, inner: i32): void {
  let m: f32 = -Infinity;
  for (let k = 0; k < n; k++) m = max(m, ldf(x, k * inner));
  let s: f32 = 0;
  for (let k = 0; k < n; k++) {
    let e = expS(ldf(x, k * inner) - m);
    stf(out, k * inner, e);
    s += e;
  }
  let inv: f32 = 1 / s;
  for (let k = 0; k < n; k++) stf(out, k * inner, ldf(out, k * inner) * inv);
}

/** Softmax over columns [begin, end) of x viewed as [outer, n, inner] (column = outer * inner + j). */
export function softmax_f32(x: usize, out: usize, n: i32, inner: i32, begin: i32, end: i32): void {
  if (inner == 1) {
    for (let o = begin; o < end; o++) {
      let off = <usize>o * <usize>n << 2;
      rowSoftmax(x + off, out + off, n);
    }
    return;
  }
  let col = begin;
  while (col < end) {
    let o = col / inner, j = col - o * inner;
    let stop = min(end, (o + 1) * inner);
    let base = <usize>(o * n) * <usize>inner;
    while (col < stop) {
      let off = (base + <usize>j) << 2;
      if (ASC_FEATURE_SIMD && col + 4 <= stop) {
        colsSoftmax4(x + off, out + off, n, inner);
        col += 4; j += 4;
      } else {
        colSoftmax1(x + off, out + off, n, inner);
        col++; j++;
      }
    }
  }
}
