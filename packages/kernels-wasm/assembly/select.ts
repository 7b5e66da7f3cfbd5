// Select (tf.where): out = cond ? t : e, condition per element or per leading row.
// tfjs-backend-cpu takes `t` only where the condition byte is exactly 1.

@inline function maskOf4(cond: usize, i: i32): v128 {
  let bytes = v128.load32_zero(cond + <usize>i);
  let wide = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes));
  return i32x4.eq(wide, i32x4.splat(1));
}

/**
 * 32-bit elements (float32 / int32). With inner = 1 the range [begin, end) counts elements and
 * the condition is elementwise; otherwise it counts rows of `inner` elements sharing one condition.
 */
export function select_32(cond: usize, t: usize, e: usize, out: usize, inner: i32, begin: i32, end: i32): void {
  if (inner == 1) {
    let i = begin;
    if (ASC_FEATURE_SIMD) {
      for (; i + 4 <= end; i += 4) {
        let off = <usize>i << 2;
        v128.store(out + off, v128.bitselect(v128.load(t + off), v128.load(e + off), maskOf4(cond, i)));
      }
    }
    for (; i < end; i++) {
      let off = <usize>i << 2;
      store<i32>(out + off, load<u8>(cond + <usize>i) == 1 ? load<i32>(t + off) : load<i32>(e + off));
    }
    return;
  }
  for (let r = begin; r < end; r++) {
    let src = load<u8>(cond + <usize>r) == 1 ? t : e;
    memory.copy(out + (<usize>r * <usize>inner << 2), src + (<usize>r * <usize>inner << 2), <usize>inner << 2);
  }
}

/** Bool (one-byte) elements, as {@link select_32}. */
export function select_8(cond: usize, t: usize, e: usize, out: usize, inner: i32, begin: i32, end: i32): void {
  if (inner == 1) {
    let i = begin;
    if (ASC_FEATURE_SIMD) {
      let one = i8x16.splat(1);
      for (; i + 16 <= end; i += 16) {
        let off = <usize>i;
        let m = i8x16.eq(v128.load(cond + off), one);
        v128.store(out + off, v128.bitselect(v128.load(t + off), v128.load(e + off), m));
      }
    }
    for (; i < end; i++) {
      store<u8>(out + <usize>i, load<u8>(cond + <usize>i) == 1 ? load<u8>(t + <usize>i) : load<u8>(e + <usize>i));
    }
    return;
  }
  for (let r = begin; r < end; r++) {
    let src = load<u8>(cond + <usize>r) == 1 ? t : e;
    memory.copy(out + <usize>r * <usize>inner, src + <usize>r * <usize>inner, <usize>inner);
  }
}
