// PadV2 (constant) and MirrorPad (reflect, symmetric) in one pass over output rows: a row is
// either all padding (a fill) or a reflected/copied input row with fills or mirrored blocks at
// both ends. No element is written twice.
//
// The caller folds trailing unpadded dims into a block of `blk` elements, so shapes and pads
// below count blocks. attrs: PadAttr (src/layouts.ts): rank, blk, mode, outShape[rank],
// inShape[rank], before[rank]. mode: 0 constant, 1 reflect, 2 symmetric.
import { word, fillRun, copyBytes } from './copy';
import { PadAttr } from './layouts';

/** Input coordinate for output coordinate c (already shifted by the pad before), per mode. */
@inline function mirror(c: i32, n: i32, off: i32): i32 {
  if (c < 0) return -c - off;
  if (c >= n) return 2 * (n - 1) - c + off;
  return c;
}

@inline function padRows<T>(x: usize, out: usize, value: T, attrs: usize, begin: i32, end: i32): void {
  let rank = word(attrs, PadAttr.RANK);
  let blk = word(attrs, PadAttr.BLOCK);
  let mode = word(attrs, PadAttr.MODE);
  let outShape = PadAttr.OUT_SHAPE, inShape = outShape + rank, before = outShape + 2 * rank;
  let off = mode == 2 ? 1 : 0;
  let w = <usize>sizeof<T>();
  let bw = <usize>blk * w;
  let outW = word(attrs, outShape + rank - 1);
  let inW = word(attrs, inShape + rank - 1);
  let left = word(attrs, before + rank - 1);
  let right = outW - left - inW;
  for (let r = begin; r < end; r++) {
    // Decode the row's outer coordinates and find its input row (or that it is padding).
    let q = r;
    let inRow = 0;
    let stride = 1;
    let inside = true;
    for (let d = rank - 2; d >= 0; d--) {
      let s = word(attrs, outShape + d);
      let n = word(attrs, inShape + d);
      let c = q % s - word(attrs, before + d);
      q /= s;
      if (c < 0 || c >= n) {
        if (mode == 0) { inside = false; break; }
        c = mirror(c, n, off);
      }
      inRow += c * stride;
      stride *= n;
    }
    let dst = out + <usize>r * <usize>outW * bw;
    if (!inside) {
      fillRun<T>(dst, value, outW * blk, 1);
      continue;
    }
    let src = x + <usize>inRow * <usize>inW * bw;
    if (mode == 0) {
      fillRun<T>(dst, value, left * blk, 1);
      copyBytes(dst + <usize>left * bw, src, <usize>inW * bw);
      fillRun<T>(dst + <usize>(left + inW) * bw, value, right * blk, 1);
    } else {
      for (let i = 0; i < left; i++) {
        copyBytes(dst + <usize>i * bw, src + <usize>mirror(i - left, inW, off) * bw, bw);
      }
      copyBytes(dst + <usize>left * bw, src, <usize>inW * bw);
      for (let i = 0; i < right; i++) {
        copyBytes(dst + <usize>(left + inW + i) * bw, src + <usize>mirror(inW + i, inW, off) * bw, bw);
      }
    }
  }
}

/** Pads 4-byte elements; `bits` is the constant's bit pattern. Output rows [begin, end). */
export function pad_x32(x: usize, out: usize, bits: i32, attrs: usize, begin: i32, end: i32): void {
  padRows<u32>(x, out, <u32>bits, attrs, begin, end);
}

/** Pads 1-byte elements with the constant bits & 0xff. Output rows [begin, end). */
export function pad_x8(x: usize, out: usize, bits: i32, attrs: usize, begin: i32, end: i32): void {
  padRows<u8>(x, out, <u8>bits, attrs, begin, end);
}
