// f32 GEMM: C = A·B (+ bias, then activation in the caller's epilogue pass).
// B is first packed into panels of 8 columns ([panel][k][8], zero-padded) so the 4x8 microkernel
// streams it with aligned vector loads; A is read in place through its strides, which makes
// transposeA free. Rows are split across threads by [rowBegin, rowEnd).
import { madd, ldf, stf, ldv, stv } from './simd';

const NR: i32 = 8;

/** Packs B (K×N, element strides rs/cs) into ceil(N/8) panels of K×8 floats. */
export function gemm_pack_b_f32(b: usize, packed: usize, K: i32, N: i32, rs: i32, cs: i32): void {
  let panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    let j0 = p * NR;
    let w = min(NR, N - j0);
    let dst = packed + (<usize>(p * K * NR) << 2);
    for (let k = 0; k < K; k++) {
      let row = k * NR;
      let src = k * rs + j0 * cs;
      for (let j = 0; j < w; j++) stf(dst, row + j, ldf(b, src + j * cs));
      for (let j = w; j < NR; j++) stf(dst, row + j, 0);
    }
  }
}

@inline function storeTile(c: usize, ldc: i32, i: i32, j0: i32, w: i32, lo: v128, hi: v128): void {
  let base = i * ldc + j0;
  if (w == NR) {
    stv(c, base, lo);
    stv(c, base + 4, hi);
  } else {
    // Partial panel: spill lanes one by one (only the last panel of a row takes this path).
    if (w > 0) stf(c, base, f32x4.extract_lane(lo, 0));
    if (w > 1) stf(c, base + 1, f32x4.extract_lane(lo, 1));
    if (w > 2) stf(c, base + 2, f32x4.extract_lane(lo, 2));
    if (w > 3) stf(c, base + 3, f32x4.extract_lane(lo, 3));
    if (w > 4) stf(c, base + 4, f32x4.extract_lane(hi, 0));
    if (w > 5) stf(c, base + 5, f32x4.extract_lane(hi, 1));
    if (w > 6) stf(c, base + 6, f32x4.extract_lane(hi, 2));
  }
}

/**
 * C[rowBegin..rowEnd) = A·Bpacked (+ bias[j] when bias != 0). A is M×K with element strides
 * (ars, acs); C is row-major with leading dimension N.
 */
export function gemm_f32(a: usize, packed: usize, c: usize, bias: usize, M: i32, N: i32, K: i32,
                         ars: i32, acs: i32, rowBegin: i32, rowEnd: i32): void {
  let panels = (N + NR - 1) / NR;
  if (!ASC_FEATURE_SIMD) {
    gemmScalar(a, packed, c, bias, N, K, ars, acs, rowBegin, rowEnd);
    return;
  }
  for (let p = 0; p < panels; p++) {
    let j0 = p * NR;
    let w = min(NR, N - j0);
    let bp = packed + (<usize>(p * K * NR) << 2);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0);
    if (bias != 0) {
      if (w == NR) { b0 = ldv(bias, j0); b1 = ldv(bias, j0 + 4); }
      else { b0 = loadPartial(bias, j0, w, 0); b1 = loadPartial(bias, j0, w, 4); }
    }
    let i = rowBegin;
    for (; i + 4 <= rowEnd; i += 4) {
      let c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
      let a0 = a + (<usize>(i * ars) << 2);
      let a1 = a0 + (<usize>ars << 2);
      let a2 = a1 + (<usize>ars << 2);
      let a3 = a2 + (<usize>ars << 2);
      let bk = bp;
      let step = <usize>acs << 2;
      for (let k = 0; k < K; k++) {
        let bl = v128.load(bk);
        let bh = v128.load(bk, 16);
        let v0 = v128.load32_splat(a0);
        let v1 = v128.load32_splat(a1);
        let v2 = v128.load32_splat(a2);
        let v3 = v128.load32_splat(a3);
        c00 = madd(v0, bl, c00); c01 = madd(v0, bh, c01);
        c10 = madd(v1, bl, c10); c11 = madd(v1, bh, c11);
        c20 = madd(v2, bl, c20); c21 = madd(v2, bh, c21);
        c30 = madd(v3, bl, c30); c31 = madd(v3, bh, c31);
        a0 += step; a1 += step; a2 += step; a3 += step;
        bk += NR << 2;
      }
      storeTile(c, N, i, j0, w, c00, c01);
      storeTile(c, N, i + 1, j0, w, c10, c11);
      storeTile(c, N, i + 2, j0, w, c20, c21);
      storeTile(c, N, i + 3, j0, w, c30, c31);
    }
    for (; i < rowEnd; i++) {
      let c0 = b0, c1 = b1;
      let a0 = a + (<usize>(i * ars) << 2);
      let step = <usize>acs << 2;
      let bk = bp;
      for (let k = 0; k < K; k++) {
        let v0 = v128.load32_splat(a0);
        c0 = madd(v0, v128.load(bk), c0);
        c1 = madd(v0, v128.load(bk, 16), c1);
        a0 += step;
        bk += NR << 2;
      }
      storeTile(c, N, i, j0, w, c0, c1);
    }
  }
}

@inline function loadPartial(p: usize, j0: i32, w: i32, off: i32): v128 {
  let v = f32x4.splat(0);
  if (off < w) v = f32x4.replace_lane(v, 0, ldf(p, j0 + off));
  if (off + 1 < w) v = f32x4.replace_lane(v, 1, ldf(p, j0 + off + 1));
  if (off + 2 < w) v = f32x4.replace_lane(v, 2, ldf(p, j0 + off + 2));
  if (off + 3 < w) v = f32x4.replace_lane(v, 3, ldf(p, j0 + off + 3));
  return v;
}

function gemmScalar(a: usize, packed: usize, c: usize, bias: usize, N: i32, K: i32,
                    ars: i32, acs: i32, rowBegin: i32, rowEnd: i32): void {
  for (let i = rowBegin; i < rowEnd; i++) {
    for (let j = 0; j < N; j++) {
      let p = j / NR, jj = j % NR;
      let bp = packed + (<usize>(p * K * NR) << 2);
      let s: f32 = bias != 0 ? ldf(bias, j) : 0;
      for (let k = 0; k < K; k++) s += ldf(a, i * ars + k * acs) * ldf(bp, k * NR + jj);
      stf(c, i * N + j, s);
    }
  }
}
