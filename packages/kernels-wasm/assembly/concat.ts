// Concat along any axis, seen as 2-D: every input is [outer, inner_i] and lands in columns
// [off_i, off_i + inner_i) of the [outer, outInner] output. Each row is a run of copies.
//
// attrs: ConcatAttr (src/layouts.ts): n, outInner, colOffset, then (ptr_i, inner_i) for each of
// the n inputs. colOffset lets the caller split a long input list across several calls.
import { word, copyBytes } from './copy';
import { ConcatAttr } from './layouts';

@inline function concatRows<T>(out: usize, attrs: usize, begin: i32, end: i32): void {
  let n = word(attrs, ConcatAttr.COUNT);
  let outInner = word(attrs, ConcatAttr.OUT_INNER);
  let w = <usize>sizeof<T>();
  for (let r = begin; r < end; r++) {
    let dst = out + <usize>(r * outInner + word(attrs, ConcatAttr.COL_OFFSET)) * w;
    for (let k = 0; k < n; k++) {
      let inner = word(attrs, ConcatAttr.INPUTS + 2 * k + 1);
      let src = <usize>word(attrs, ConcatAttr.INPUTS + 2 * k) + <usize>(r * inner) * w;
      copyBytes(dst, src, <usize>inner * w);
      dst += <usize>inner * w;
    }
  }
}

/** Concat of 4-byte elements, output rows [begin, end). */
export function concat_x32(out: usize, attrs: usize, begin: i32, end: i32): void {
  concatRows<u32>(out, attrs, begin, end);
}

/** Concat of 1-byte elements, output rows [begin, end). */
export function concat_x8(out: usize, attrs: usize, begin: i32, end: i32): void {
  concatRows<u8>(out, attrs, begin, end);
}
