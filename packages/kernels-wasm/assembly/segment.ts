// UnsortedSegmentSum: out[s, c] = sum of x[i, c] over rows i with ids[i] == s.
// Ids outside [0, numSegments) are dropped. Rows are added in order, so each output is summed
// sequentially; the range splits columns, so threads never write the same output.

/** Columns [begin, end) of x viewed as [rows, inner] into out [numSegments, inner] (float32). */
export function unsorted_segment_sum_f32(x: usize, ids: usize, out: usize, rows: i32, inner: i32, numSegments: i32, begin: i32, end: i32): void {
  let w = end - begin;
  for (let s = 0; s < numSegments; s++) {
    memory.fill(out + ((<usize>s * <usize>inner + <usize>begin) << 2), 0, <usize>w << 2);
  }
  for (let i = 0; i < rows; i++) {
    let s = load<i32>(ids + (<usize>i << 2));
    if (<u32>s >= <u32>numSegments) continue;
    let src = x + ((<usize>i * <usize>inner + <usize>begin) << 2);
    let dst = out + ((<usize>s * <usize>inner + <usize>begin) << 2);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= w; c += 4) {
        let off = <usize>c << 2;
        v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
      }
    }
    for (; c < w; c++) {
      let off = <usize>c << 2;
      store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
    }
  }
}
