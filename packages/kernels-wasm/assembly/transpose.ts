// Transpose of 4-byte elements whose two innermost dims swap: reads 4x4 tiles (four contiguous
// input runs), transposes them in registers and writes four contiguous output runs, so neither
// side is walked element by element. Blocks of QB columns keep the input lines in cache while
// consecutive tiles reuse them. Covers 2-D transposes and NHWC<->NCHW after the caller merges dims.
//
// attrs as copy_nd (StridedAttr): rank, shape, inStrides, outStrides, with dim rank-2 contiguous in the input
// (inStride 1) and dim rank-1 contiguous in the output (outStride 1).
import { word } from './copy';
import { StridedAttr } from './layouts';

const QB: i32 = 64;

@inline function ld(p: usize, i: i32): u32 {
  return load<u32>(p + (<usize>i << 2));
}
@inline function st(p: usize, i: i32, v: u32): void {
  store<u32>(p + (<usize>i << 2), v);
}

/**
 * Work items are groups of four rows of dim rank-2 (P), per outer plane: item u covers plane
 * u / ceil(P/4), rows 4*(u % ceil(P/4)) .. +4.
 */
export function transpose_x32(x: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let rank = word(attrs, StridedAttr.RANK);
  let shape = StridedAttr.SHAPE, inStrides = shape + rank, outStrides = shape + 2 * rank;
  let P = word(attrs, shape + rank - 2);
  let Q = word(attrs, shape + rank - 1);
  let S = word(attrs, inStrides + rank - 1); // input stride of q
  let T = word(attrs, outStrides + rank - 2); // output stride of p
  let G = (P + 3) >> 2;
  let u = begin;
  while (u < end) {
    let g0 = u % G;
    let q = u / G;
    let inOff = 0, outOff = 0;
    for (let d = rank - 3; d >= 0; d--) {
      let s = word(attrs, shape + d);
      let c = q % s;
      q /= s;
      inOff += c * word(attrs, inStrides + d);
      outOff += c * word(attrs, outStrides + d);
    }
    let g1 = min(G, g0 + (end - u));
    let src0 = x + (<usize>inOff << 2);
    let dst0 = out + (<usize>outOff << 2);
    for (let qb = 0; qb < Q; qb += QB) {
      let qe = min(Q, qb + QB);
      for (let g = g0; g < g1; g++) {
        let p = g << 2;
        let pn = min(4, P - p);
        let src = src0 + (<usize>p << 2);
        let dst = dst0 + (<usize>(p * T) << 2);
        let j = qb;
        if (ASC_FEATURE_SIMD && pn == 4) {
          for (; j + 4 <= qe; j += 4) {
            let a = v128.load(src + (<usize>(j * S) << 2));
            let b = v128.load(src + (<usize>((j + 1) * S) << 2));
            let c = v128.load(src + (<usize>((j + 2) * S) << 2));
            let d = v128.load(src + (<usize>((j + 3) * S) << 2));
            let t0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
            let t1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
            let t2 = i32x4.shuffle(c, d, 0, 4, 1, 5);
            let t3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
            v128.store(dst + (<usize>j << 2), i32x4.shuffle(t0, t2, 0, 1, 4, 5));
            v128.store(dst + (<usize>(T + j) << 2), i32x4.shuffle(t0, t2, 2, 3, 6, 7));
            v128.store(dst + (<usize>(2 * T + j) << 2), i32x4.shuffle(t1, t3, 0, 1, 4, 5));
            v128.store(dst + (<usize>(3 * T + j) << 2), i32x4.shuffle(t1, t3, 2, 3, 6, 7));
          }
        }
        for (; j < qe; j++) {
          let s = j * S;
          for (let i = 0; i < pn; i++) st(dst, i * T + j, ld(src, s + i));
        }
      }
    }
    u += g1 - g0;
  }
}
