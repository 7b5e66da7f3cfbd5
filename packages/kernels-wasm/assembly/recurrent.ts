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
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          store<f32>(dst, u < units ? ldf(m, k * rs + (g * gs + u) * cs) : 0);
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
  let rowBytes = <usize>lda << 2;
  let b = 0;
  for (; b + 4 <= rows; b += 4) {
    let a0 = a + <usize>b * rowBytes;
    let a1 = a0 + rowBytes;
    let a2 = a1 + rowBytes;
    let a3 = a2 + rowBytes;
    let z = f32x4.splat(0);
    let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    let p = panel;
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
    let cr = c + (<usize>(b * ldc) << 2);
    let ldcBytes = <usize>ldc << 2;
    v128.store(cr, c00); v128.store(cr, c01, 16); cr += ldcBytes;
    v128.store(cr, c10); v128.store(cr, c11, 16); cr += ldcBytes;
    v128.store(cr, c20); v128.store(cr, c21, 16); cr += ldcBytes;
    v128.store(cr, c30); v128.store(cr, c31, 16);
  }
  for (; b < rows; b++) {
    let a0 = a + <usize>b * rowBytes;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    let p = panel;
    for (let k = 0; k < K; k++) {
      let v0 = v128.load32_splat(a0);
      c0 = madd(v0, v128.load(p), c0);
      c1 = madd(v0, v128.load(p, 16), c1);
      a0 += 4;
      p += OCT << 2;
    }
    let cr = c + (<usize>(b * ldc) << 2);
    v128.store(cr, c0);
    v128.store(cr, c1, 16);
  }
}

// ---- activations and their derivatives (from the activation's output) --------------------------

/**
 * tanh as a rational function (Eigen's float tanh): within 4e-7 of tanh everywhere, and half the
 * cost of the exp-based tanhV — the gate math is a third of a step once the product is fast.
 */
@inline function tanhR(x: v128): v128 {
  let xc = f32x4.min(f32x4.max(x, f32x4.splat(-7.90531110763549805)), f32x4.splat(7.90531110763549805));
  let x2 = f32x4.mul(xc, xc);
  let p = f32x4.add(f32x4.mul(x2, f32x4.splat(-2.76076847742355e-16)), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(5.12229709037114e-08));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(1.48572235717979e-05));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(6.37261928875436e-04));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(4.89352455891786e-03));
  p = f32x4.mul(xc, p);
  let q = f32x4.add(f32x4.mul(x2, f32x4.splat(1.19825839466702e-06)), f32x4.splat(1.18534705686654e-04));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(2.26843463243900e-03));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(4.89352518554385e-03));
  let r = f32x4.div(p, q);
  // Tiny |x|: tanh(x) = x in float (keeps -0); NaN passes through min/max and the division.
  return v128.bitselect(x, r, f32x4.lt(f32x4.abs(x), f32x4.splat(0.0004)));
}

/** sigmoid(x) = (1 + tanh(x/2)) / 2: within 2e-7 of the exact value. */
@inline function sigmoidR(x: v128): v128 {
  let half = f32x4.splat(0.5);
  return f32x4.add(half, f32x4.mul(half, tanhR(f32x4.mul(x, half))));
}

@inline export function actV(code: i32, x: v128): v128 {
  if (code == RnnActivation.TANH) return tanhR(x);
  if (code == RnnActivation.SIGMOID) return sigmoidR(x);
  if (code == RnnActivation.HARD_SIGMOID) {
    // Same float ops as tfjs-layers: clip(0.5 + 0.2 * x, 0, 1).
    let y = f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5));
    return f32x4.min(f32x4.max(y, f32x4.splat(0)), f32x4.splat(1));
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
