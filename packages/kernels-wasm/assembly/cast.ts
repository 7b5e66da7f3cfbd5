// Cast between float32, int32 and bool (1 byte), as tfjs-backend-cpu: float32 -> int32 is
// JavaScript's ToInt32 (Int32Array.from): truncate, NaN and infinities give 0, and values
// outside the int32 range wrap modulo 2^32; -> bool is `x != 0` (NaN gives true).
// Work items are elements.

const TWO32: f64 = 4294967296.0;

/** ToInt32 of a float: the rare out-of-range path. */
@inline function toInt32Slow(x: f32): i32 {
  if (!isFinite<f32>(x)) return 0;
  let m = Math.trunc(<f64>x) % TWO32; // exact: fmod of integers below 2^128
  if (m < 0) m += TWO32;
  return <i32><u32>m;
}

@inline function toInt32(x: f32): i32 {
  return Mathf.abs(x) < 2147483648.0 ? <i32>x : (x != x ? 0 : toInt32Slow(x));
}

/** int32 out[i] = ToInt32(float32 x[i]). */
export function cast_f32_i32(x: usize, out: usize, begin: i32, end: i32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD) {
    let lim = f32x4.splat(2147483648.0);
    for (; i + 4 <= end; i += 4) {
      let v = v128.load(x + (<usize>i << 2));
      // In range (NaN fails the test too): truncation agrees with ToInt32; otherwise lane by lane.
      if (i32x4.all_true(f32x4.lt(f32x4.abs(v), lim))) {
        v128.store(out + (<usize>i << 2), i32x4.trunc_sat_f32x4_s(v));
      } else {
        for (let k = 0; k < 4; k++) {
          store<i32>(out + (<usize>(i + k) << 2), toInt32(load<f32>(x + (<usize>(i + k) << 2))));
        }
      }
    }
  }
  for (; i < end; i++) store<i32>(out + (<usize>i << 2), toInt32(load<f32>(x + (<usize>i << 2))));
}

/** float32 out[i] = int32 x[i] (rounded to nearest). */
export function cast_i32_f32(x: usize, out: usize, begin: i32, end: i32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= end; i += 4) {
      v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
    }
  }
  for (; i < end; i++) store<f32>(out + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
}

/** bool out[i] = float32 x[i] != 0. */
export function cast_f32_bool(x: usize, out: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) store<u8>(out + <usize>i, load<f32>(x + (<usize>i << 2)) != 0 ? 1 : 0);
}

/** bool out[i] = int32 x[i] != 0. */
export function cast_i32_bool(x: usize, out: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) store<u8>(out + <usize>i, load<i32>(x + (<usize>i << 2)) != 0 ? 1 : 0);
}

/** int32 out[i] = bool x[i] (0 or 1, or whatever byte the bool holds). */
export function cast_bool_i32(x: usize, out: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) store<i32>(out + (<usize>i << 2), <i32>load<u8>(x + <usize>i));
}

/** float32 out[i] = bool x[i]. */
export function cast_bool_f32(x: usize, out: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) store<f32>(out + (<usize>i << 2), <f32>load<u8>(x + <usize>i));
}
