// OneHot: row i of the output is `off` everywhere but `on` at column indices[i] (when in range).

/** Rows [begin, end) of a [n, depth] output of 32-bit words (the caller passes on/off as the output dtype's bits). */
export function one_hot_32(indices: usize, out: usize, depth: i32, on: i32, off: i32, begin: i32, end: i32): void {
  for (let r = begin; r < end; r++) {
    let row = out + (<usize>r * <usize>depth << 2);
    let k = 0;
    if (ASC_FEATURE_SIMD) {
      let offV = i32x4.splat(off);
      for (; k + 4 <= depth; k += 4) v128.store(row + (<usize>k << 2), offV);
    }
    for (; k < depth; k++) store<i32>(row + (<usize>k << 2), off);
    let at = load<i32>(indices + (<usize>r << 2));
    if (at >= 0 && at < depth) store<i32>(row + (<usize>at << 2), on);
  }
}
