// Pieces shared by the fused LSTM and GRU kernels (lstm.ts, gru.ts).
//
// Every recurrent matrix product runs over "octet panels": the columns of one gate for 8
// consecutive units, packed [k][8] so that a 4x8 register tile streams them with two aligned
// vector loads per k. A step kernel takes a range of octets (the threads' split): for each
// octet it multiplies all rows into a scratch block, then runs the gate math of those 8 units
// while the block is still in L1. An octet's units depend on no other thread within a step,
// so one parallel call per step (its join is the barrier) is all the recurrence needs.
import { RnnActivation } from './opcodes';
import { tanhS, sigmoidS } from './math';
import { madd, ldf, stf } from './simd';

/** Units per panel. */
export const OCT: i32 = 8;

/** Number of octet panels covering `units` units. */
@inline export function octets(units: i32): i32 {
  return (units + OCT - 1) >> 3;
}

/**
 * Packs G gates of a matrix into octet panels:
 * `packed[o*G + g][k][j] = m[k*rs + (g*gs + 8o + j)*cs]`, zero where `8o + j >= units`.
 * Forward products pack the recurrent kernel as is (rs = its row length, cs = 1, gs = units);
 * backward products pack its transpose (rs = 1, cs = its row length, G = 1).
 */
export function rnn_pack_f32(m: usize, packed: usize, K: i32, units: i32, G: i32, gs: i32, rs: i32, cs: i32): void {
  let n = octets(units);
  let dst = packed;
  for (let o = 0; o < n; o++) {
    for (let g = 0; g < G; g++) {
      let col = g * gs + o * OCT;
      if (ASC_FEATURE_SIMD && cs == 1 && o * OCT + OCT <= units) {
        // A full octet of a row-major matrix: 8 contiguous floats per row (the forward products).
        let src = m + (<usize>col << 2);
        for (let k = 0; k < K; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += <usize>rs << 2;
          dst += OCT << 2;
        }
        continue;
      }
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          store<f32>(dst, u < units ? ldf(m, k * rs + (col + j) * cs) : 0);
          dst += 4;
        }
      }
    }
  }
}

/** Byte address of panel `index` (K rows of 8 floats each). */
@inline export function panelAt(packed: usize, index: i32, K: i32): usize {
  return packed + (<usize>(index * K * OCT) << 2);
}

/**
 * The backward steps' scratch rows of unit octet `o` ([octet][B][8]), filled with the gradient
 * carried from the next step, dn·Wᵀ over K columns, when there is one (dn != 0).
 */
@inline export function carriedRows(dn: usize, dnrs: i32, K: i32, W: usize, B: i32, Z: usize, o: i32): usize {
  let zo = Z + (<usize>(o * B * OCT) << 2);
  if (dn != 0) panelGemm(dn, dnrs, K, panelAt(W, o, K), B, zo, OCT);
  return zo;
}

/** A backward step's incoming dh of unit u (lane j of its octet), batch row b: carried + dy. */
@inline export function incomingS(dn: usize, zo: usize, dy: usize, dyrs: i32, b: i32, j: i32, u: i32): f32 {
  return (dn != 0 ? ldf(zo, b * OCT + j) : 0) + ldz(dy, b * dyrs + u);
}

/** The vector form: `from` (the step's own gradient terms) plus the carried rows of lanes `half`. */
@inline export function incomingV(dn: usize, zo: usize, from: v128, b: i32, half: i32): v128 {
  return dn != 0 ? f32x4.add(from, v128.load(zo + (<usize>(b * OCT + half * 4) << 2))) : from;
}

/**
 * The z rows of unit octet `o` in scratch Z ([octet][B][G][8]), filled with h·U for the octet's
 * G gate panels of the packed recurrent kernel W (the forward steps' common first half).
 */
@inline export function gateRows(h: usize, hrs: i32, U: i32, W: usize, B: i32, Z: usize, o: i32, G: i32): usize {
  let zo = Z + (<usize>(o * B * G * OCT) << 2);
  for (let g = 0; g < G; g++) panelGemm(h, hrs, U, panelAt(W, o * G + g, U), B, zo + (<usize>(g * OCT) << 2), G * OCT);
  return zo;
}

/**
 * c[b][0..8) = a[b][0..K) · panel for b in [0, rows): the per-step recurrent product of one
 * octet panel. Rows of `a` are `lda` floats apart, rows of `c` are `ldc` floats apart.
 */
export function panelGemm(a: usize, lda: i32, K: i32, panel: usize, rows: i32, c: usize, ldc: i32): void {
  if (!ASC_FEATURE_SIMD) {
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < OCT; j++) {
        let s: f32 = 0;
        for (let k = 0; k < K; k++) s += ldf(a, b * lda + k) * ldf(panel, k * OCT + j);
        stf(c, b * ldc + j, s);
      }
    }
    return;
  }
  // Each kernel below has two call sites on purpose: Binaryen inlines a function called once, and
  // inlined into this loop nest (and on into the step kernels) its accumulators get spilled.
  let rowBytes = <usize>lda << 2, ldcBytes = <usize>ldc << 2;
  let b = 0;
  if ((rows >> 2) & 1) {
    panelTile(a, rowBytes, K, panel, c, ldcBytes);
    b = 4;
  }
  for (; b + 8 <= rows; b += 8) {
    panelTile(a + <usize>b * rowBytes, rowBytes, K, panel, c + <usize>b * ldcBytes, ldcBytes);
    panelTile(a + <usize>(b + 4) * rowBytes, rowBytes, K, panel, c + <usize>(b + 4) * ldcBytes, ldcBytes);
  }
  if ((rows - b) & 1) {
    panelRow(a + <usize>b * rowBytes, K, panel, c + <usize>b * ldcBytes);
    b++;
  }
  for (; b < rows; b += 2) {
    panelRow(a + <usize>b * rowBytes, K, panel, c + <usize>b * ldcBytes);
    panelRow(a + <usize>(b + 1) * rowBytes, K, panel, c + <usize>(b + 1) * ldcBytes);
  }
}

/**
 * 4 rows × 8 columns over K, from zero: 8 accumulators, two panel loads and four broadcasts per
 * k. (Six rows, as the GEMM's tile, measured slower here: the rows are not packed.)
 */
function panelTile(a0: usize, rowBytes: usize, K: i32, p: usize, cr: usize, ldcBytes: usize): void {
  let a1 = a0 + rowBytes, a2 = a1 + rowBytes, a3 = a2 + rowBytes;
  let z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  let end = a0 + (<usize>K << 2);
  while (a0 < end) {
    let wl = v128.load(p);
    let wh = v128.load(p, 16);
    let v0 = v128.load32_splat(a0);
    let v1 = v128.load32_splat(a1);
    c00 = madd(v0, wl, c00); c01 = madd(v0, wh, c01);
    c10 = madd(v1, wl, c10); c11 = madd(v1, wh, c11);
    let v2 = v128.load32_splat(a2);
    let v3 = v128.load32_splat(a3);
    c20 = madd(v2, wl, c20); c21 = madd(v2, wh, c21);
    c30 = madd(v3, wl, c30); c31 = madd(v3, wh, c31);
    a0 += 4; a1 += 4; a2 += 4; a3 += 4;
    p += OCT << 2;
  }
  v128.store(cr, c00); v128.store(cr, c01, 16); cr += ldcBytes;
  v128.store(cr, c10); v128.store(cr, c11, 16); cr += ldcBytes;
  v128.store(cr, c20); v128.store(cr, c21, 16); cr += ldcBytes;
  v128.store(cr, c30); v128.store(cr, c31, 16);
}

/**
 * One row × 8 columns over K (batch 1, and the rows the 4-row tiles leave): a matrix–vector
 * product, one panel load per multiply-add. One pair of accumulators would chain K dependent
 * multiply-adds; two pairs (even and odd k) measured 1.7× faster. More pairs are no faster:
 * V8 then hoists the panel loads ahead of the multiply-adds and spills accumulators.
 */
function panelRow(a: usize, K: i32, p: usize, cr: usize): void {
  let z = f32x4.splat(0);
  let c0 = z, c1 = z, c2 = z, c3 = z;
  let end = a + (<usize>(K & ~1) << 2);
  while (a < end) {
    let v0 = v128.load32_splat(a);
    c0 = madd(v0, v128.load(p), c0); c1 = madd(v0, v128.load(p, 16), c1);
    let v1 = v128.load32_splat(a, 4);
    c2 = madd(v1, v128.load(p, 32), c2); c3 = madd(v1, v128.load(p, 48), c3);
    a += 8;
    p += 2 * OCT << 2;
  }
  if (K & 1) {
    let v0 = v128.load32_splat(a);
    c0 = madd(v0, v128.load(p), c0); c1 = madd(v0, v128.load(p, 16), c1);
  }
  v128.store(cr, f32x4.add(c0, c2));
  v128.store(cr, f32x4.add(c1, c3), 16);
}

// ---- activations and their derivatives (from the activation's output) --------------------------

// tanh's rational approximation (Eigen's float tanh): clamp, numerator (odd, degree 13) and
// denominator (even, degree 6) coefficients, the |x| below which tanh(x) = x in float, and the
// sigmoid's 1/2. As data:
// written as literals, V8 rebuilds each splatted constant with three instructions at every use
// (they do not all fit in registers); a broadcast load from L1 is one.
const TANH_K = memory.data<f32>([
  7.90531110763549805, -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-08,
  1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03, 1.19825839466702e-06, 1.18534705686654e-04,
  2.26843463243900e-03, 4.89352518554385e-03, 0.0004, 0.5,
]);

/**
 * tanh as a rational function (Eigen's float tanh): within 4e-7 of tanh everywhere, and half the
 * cost of the exp-based tanhV — the gate math is a third of a step once the product is fast.
 * pmin/pmax are one instruction each on x86 (wasm's min/max, which order NaN and ±0, are seven)
 * and still pass NaN through: every comparison with it is false.
 */
@inline function tanhR(x: v128): v128 {
  let lim = v128.load32_splat(TANH_K);
  let xc = f32x4.pmin(f32x4.pmax(x, f32x4.neg(lim)), lim);
  let x2 = f32x4.mul(xc, xc);
  let p = madd(x2, v128.load32_splat(TANH_K + 4), v128.load32_splat(TANH_K + 8));
  p = madd(x2, p, v128.load32_splat(TANH_K + 12));
  p = madd(x2, p, v128.load32_splat(TANH_K + 16));
  p = madd(x2, p, v128.load32_splat(TANH_K + 20));
  p = madd(x2, p, v128.load32_splat(TANH_K + 24));
  p = madd(x2, p, v128.load32_splat(TANH_K + 28));
  p = f32x4.mul(xc, p);
  let q = madd(x2, v128.load32_splat(TANH_K + 32), v128.load32_splat(TANH_K + 36));
  q = madd(x2, q, v128.load32_splat(TANH_K + 40));
  q = madd(x2, q, v128.load32_splat(TANH_K + 44));
  let r = f32x4.div(p, q);
  // Tiny |x|: tanh(x) = x in float (keeps -0); NaN passes through the clamp and the division.
  return v128.bitselect(x, r, f32x4.lt(f32x4.abs(x), v128.load32_splat(TANH_K + 48)));
}

/** sigmoid(x) = (1 + tanh(x/2)) / 2: within 2e-7 of the exact value. */
@inline function sigmoidR(x: v128): v128 {
  let half = v128.load32_splat(TANH_K + 52);
  return madd(half, tanhR(f32x4.mul(x, half)), half);
}

@inline export function actV(code: i32, x: v128): v128 {
  if (code == RnnActivation.TANH) return tanhR(x);
  if (code == RnnActivation.SIGMOID) return sigmoidR(x);
  if (code == RnnActivation.HARD_SIGMOID) {
    // Same float ops as tfjs-layers: clip(0.5 + 0.2 * x, 0, 1) (pmin/pmax: see tanhR; y is never -0).
    let y = f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5));
    return f32x4.pmin(f32x4.pmax(y, f32x4.splat(0)), f32x4.splat(1));
  }
  if (code == RnnActivation.RELU) return f32x4.max(x, f32x4.splat(0));
  return x;
}

/** d act / dx expressed through y = act(x), so backward passes need only saved outputs. */
@inline export function dactV(code: i32, y: v128): v128 {
  let one = f32x4.splat(1);
  if (code == RnnActivation.TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (code == RnnActivation.SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (code == RnnActivation.HARD_SIGMOID) {
    let inside = v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, one));
    return v128.and(inside, f32x4.splat(0.2));
  }
  if (code == RnnActivation.RELU) return v128.and(f32x4.gt(y, f32x4.splat(0)), one);
  return one;
}

@inline export function actS(code: i32, x: f32): f32 {
  if (code == RnnActivation.TANH) return tanhS(x);
  if (code == RnnActivation.SIGMOID) return sigmoidS(x);
  if (code == RnnActivation.HARD_SIGMOID) {
    let y: f32 = x * <f32>0.2 + <f32>0.5;
    return y > 1 ? 1 : y < 0 ? 0 : y;
  }
  if (code == RnnActivation.RELU) return x < 0 ? 0 : x;
  return x;
}

@inline export function dactS(code: i32, y: f32): f32 {
  if (code == RnnActivation.TANH) return 1 - y * y;
  if (code == RnnActivation.SIGMOID) return y * (1 - y);
  if (code == RnnActivation.HARD_SIGMOID) return y > 0 && y < 1 ? <f32>0.2 : 0;
  if (code == RnnActivation.RELU) return y > 0 ? 1 : 0;
  return 1;
}

// ---- lane groups: 4 units, fewer at the end of a row whose length is not a multiple of 4 ------

/** Loads n (1..4) floats; missing lanes are zero. Never reads past the n-th float. */
@inline export function ldn(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first n (1..4) lanes. */
@inline export function stn(p: usize, v: v128, n: i32): void {
  if (n >= 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Loads n lanes, or zeros when the pointer is 0 (an absent optional input). */
@inline export function ldnz(p: usize, n: i32): v128 {
  return p == 0 ? f32x4.splat(0) : ldn(p, n);
}

/** Address of float `i` of row `b` (row stride `rs` floats) of the buffer at `p`. */
@inline export function at(p: usize, b: i32, rs: i32, i: i32): usize {
  return p + (<usize>(b * rs + i) << 2);
}

/** Like `at`, but 0 stays 0 (absent optional buffers). */
@inline export function atz(p: usize, b: i32, rs: i32, i: i32): usize {
  return p == 0 ? 0 : at(p, b, rs, i);
}

/** Scalar load that reads zero from an absent (0) buffer. */
@inline export function ldz(p: usize, i: i32): f32 {
  return p == 0 ? 0 : ldf(p, i);
}
