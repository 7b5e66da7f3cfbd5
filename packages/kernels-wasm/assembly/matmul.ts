// f32 GEMM over packed panels (the layout of XNNPACK / BLIS): A is packed into panels of MR rows
// ([panel][K][MR]), B into panels of NR = 8 columns ([panel][K][8]), both zero-padded, so the
// microkernel streams each with unit stride and never tests bounds inside its loop.
//
// Register tile, picked by measurement on x64 V8 (15 usable xmm registers):
//   relaxed SIMD: 6x8 = 12 accumulators + 2 B vectors + 1 A splat; FMA needs no temporary.
//   plain SIMD:   5x8 = 10 accumulators + 2 + 1 + 1 temporary for mul-then-add (6x8 spills here).
// K is blocked by KC so that a KC-slice of a column block of B stays in L2 while the chunk's row
// panels stream past it. Threads split the output only: a unit is (row panel, column block), and
// every C element is accumulated in the same order whatever the split.
import { madd, ldf, stf } from './simd';
import { activateV, activateS, loadLanes, storeLanes } from './conv_epilogue';
import { GemmAttr, GemmTile } from './layouts';

/** Rows of the register tile. */
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : (ASC_FEATURE_SIMD ? 5 : 4);
/** Columns of the register tile (two f32x4). */
const NR: i32 = GemmTile.NR;

// Attribute words of gemm_f32 (layout declared once in src/layouts.ts).
const M_ = GemmAttr.M, N_ = GemmAttr.N, K_ = GemmAttr.K, LDC = GemmAttr.LDC, BIAS = GemmAttr.BIAS, ACT = GemmAttr.ACT;
const ALPHA = GemmAttr.ALPHA, PRELU = GemmAttr.PRELU, KC_ = GemmAttr.KC, ROW_PANELS = GemmAttr.ROW_PANELS;
const BLOCK_PANELS = GemmAttr.BLOCK_PANELS;

/** MR of this build: the caller sizes packed A as ceil(M / MR) panels of K×MR floats. */
export function gemm_mr(): i32 {
  return MR;
}

/**
 * Packs row panels [begin, end) of A (M×K, element strides rs, cs) into [panel][K][MR],
 * rows past M zero.
 */
export function gemm_pack_a_f32(a: usize, packed: usize, M: i32, K: i32, rs: i32, cs: i32, begin: i32, end: i32): void {
  for (let p = begin; p < end; p++) {
    let i0 = p * MR;
    let rows = min(MR, M - i0);
    let dst = packed + (<usize>p * <usize>K * <usize>MR << 2);
    if (rs == 1 && rows == MR) {
      // A transposed: the panel's MR values of each k are contiguous in the source.
      let s = a + (<usize>i0 << 2);
      let step = <usize>cs << 2;
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < MR; i++) store<f32>(dst + (<usize>i << 2), load<f32>(s + (<usize>i << 2)));
        s += step;
        dst += <usize>MR << 2;
      }
      continue;
    }
    for (let i = 0; i < MR; i++) {
      let d = dst + (<usize>i << 2);
      if (i < rows) {
        let s = a + (<usize>((i0 + i) * rs) << 2);
        let step = <usize>cs << 2;
        for (let k = 0; k < K; k++) {
          store<f32>(d, load<f32>(s));
          s += step;
          d += <usize>MR << 2;
        }
      } else {
        for (let k = 0; k < K; k++) {
          store<f32>(d, 0);
          d += <usize>MR << 2;
        }
      }
    }
  }
}

/**
 * Packs column panels [begin, end) of B (K×N, element strides rs, cs) into [panel][K][8],
 * columns past N zero.
 */
export function gemm_pack_b_f32(b: usize, packed: usize, K: i32, N: i32, rs: i32, cs: i32, begin: i32, end: i32): void {
  for (let p = begin; p < end; p++) {
    let j0 = p * NR;
    let cols = min(NR, N - j0);
    let dst = packed + (<usize>p * <usize>K * <usize>NR << 2);
    if (ASC_FEATURE_SIMD) {
      if (cs == 1 && cols == NR) {
        let s = b + (<usize>j0 << 2);
        let step = <usize>rs << 2;
        for (let k = 0; k < K; k++) {
          v128.store(dst, v128.load(s));
          v128.store(dst, v128.load(s, 16), 16);
          s += step;
          dst += NR << 2;
        }
        continue;
      }
    }
    // Column by column: reads run along k, which is contiguous when B is transposed (rs == 1).
    for (let j = 0; j < NR; j++) {
      let d = dst + (<usize>j << 2);
      if (j < cols) {
        let s = b + (<usize>((j0 + j) * cs) << 2);
        let step = <usize>rs << 2;
        for (let k = 0; k < K; k++) {
          store<f32>(d, load<f32>(s));
          s += step;
          d += NR << 2;
        }
      } else {
        for (let k = 0; k < K; k++) {
          store<f32>(d, 0);
          d += NR << 2;
        }
      }
    }
  }
}

/**
 * C = A·B (+ bias[j]) (then activation) for units [begin, end); unit u is row panel
 * u % rowPanels of column block u / rowPanels (BLOCK_PANELS column panels). `pa`, `pb` are packed
 * A and B; `attr` holds the words listed above (bias / prelu: 0 or a pointer to N floats).
 */
export function gemm_f32(pa: usize, pb: usize, c: usize, attr: usize, begin: i32, end: i32): void {
  let M = load<i32>(attr, M_ << 2), N = load<i32>(attr, N_ << 2), K = load<i32>(attr, K_ << 2);
  let ldc = load<i32>(attr, LDC << 2);
  let bias = <usize>load<i32>(attr, BIAS << 2), prelu = <usize>load<i32>(attr, PRELU << 2);
  let act = load<i32>(attr, ACT << 2), alpha = load<f32>(attr, ALPHA << 2);
  let KC = load<i32>(attr, KC_ << 2), rowPanels = load<i32>(attr, ROW_PANELS << 2);
  let blockPanels = load<i32>(attr, BLOCK_PANELS << 2);
  let colPanels = (N + NR - 1) / NR;
  // K blocks outermost: one KC-slice of B's column block serves every row panel of the chunk.
  // A do-while, so that K == 0 still writes zeros, bias and activation.
  let k0 = 0;
  do {
    let kc = min(KC, K - k0);
    let acc = k0 > 0, last = k0 + kc >= K;
    for (let u = begin; u < end; u++) {
      let rp = u % rowPanels;
      let cb = u / rowPanels;
      let i0 = rp * MR;
      let rows = min(MR, M - i0);
      let ap = pa + ((<usize>rp * <usize>K + <usize>k0) * <usize>MR << 2);
      let cpEnd = min(colPanels, (cb + 1) * blockPanels);
      for (let cp = cb * blockPanels; cp < cpEnd; cp++) {
        let j0 = cp * NR;
        let cols = min(NR, N - j0);
        let bp = pb + ((<usize>cp * <usize>K + <usize>k0) * <usize>NR << 2);
        let ct = c + (<usize>(i0 * ldc + j0) << 2);
        if (!ASC_FEATURE_SIMD) tileScalar(ap, bp, ct, ldc, kc, acc, rows, cols);
        else if (rows == MR && cols == NR) {
          // Two call sites on purpose: Binaryen inlines a function called once, and inlined into
          // this loop nest the microkernel's accumulators get spilled (see tile()).
          if (acc) tile(ap, bp, ct, ldc, kc, true);
          else tile(ap, bp, ct, ldc, kc, false);
        }
        else tileEdge(ap, bp, ct, ldc, kc, acc, rows, cols);
        if (last && (bias != 0 || act != 0)) epilogue(ct, ldc, rows, cols, j0, bias, act, alpha, prelu);
      }
    }
    k0 += kc;
  } while (k0 < K);
}

/**
 * The MRx8 microkernel: kc rank-1 updates of a full tile held in registers, starting from zero
 * or (acc) from C. Nothing else lives in this function: with bounds or epilogue code around the
 * loop, V8's register allocator spills accumulators inside it.
 */
function tile(ap: usize, bp: usize, ct: usize, ldc: i32, kc: i32, acc: bool): void {
  let z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  let r1 = ct + (<usize>ldc << 2), r2 = r1 + (<usize>ldc << 2), r3 = r2 + (<usize>ldc << 2);
  let r4 = r3 + (<usize>ldc << 2), r5 = r4 + (<usize>ldc << 2);
  if (acc) {
    c00 = v128.load(ct); c01 = v128.load(ct, 16);
    c10 = v128.load(r1); c11 = v128.load(r1, 16);
    c20 = v128.load(r2); c21 = v128.load(r2, 16);
    c30 = v128.load(r3); c31 = v128.load(r3, 16);
    if (MR > 4) { c40 = v128.load(r4); c41 = v128.load(r4, 16); }
    if (MR > 5) { c50 = v128.load(r5); c51 = v128.load(r5, 16); }
  }
  for (let k = 0; k < kc; k++) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let a0 = v128.load32_splat(ap);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    let a1 = v128.load32_splat(ap, 4);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    let a2 = v128.load32_splat(ap, 8);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    let a3 = v128.load32_splat(ap, 12);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (MR > 4) {
      let a4 = v128.load32_splat(ap, 16);
      c40 = madd(a4, b0, c40); c41 = madd(a4, b1, c41);
    }
    if (MR > 5) {
      let a5 = v128.load32_splat(ap, 20);
      c50 = madd(a5, b0, c50); c51 = madd(a5, b1, c51);
    }
    ap += <usize>MR << 2;
    bp += NR << 2;
  }
  v128.store(ct, c00); v128.store(ct, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
  if (MR > 4) { v128.store(r4, c40); v128.store(r4, c41, 16); }
  if (MR > 5) { v128.store(r5, c50); v128.store(r5, c51, 16); }
}

/** Row i's two vectors of a C tile `cols` wide: vector loads when full, else lane by lane. */
@inline function loadRow(ct: usize, ldc: i32, i: i32, cols: i32, half: i32): v128 {
  let p = ct + (<usize>(i * ldc) << 2);
  if (cols == NR) return v128.load(p + (<usize>half << 4));
  return loadLanes(p, half << 2, cols);
}

@inline function putRow(ct: usize, ldc: i32, i: i32, cols: i32, lo: v128, hi: v128): void {
  let p = ct + (<usize>(i * ldc) << 2);
  if (cols == NR) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
  } else {
    storeLanes(p, 0, cols, lo);
    storeLanes(p, 4, cols, hi);
  }
}

/**
 * The microkernel for tiles cut by the edge of C (rows < MR or cols < 8): the packed panels are
 * zero-padded, so the loop is the same; only loads and stores of C are masked. The padded rows
 * are computed but never stored.
 */
function tileEdge(ap: usize, bp: usize, ct: usize, ldc: i32, kc: i32, acc: bool, rows: i32, cols: i32): void {
  let z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  if (acc) {
    c00 = loadRow(ct, ldc, 0, cols, 0); c01 = loadRow(ct, ldc, 0, cols, 1);
    if (rows > 1) { c10 = loadRow(ct, ldc, 1, cols, 0); c11 = loadRow(ct, ldc, 1, cols, 1); }
    if (rows > 2) { c20 = loadRow(ct, ldc, 2, cols, 0); c21 = loadRow(ct, ldc, 2, cols, 1); }
    if (rows > 3) { c30 = loadRow(ct, ldc, 3, cols, 0); c31 = loadRow(ct, ldc, 3, cols, 1); }
    if (MR > 4 && rows > 4) { c40 = loadRow(ct, ldc, 4, cols, 0); c41 = loadRow(ct, ldc, 4, cols, 1); }
    if (MR > 5 && rows > 5) { c50 = loadRow(ct, ldc, 5, cols, 0); c51 = loadRow(ct, ldc, 5, cols, 1); }
  }
  for (let k = 0; k < kc; k++) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let a0 = v128.load32_splat(ap);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    let a1 = v128.load32_splat(ap, 4);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    let a2 = v128.load32_splat(ap, 8);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    let a3 = v128.load32_splat(ap, 12);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    if (MR > 4) {
      let a4 = v128.load32_splat(ap, 16);
      c40 = madd(a4, b0, c40); c41 = madd(a4, b1, c41);
    }
    if (MR > 5) {
      let a5 = v128.load32_splat(ap, 20);
      c50 = madd(a5, b0, c50); c51 = madd(a5, b1, c51);
    }
    ap += <usize>MR << 2;
    bp += NR << 2;
  }
  putRow(ct, ldc, 0, cols, c00, c01);
  if (rows > 1) putRow(ct, ldc, 1, cols, c10, c11);
  if (rows > 2) putRow(ct, ldc, 2, cols, c20, c21);
  if (rows > 3) putRow(ct, ldc, 3, cols, c30, c31);
  if (MR > 4 && rows > 4) putRow(ct, ldc, 4, cols, c40, c41);
  if (MR > 5 && rows > 5) putRow(ct, ldc, 5, cols, c50, c51);
}

/**
 * Bias then activation over a finished tile, still in L1. Bias after the sum, as
 * tfjs-backend-cpu adds it.
 */
export function epilogue(
  ct: usize, ldc: i32, rows: i32, cols: i32, j0: i32, bias: usize, act: i32, alpha: f32, prelu: usize,
): void {
  if (!ASC_FEATURE_SIMD) {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let x = ldf(ct, i * ldc + j);
        if (bias != 0) x += ldf(bias, j0 + j);
        stf(ct, i * ldc + j, activateS(x, act, alpha, prelu != 0 ? ldf(prelu, j0 + j) : 0));
      }
    return;
  }
  let z = f32x4.splat(0);
  let b0 = z, b1 = z, p0 = z, p1 = z;
  if (bias != 0) {
    b0 = loadLanes(bias + (<usize>j0 << 2), 0, cols);
    b1 = loadLanes(bias + (<usize>j0 << 2), 4, cols);
  }
  if (prelu != 0) {
    p0 = loadLanes(prelu + (<usize>j0 << 2), 0, cols);
    p1 = loadLanes(prelu + (<usize>j0 << 2), 4, cols);
  }
  for (let i = 0; i < rows; i++) {
    let lo = f32x4.add(loadRow(ct, ldc, i, cols, 0), b0);
    let hi = f32x4.add(loadRow(ct, ldc, i, cols, 1), b1);
    putRow(ct, ldc, i, cols, activateV(lo, act, alpha, p0), activateV(hi, act, alpha, p1));
  }
}

/** Scalar build: the same packed layout and accumulation order, one element at a time. */
function tileScalar(ap: usize, bp: usize, ct: usize, ldc: i32, kc: i32, acc: bool, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s: f32 = acc ? ldf(ct, i * ldc + j) : 0;
      for (let k = 0; k < kc; k++) s += ldf(ap, k * MR + i) * ldf(bp, k * NR + j);
      stf(ct, i * ldc + j, s);
    }
  }
}
