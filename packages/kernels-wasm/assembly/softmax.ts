// Numerically stable softmax along one axis of x viewed as [outer, n, inner]:
// out = exp(x - max) / sum(exp(x - max)). Three passes (max, exp-and-sum, scale), as tfjs.
// A "column" is one (outer, inner) pair; the work range runs over columns. When inner = 1 a
// column is a contiguous row and the vectors run along it; otherwise they run across columns.
import { ldf, stf, ldv, stv, madd } from './simd';

// XNNPACK's "rr2-p5" exp: two-step Cody-Waite reduction and a degree-5 minimax polynomial,
// 9e-8 relative error on the reduced range (checked in float64).
const LOG2E: f32 = 1.4426950216293335; // 0x1.715476p+0
const MINUS_LN2_HI: f32 = -0.693145751953125; // -0x1.62E400p-1
const MINUS_LN2_LO: f32 = -1.428606765330187e-6; // -0x1.7F7D1Cp-20
const C5: f32 = 0.008289290592074394; // 0x1.0F9F9Cp-7
const C4: f32 = 0.04189782217144966; // 0x1.573A1Ap-5
const C3: f32 = 0.16667652130126953; // 0x1.555A80p-3
const C2: f32 = 0.4999915063381195; // 0x1.FFFDC6p-2
const C1: f32 = 0.9999997019767761; // 0x1.FFFFF6p-1
// Below this exp(x) is under the smallest normal float (tfjs's float64 exp gives at most 1.2e-38).
const CUTOFF: f32 = -87.33654022216797; // -0x1.5D589Ep6
// 1.5 * 2^23 + 127: adding it rounds x*log2(e) to an integer held in the low mantissa bits,
// already biased by 127, so one shift builds 2^n.
const MAGIC: f32 = 12583039.0; // 0x1.8000FEp23

// The constants as data: loaded into locals once per row, they stay in registers. Written as
// literals, the optimiser folds them into every use and V8 rebuilds each one per vector.
const K = memory.data<f32>([LOG2E, MAGIC, MINUS_LN2_HI, MINUS_LN2_LO, C5, C4, C3, C2, C1, CUTOFF]);

/**
 * e^x for x <= 0 (or NaN, which propagates): the only inputs a max-subtracted softmax produces.
 * No clamp up front: below the cutoff the reduction goes wrong (even NaN, for -Inf) and the final
 * mask replaces whatever came out by 0. k0..k9 are the constants of K, splatted.
 */
@inline function expNonPosV(
  x: v128, k0: v128, k1: v128, k2: v128, k3: v128, k4: v128, k5: v128, k6: v128, k7: v128, k8: v128, k9: v128,
): v128 {
  let n = madd(x, k0, k1);
  let s = i32x4.shl(n, 23);
  n = f32x4.sub(n, k1);
  let t = madd(n, k2, x);
  t = madd(n, k3, t);
  let p = madd(k4, t, k5);
  p = madd(p, t, k6);
  p = madd(p, t, k7);
  p = madd(p, t, k8);
  // 2^n * (1 + t p) = s + (t s) p
  t = f32x4.mul(t, s);
  return v128.andnot(madd(t, p, s), f32x4.lt(x, k9));
}

@inline function expS(x: f32): f32 {
  return <f32>Math.exp(<f64>x);
}

// out[i * stride] = exp(x[i * stride] - m) for i < n, 4 lanes wide; returns the lane sums.
@inline function expSumV(x: usize, out: usize, n: i32, stride: i32, m: v128): v128 {
  let k0 = v128.load32_splat(K), k1 = v128.load32_splat(K, 4), k2 = v128.load32_splat(K, 8);
  let k3 = v128.load32_splat(K, 12), k4 = v128.load32_splat(K, 16), k5 = v128.load32_splat(K, 20);
  let k6 = v128.load32_splat(K, 24), k7 = v128.load32_splat(K, 28), k8 = v128.load32_splat(K, 32);
  let k9 = v128.load32_splat(K, 36);
  let step = <usize>stride << 2;
  let s0 = f32x4.splat(0), s1 = s0;
  let i = 0;
  // Two vectors per step: more would spill the ten constants out of registers.
  for (; i + 2 <= n; i += 2) {
    let e0 = expNonPosV(f32x4.sub(v128.load(x), m), k0, k1, k2, k3, k4, k5, k6, k7, k8, k9);
    let e1 = expNonPosV(f32x4.sub(v128.load(x + step), m), k0, k1, k2, k3, k4, k5, k6, k7, k8, k9);
    v128.store(out, e0);
    v128.store(out + step, e1);
    s0 = f32x4.add(s0, e0);
    s1 = f32x4.add(s1, e1);
    x += step << 1;
    out += step << 1;
  }
  if (i < n) {
    let e0 = expNonPosV(f32x4.sub(v128.load(x), m), k0, k1, k2, k3, k4, k5, k6, k7, k8, k9);
    v128.store(out, e0);
    s0 = f32x4.add(s0, e0);
  }
  return f32x4.add(s0, s1);
}

// The max pass skips NaN (pmax: a single maxps on x86, where wasm's NaN-propagating max costs
// several instructions). A NaN still poisons the row, as in tfjs: its exp is NaN, so is the sum.
@inline function rowSoftmax(x: usize, out: usize, n: i32): void {
  let i = 0;
  let m: f32 = -Infinity;
  if (ASC_FEATURE_SIMD && n >= 16) {
    let m0 = f32x4.splat(-Infinity), m1 = m0, m2 = m0, m3 = m0;
    for (; i + 16 <= n; i += 16) {
      let p = x + (<usize>i << 2);
      m0 = f32x4.pmax(m0, v128.load(p));
      m1 = f32x4.pmax(m1, v128.load(p, 16));
      m2 = f32x4.pmax(m2, v128.load(p, 32));
      m3 = f32x4.pmax(m3, v128.load(p, 48));
    }
    m0 = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
    m = max(
      max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)),
      max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)),
    );
  }
  for (; i < n; i++) {
    let v = ldf(x, i);
    if (v > m) m = v;
  }

  i = 0;
  let sum: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let vectors = n >> 2;
    let sv = expSumV(x, out, vectors, 4, f32x4.splat(m));
    sum = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1))
      + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
    i = vectors << 2;
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
      let p = out + (<usize>i << 2);
      v128.store(p, f32x4.mul(v128.load(p), iv));
      v128.store(p, f32x4.mul(v128.load(p, 16), iv), 16);
    }
  }
  for (; i < n; i++) stf(out, i, ldf(out, i) * inv);
}

// Four adjacent columns at x / out, the axis strided by `inner`.
@inline function colsSoftmax4(x: usize, out: usize, n: i32, inner: i32): void {
  let m = f32x4.splat(-Infinity);
  for (let k = 0; k < n; k++) m = f32x4.pmax(m, ldv(x, k * inner));
  let iv = f32x4.div(f32x4.splat(1), expSumV(x, out, n, inner, m));
  for (let k = 0; k < n; k++) stv(out, k * inner, f32x4.mul(ldv(out, k * inner), iv));
}

@inline function colSoftmax1(x: usize, out: usize, n: i32, inner: i32): void {
  let m: f32 = -Infinity;
  for (let k = 0; k < n; k++) {
    let v = ldf(x, k * inner);
    if (v > m) m = v;
  }
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
