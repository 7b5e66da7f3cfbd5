// Vector helpers shared by every kernel. One source serves three builds: the feature constants
// are compile-time, so the untaken branch is never emitted.

/** a*b + c; fused (one rounding) where relaxed SIMD allows, otherwise mul then add. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline export function ldf(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline export function stf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}
@inline export function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline export function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}
@inline export function ldv(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}
@inline export function stv(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}
