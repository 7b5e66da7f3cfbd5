// Bias and activation applied to accumulators as they are stored, so that a fused convolution
// writes its output once instead of re-reading it for each elementwise pass.
import { Activation } from './opcodes';
import { expV, sigmoidV, sigmoidS } from './math';
import { ldf, stf } from './simd';

/** The activation of a vector; `prelu` holds the per-lane PReLU slopes. Same NaN rules as unary_f32. */
@inline export function activateV(x: v128, act: i32, alpha: f32, prelu: v128): v128 {
  switch (act) {
    case Activation.RELU: return f32x4.max(x, f32x4.splat(0));
    case Activation.RELU6: return f32x4.min(f32x4.max(x, f32x4.splat(0)), f32x4.splat(6));
    case Activation.LEAKY_RELU:
      return v128.bitselect(f32x4.mul(x, f32x4.splat(alpha)), x, f32x4.lt(x, f32x4.splat(0)));
    case Activation.PRELU: return v128.bitselect(f32x4.mul(x, prelu), x, f32x4.lt(x, f32x4.splat(0)));
    case Activation.ELU: return v128.bitselect(x, f32x4.sub(expV(x), f32x4.splat(1)), f32x4.ge(x, f32x4.splat(0)));
    case Activation.SIGMOID: return sigmoidV(x);
    default: return x;
  }
}

/** Scalar form of activateV. */
@inline export function activateS(x: f32, act: i32, alpha: f32, prelu: f32): f32 {
  switch (act) {
    case Activation.RELU: return x > 0 ? x : (x != x ? x : 0);
    case Activation.RELU6: return x != x ? x : Mathf.min(Mathf.max(x, 0), 6);
    case Activation.LEAKY_RELU: return x < 0 ? alpha * x : x;
    case Activation.PRELU: return x < 0 ? prelu * x : x;
    case Activation.ELU: return x >= 0 ? x : <f32>(Math.exp(<f64>x) - 1.0);
    case Activation.SIGMOID: return sigmoidS(x);
    default: return x;
  }
}

/** Lanes [j, j + min(4, w - j)) of p (lane i from p[j + i]); the rest 0. A null pointer gives 0. */
@inline export function loadLanes(p: usize, j: i32, w: i32): v128 {
  let v = f32x4.splat(0);
  if (p == 0) return v;
  if (j < w) v = f32x4.replace_lane(v, 0, ldf(p, j));
  if (j + 1 < w) v = f32x4.replace_lane(v, 1, ldf(p, j + 1));
  if (j + 2 < w) v = f32x4.replace_lane(v, 2, ldf(p, j + 2));
  if (j + 3 < w) v = f32x4.replace_lane(v, 3, ldf(p, j + 3));
  return v;
}

/** Stores lanes of v to p[j + i] for j + i < w. */
@inline export function storeLanes(p: usize, j: i32, w: i32, v: v128): void {
  if (j < w) stf(p, j, f32x4.extract_lane(v, 0));
  if (j + 1 < w) stf(p, j + 1, f32x4.extract_lane(v, 1));
  if (j + 2 < w) stf(p, j + 2, f32x4.extract_lane(v, 2));
  if (j + 3 < w) stf(p, j + 3, f32x4.extract_lane(v, 3));
}

/** Stores lanes i >= from of v to p[i]; the last channel group of a kernel that shifted it back to stay in bounds. */
@inline export function storeLanesFrom(p: usize, from: i32, v: v128): void {
  if (from <= 0) stf(p, 0, f32x4.extract_lane(v, 0));
  if (from <= 1) stf(p, 1, f32x4.extract_lane(v, 1));
  if (from <= 2) stf(p, 2, f32x4.extract_lane(v, 2));
  stf(p, 3, f32x4.extract_lane(v, 3));
}

/**
 * Applies the activation in place to `pixels` pixels of C channels (pixel stride `stride` bytes).
 * Kept out of line on purpose: inlined into a kernel's hot loop, the exp constants of elu/sigmoid
 * become loop invariants that V8 keeps in registers (or spills), slowing the loop for every activation.
 */
export function activatePixels(p: usize, pixels: i32, stride: usize, C: i32, act: i32, alpha: f32, prelu: usize): void {
  for (let i = 0; i < pixels; i++) {
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= C; c += 4) {
        let q = act == Activation.PRELU ? v128.load(prelu + (<usize>c << 2)) : f32x4.splat(0);
        v128.store(p + (<usize>c << 2), activateV(v128.load(p + (<usize>c << 2)), act, alpha, q));
      }
    }
    for (; c < C; c++) stf(p, c, activateS(ldf(p, c), act, alpha, act == Activation.PRELU ? ldf(prelu, c) : 0));
    p += stride;
  }
}
