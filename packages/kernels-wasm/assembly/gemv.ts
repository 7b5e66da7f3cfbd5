// Matrix products with a few rows of A (batch-1 dense layers, the head of a network): C = A·B for
// M ≤ a handful of rows, reading B where it lies. The packed GEMM would copy all of B into panels
// and compute MR rows of which M are kept; here B streams once per row of A, which is the whole
// cost when M is small (B is megabytes, A a few kilobytes).
//
// B as K×N (row-major, the layout of a Dense kernel): each output row accumulates in C, four rows
// of B at a time. B transposed (N×K): four dot products along k at once, A's row in registers.
// Either way the four rows lie a quarter of the range apart, so B is read as four sequential
// streams. A call covers columns [begin, end) of C (core makes one call: two threads sharing the
// stream from memory were slower).
import { madd, ldf, stf } from './simd';
import { epilogue } from './matmul';
import { GemmTile, GemvAttr } from './layouts';

const M_ = GemvAttr.M, N_ = GemvAttr.N, K_ = GemvAttr.K, A_RS = GemvAttr.A_RS, A_CS = GemvAttr.A_CS;
const TRANS_B = GemvAttr.TRANS_B, LDC = GemvAttr.LDC, BIAS = GemvAttr.BIAS, ACT = GemvAttr.ACT;
const ALPHA = GemvAttr.ALPHA, PRELU = GemvAttr.PRELU;
const NR: i32 = GemmTile.NR;
/** Columns of C accumulated per pass over B's rows: 16 KiB of C stays in L1 while B streams past. */
const BLOCK: i32 = 4096;

/**
 * C[:, begin:end) = A·B (+ bias) (then activation); `attr` holds the GemvAttr words. A's element
 * (m, k) is at a[m·A_RS + k·A_CS]; with TRANS_B, A_CS must be 1 (B is N×K).
 */
export function gemv_f32(a: usize, b: usize, c: usize, attr: usize, begin: i32, end: i32): void {
  let M = load<i32>(attr, M_ << 2), N = load<i32>(attr, N_ << 2), K = load<i32>(attr, K_ << 2);
  let ars = load<i32>(attr, A_RS << 2), acs = load<i32>(attr, A_CS << 2), ldc = load<i32>(attr, LDC << 2);
  let transB = load<i32>(attr, TRANS_B << 2) != 0;
  for (let m = 0; m < M; m++) {
    let am = a + (<usize>(m * ars) << 2), cm = c + (<usize>(m * ldc) << 2);
    if (transB) dotRow(am, b, K, cm, begin, end);
    else
      for (let j0 = begin; j0 < end; j0 += BLOCK) axpyRow(am, acs, b, N, K, cm, j0, min(end, j0 + BLOCK));
  }
  let bias = <usize>load<i32>(attr, BIAS << 2), prelu = <usize>load<i32>(attr, PRELU << 2);
  let act = load<i32>(attr, ACT << 2), alpha = load<f32>(attr, ALPHA << 2);
  if (bias == 0 && act == 0) return;
  for (let j0 = begin; j0 < end; j0 += NR)
    epilogue(c + (<usize>j0 << 2), ldc, M, min(NR, end - j0), j0, bias, act, alpha, prelu);
}

/** y[j0:j1) = Σ_k a[k·acs]·B[k, j]: B is K×N; four rows of B per pass over y. */
function axpyRow(a: usize, acs: i32, b: usize, N: i32, K: i32, y: usize, j0: i32, j1: i32): void {
  let w = j1 - j0;
  let yp = y + (<usize>j0 << 2);
  memory.fill(yp, 0, <usize>w << 2);
  let ld = <usize>N << 2, as = <usize>acs << 2;
  let wv = ASC_FEATURE_SIMD ? w & ~3 : 0;
  let k = 0;
  // Rows a quarter of B apart: four sequential streams, which hardware prefetchers follow (four
  // adjacent rows interleave their streams: from memory that ran at half the speed).
  let q = K >> 2;
  let qa = <usize>q * as, qb = <usize>q * ld;
  for (; k < q; k++) {
    let ak = a + <usize>k * as;
    let s0 = load<f32>(ak), s1 = load<f32>(ak + qa), s2 = load<f32>(ak + 2 * qa), s3 = load<f32>(ak + 3 * qa);
    let r0 = b + (<usize>k * <usize>N + <usize>j0 << 2), r1 = r0 + qb, r2 = r1 + qb, r3 = r2 + qb;
    if (ASC_FEATURE_SIMD) {
      let a0 = f32x4.splat(s0), a1 = f32x4.splat(s1), a2 = f32x4.splat(s2), a3 = f32x4.splat(s3);
      for (let o: usize = 0; o < <usize>wv << 2; o += 16) {
        let s = v128.load(yp + o);
        s = madd(a0, v128.load(r0 + o), s);
        s = madd(a1, v128.load(r1 + o), s);
        s = madd(a2, v128.load(r2 + o), s);
        s = madd(a3, v128.load(r3 + o), s);
        v128.store(yp + o, s);
      }
    }
    for (let j = wv; j < w; j++) {
      let s = ldf(yp, j);
      s += s0 * ldf(r0, j);
      s += s1 * ldf(r1, j);
      s += s2 * ldf(r2, j);
      s += s3 * ldf(r3, j);
      stf(yp, j, s);
    }
  }
  k = 4 * q;
  for (; k < K; k++) {
    let s0 = load<f32>(a + <usize>k * as);
    let r0 = b + (<usize>k * <usize>N + <usize>j0 << 2);
    if (ASC_FEATURE_SIMD) {
      let a0 = f32x4.splat(s0);
      for (let o: usize = 0; o < <usize>wv << 2; o += 16) {
        v128.store(yp + o, madd(a0, v128.load(r0 + o), v128.load(yp + o)));
      }
    }
    for (let j = wv; j < w; j++) stf(yp, j, ldf(yp, j) + s0 * ldf(r0, j));
  }
}

/**
 * y[n] = Σ_k a[k]·Bᵀ[n, k] for n in [begin, end): B is N×K, a contiguous; four rows of Bᵀ a
 * quarter of the range apart at once (four sequential streams, as in axpyRow).
 */
function dotRow(a: usize, b: usize, K: i32, y: usize, begin: i32, end: i32): void {
  let kv = ASC_FEATURE_SIMD ? K & ~3 : 0;
  let ld = <usize>K << 2;
  let n = begin;
  if (ASC_FEATURE_SIMD) {
    let q = (end - begin) >> 2;
    let qb = <usize>q * ld;
    for (; n < begin + q; n++) {
      let r0 = b + <usize>n * ld, r1 = r0 + qb, r2 = r1 + qb, r3 = r2 + qb;
      let z = f32x4.splat(0);
      let c0 = z, c1 = z, c2 = z, c3 = z;
      for (let o: usize = 0; o < <usize>kv << 2; o += 16) {
        let av = v128.load(a + o);
        c0 = madd(av, v128.load(r0 + o), c0);
        c1 = madd(av, v128.load(r1 + o), c1);
        c2 = madd(av, v128.load(r2 + o), c2);
        c3 = madd(av, v128.load(r3 + o), c3);
      }
      // Transpose-and-add: lane i of the result is the sum of c_i's lanes.
      let t0 = f32x4.add(i32x4.shuffle(c0, c1, 0, 4, 1, 5), i32x4.shuffle(c0, c1, 2, 6, 3, 7));
      let t1 = f32x4.add(i32x4.shuffle(c2, c3, 0, 4, 1, 5), i32x4.shuffle(c2, c3, 2, 6, 3, 7));
      let s = f32x4.add(i64x2.shuffle(t0, t1, 0, 2), i64x2.shuffle(t0, t1, 1, 3));
      let s0 = f32x4.extract_lane(s, 0), s1 = f32x4.extract_lane(s, 1);
      let s2 = f32x4.extract_lane(s, 2), s3 = f32x4.extract_lane(s, 3);
      for (let k = kv; k < K; k++) {
        let ak = ldf(a, k);
        s0 += ak * ldf(r0, k);
        s1 += ak * ldf(r1, k);
        s2 += ak * ldf(r2, k);
        s3 += ak * ldf(r3, k);
      }
      stf(y, n, s0);
      stf(y, n + q, s1);
      stf(y, n + 2 * q, s2);
      stf(y, n + 3 * q, s3);
    }
    n = begin + 4 * q;
  }
  for (; n < end; n++) {
    let r = b + <usize>n * ld;
    let s: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      let acc = f32x4.splat(0);
      for (let o: usize = 0; o < <usize>kv << 2; o += 16) acc = madd(v128.load(a + o), v128.load(r + o), acc);
      s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1);
      s += f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    }
    for (let k = kv; k < K; k++) s += ldf(a, k) * ldf(r, k);
    stf(y, n, s);
  }
}
