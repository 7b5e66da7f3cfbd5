// UnsortedSegmentSum: out[s, c] = sum of x[i, c] over rows i with ids[i] == s.
// Ids outside [0, numSegments) are dropped. Rows are added in order, so each output is summed
// sequentially; the range splits columns, so threads never write the same output.
//
// tfjs-cpu computes each segment as sum(x * (ids == s)), so a NaN or ±Inf in x also reaches
// every *other* segment as 0 * x = NaN. We match that: when the block holds a non-finite value,
// a second pass finds, per column, which segments it poisons: all of them when the non-finite
// rows span two segments (or a dropped id), all but the one segment holding them otherwise.

const NONE = -2; // no non-finite row seen in this column yet
const DROPPED = -1; // segment of a row whose id is out of range

@inline function segmentOf(ids: usize, i: i32, numSegments: i32): i32 {
  let s = load<i32>(ids + (<usize>i << 2));
  return <u32>s < <u32>numSegments ? s : DROPPED;
}

/** Columns [begin, end) of x viewed as [rows, inner] into out [numSegments, inner] (float32). */
export function unsorted_segment_sum_f32(
  x: usize, ids: usize, out: usize, rows: i32, inner: i32, numSegments: i32, begin: i32, end: i32,
): void {
  let w = end - begin;
  let rowBytes = <usize>inner << 2;
  for (let s = 0; s < numSegments; s++) memory.fill(out + <usize>s * rowBytes + (<usize>begin << 2), 0, <usize>w << 2);
  let bad = false;
  for (let i = 0; i < rows; i++) {
    let s = segmentOf(ids, i, numSegments);
    let src = x + <usize>i * rowBytes + (<usize>begin << 2);
    let dst = out + <usize>s * rowBytes + (<usize>begin << 2);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      let nonFinite = i32x4.splat(0);
      for (; c + 4 <= w; c += 4) {
        let off = <usize>c << 2;
        let v = v128.load(src + off);
        let d = f32x4.sub(v, v); // 0, or NaN for NaN / ±Inf
        nonFinite = v128.or(nonFinite, f32x4.ne(d, d));
        if (s >= 0) v128.store(dst + off, f32x4.add(v128.load(dst + off), v));
      }
      if (v128.any_true(nonFinite)) bad = true;
    }
    for (; c < w; c++) {
      let off = <usize>c << 2;
      let v = load<f32>(src + off);
      if (v - v != 0) bad = true;
      if (s >= 0) store<f32>(dst + off, load<f32>(dst + off) + v);
    }
  }
  if (!bad) return;
  for (let c = begin; c < end; c++) {
    let first = NONE, spread = false;
    for (let i = 0; i < rows; i++) {
      let v = load<f32>(x + <usize>i * rowBytes + (<usize>c << 2));
      if (v - v == 0) continue;
      let s = segmentOf(ids, i, numSegments);
      if (first == NONE) first = s;
      else if (s != first) spread = true;
    }
    if (first == NONE) continue;
    for (let s = 0; s < numSegments; s++) {
      if (spread || s != first) store<f32>(out + <usize>s * rowBytes + (<usize>c << 2), NaN);
    }
  }
}
