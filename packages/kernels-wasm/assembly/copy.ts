// Strided N-d copies: the one loop behind Slice, StridedSlice, Reverse, Tile, Unpack/SplitV and
// Transpose's general case, written once per element width (x32: float32/int32, x8: bool).
// The caller simplifies the geometry first (drops size-1 dims, merges dims that both sides walk
// contiguously), so the innermost run is as long as it can be.
//
// attrs: StridedAttr (src/layouts.ts): rank, shape, inStrides, outStrides. Strides count
// elements and may be zero (broadcast, Tile) or negative (Reverse, negative StridedSlice).
import { StridedAttr } from './layouts';

/** The i-th i32 word of an attribute block. */
@inline export function word(attrs: usize, i: i32): i32 {
  return load<i32>(attrs + (<usize>i << 2));
}

/** Byte address `base + i * sizeof<T>()` for a possibly negative element offset i. */
@inline export function at<T>(base: usize, i: i32): usize {
  return base + <usize>(i * <i32>sizeof<T>());
}

/** Below this many bytes an inline vector loop beats memory.copy, which is a call into the engine. */
const SMALL_COPY: usize = 256;

/** Copies n bytes from src to dst (non-overlapping): small runs inline, long ones by memory.copy. */
@inline export function copyBytes(dst: usize, src: usize, n: usize): void {
  if (n >= SMALL_COPY) {
    memory.copy(dst, src, n);
    return;
  }
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
  }
  for (; i + 4 <= n; i += 4) store<u32>(dst + i, load<u32>(src + i));
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

/** Writes n copies of v at dst, stride os elements. */
@inline export function fillRun<T>(dst: usize, v: T, n: i32, os: i32): void {
  if (os == 1) {
    if (sizeof<T>() == 1 && <usize>n >= SMALL_COPY) {
      memory.fill(dst, <u8>v, <usize>n);
      return;
    }
    if (sizeof<T>() == 1) {
      for (let i = 0; i < n; i++) store<u8>(dst + <usize>i, <u8>v);
      return;
    }
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let vv = i32x4.splat(isFloat<T>() ? reinterpret<i32>(<f32>v) : <i32>v);
      for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), vv);
    }
    for (; i < n; i++) store<T>(dst + (<usize>i << 2), v);
    return;
  }
  for (let i = 0; i < n; i++) store<T>(at<T>(dst, i * os), v);
}

/** Copies one run of n elements: src stride inS, dst stride outS. */
@inline function copyRun<T>(src: usize, dst: usize, n: i32, inS: i32, outS: i32): void {
  if (inS == 1 && outS == 1) {
    copyBytes(dst, src, <usize>n * sizeof<T>());
    return;
  }
  if (inS == 0) {
    fillRun<T>(dst, load<T>(src), n, outS);
    return;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD && sizeof<T>() == 4 && inS == -1 && outS == 1) {
    // Reverse: load the four elements ending at src, swap their lanes.
    for (; i + 4 <= n; i += 4) {
      let v = v128.load(at<T>(src, -i - 3));
      v128.store(dst + (<usize>i << 2), i32x4.shuffle(v, v, 3, 2, 1, 0));
    }
  }
  for (; i < n; i++) store<T>(at<T>(dst, i * outS), load<T>(at<T>(src, i * inS)));
}

@inline function copyNd<T>(x: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let rank = word(attrs, StridedAttr.RANK);
  let shape = StridedAttr.SHAPE, inStrides = shape + rank, outStrides = shape + 2 * rank;
  let n = word(attrs, shape + rank - 1);
  let inS = word(attrs, inStrides + rank - 1);
  let outS = word(attrs, outStrides + rank - 1);
  if (rank == 1) {
    // A single run: the range counts its elements, so threads can still share it.
    copyRun<T>(at<T>(x, begin * inS), at<T>(out, begin * outS), end - begin, inS, outS);
    return;
  }
  // Rows are the outer rank-1 dims. The second-innermost dim advances by adding its strides;
  // the outer ones are decoded by division once per plane.
  let m = word(attrs, shape + rank - 2);
  let inS2 = word(attrs, inStrides + rank - 2);
  let outS2 = word(attrs, outStrides + rank - 2);
  let r = begin;
  while (r < end) {
    let j = r % m;
    let q = r / m;
    let inOff = j * inS2, outOff = j * outS2;
    for (let d = rank - 3; d >= 0; d--) {
      let s = word(attrs, shape + d);
      let c = q % s;
      q /= s;
      inOff += c * word(attrs, inStrides + d);
      outOff += c * word(attrs, outStrides + d);
    }
    let stop = min(end, r + (m - j));
    for (; r < stop; r++) {
      copyRun<T>(at<T>(x, inOff), at<T>(out, outOff), n, inS, outS);
      inOff += inS2;
      outOff += outS2;
    }
  }
}

/** Strided copy of 4-byte elements over rows [begin, end) (elements when rank is 1). */
export function copy_nd_x32(x: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  copyNd<u32>(x, out, attrs, begin, end);
}

/** Strided copy of 1-byte elements over rows [begin, end) (elements when rank is 1). */
export function copy_nd_x8(x: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  copyNd<u8>(x, out, attrs, begin, end);
}

/** out[begin..end) = bits (4-byte elements: the value's bit pattern). */
export function fill_x32(out: usize, bits: i32, begin: i32, end: i32): void {
  fillRun<u32>(at<u32>(out, begin), <u32>bits, end - begin, 1);
}

/** out[begin..end) = bits & 0xff (1-byte elements). */
export function fill_x8(out: usize, bits: i32, begin: i32, end: i32): void {
  fillRun<u8>(out + <usize>begin, <u8>bits, end - begin, 1);
}
