// Fused GRU (Keras gate order z, r, h), both Keras variants. P = x·W + b_in for all steps is one
// GEMM done by the caller; the recurrent kernel is packed once (rnn_pack_f32).
//   resetAfter = false (tfjs-layers):  z, r = ract(P_z,r + h·U_z,r);  hh = act(P_h + (r*h)·U_h)
//       two calls per step: the r*h product needs every unit's r before U_h can be applied.
//   resetAfter = true (Keras 2 default): m = h·U + b_rec;  z, r = ract(P_z,r + m_z,r);
//       hh = act(P_h + r*m_h) — one call per step.
//   Both: h_t = z*h_{t-1} + (1-z)*hh.
// Each call covers a range of unit octets; arguments travel in an i32 block (layouts in src/layouts.ts).
import { ldi, ldf, stf } from './simd';
import {
  OCT, panelGemm, panelAt, gateRows, carriedRows, incomingS, incomingV, actV, dactV, actS, dactS, ldn, stn, at, atz,
  ldnz, ldz,
} from './recurrent';
import { GruStepAttr, GruGradStepAttr } from './layouts';

// Forward block, shared by the step kernels: GruStepAttr, declared once in src/layouts.ts.
const F_B = GruStepAttr.B, F_U = GruStepAttr.U, F_ACT = GruStepAttr.ACT, F_RACT = GruStepAttr.RACT, F_P = GruStepAttr.P;
const F_PRS = GruStepAttr.PRS, F_W1 = GruStepAttr.W1, F_W2 = GruStepAttr.W2, F_Z = GruStepAttr.Z, F_BR = GruStepAttr.BR;
const F_HP = GruStepAttr.HP, F_HPRS = GruStepAttr.HPRS, F_HO = GruStepAttr.HO, F_HORS = GruStepAttr.HORS;
const F_ZB = GruStepAttr.ZB, F_ZBRS = GruStepAttr.ZBRS, F_RH = GruStepAttr.RH, F_GO = GruStepAttr.GO;
const F_GORS = GruStepAttr.GORS, F_MH = GruStepAttr.MH, F_MHRS = GruStepAttr.MHRS;

@inline function ptr(s: usize, field: i32): usize {
  return <usize>ldi(s, field);
}

/** resetAfter = false, first half of a step: z and r, and r*h_{t-1} for the second half. */
export function gru_zr_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, F_B), U = ldi(s, F_U), ract = ldi(s, F_RACT);
  let P = ptr(s, F_P), prs = ldi(s, F_PRS), W = ptr(s, F_W1), Z = ptr(s, F_Z);
  let hp = ptr(s, F_HP), hprs = ldi(s, F_HPRS), zb = ptr(s, F_ZB), zbrs = ldi(s, F_ZBRS);
  let rh = ptr(s, F_RH), go = ptr(s, F_GO), gors = ldi(s, F_GORS);
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = gateRows(hp, hprs, U, W, B, Z, o, 2);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let zr = b * 2 * OCT + j, pr = b * prs + u;
          let z = actS(ract, ldf(zo, zr) + ldf(P, pr));
          let r = actS(ract, ldf(zo, zr + OCT) + ldf(P, pr + U));
          stf(zb, b * zbrs + u, z);
          stf(rh, b * U + u, r * ldf(hp, b * hprs + u));
          if (go != 0) stf(go, b * gors + u + U, r);
        }
      }
      continue;
    }
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let zr = zo + (<usize>(b * 2 * OCT + half * 4) << 2);
        let pr = at(P, b, prs, u0);
        let z = actV(ract, f32x4.add(v128.load(zr), ldn(pr, n)));
        let r = actV(ract, f32x4.add(v128.load(zr, 32), ldn(pr + Ub, n)));
        stn(at(zb, b, zbrs, u0), z, n);
        stn(at(rh, b, U, u0), f32x4.mul(r, ldn(at(hp, b, hprs, u0), n)), n);
        if (go != 0) stn(at(go, b, gors, u0) + Ub, r, n);
      }
    }
  }
}

/** resetAfter = false, second half of a step: the candidate and h_t. */
export function gru_h_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, F_B), U = ldi(s, F_U), act = ldi(s, F_ACT);
  let P = ptr(s, F_P), prs = ldi(s, F_PRS), W = ptr(s, F_W2), Z = ptr(s, F_Z);
  let hp = ptr(s, F_HP), hprs = ldi(s, F_HPRS), ho = ptr(s, F_HO), hors = ldi(s, F_HORS);
  let zb = ptr(s, F_ZB), zbrs = ldi(s, F_ZBRS), rh = ptr(s, F_RH), go = ptr(s, F_GO), gors = ldi(s, F_GORS);
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = Z + (<usize>(o * B * OCT) << 2);
    panelGemm(rh, U, U, panelAt(W, o, U), B, zo, OCT);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let hh = actS(act, ldf(zo, b * OCT + j) + ldf(P, b * prs + u + 2 * U));
          let z = ldf(zb, b * zbrs + u);
          stf(ho, b * hors + u, z * ldf(hp, b * hprs + u) + (1 - z) * hh);
          if (go != 0) stf(go, b * gors + u + 2 * U, hh);
        }
      }
      continue;
    }
    let one = f32x4.splat(1);
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let zh = v128.load(zo + (<usize>(b * OCT + half * 4) << 2));
        let hh = actV(act, f32x4.add(zh, ldn(at(P, b, prs, u0) + 2 * Ub, n)));
        let z = ldn(at(zb, b, zbrs, u0), n);
        let h = f32x4.add(f32x4.mul(z, ldn(at(hp, b, hprs, u0), n)), f32x4.mul(f32x4.sub(one, z), hh));
        stn(at(ho, b, hors, u0), h, n);
        if (go != 0) stn(at(go, b, gors, u0) + 2 * Ub, hh, n);
      }
    }
  }
}

/** resetAfter = true: a whole step. */
export function gru_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, F_B), U = ldi(s, F_U), act = ldi(s, F_ACT), ract = ldi(s, F_RACT);
  let P = ptr(s, F_P), prs = ldi(s, F_PRS), W = ptr(s, F_W1), Z = ptr(s, F_Z), br = ptr(s, F_BR);
  let hp = ptr(s, F_HP), hprs = ldi(s, F_HPRS), ho = ptr(s, F_HO), hors = ldi(s, F_HORS);
  let go = ptr(s, F_GO), gors = ldi(s, F_GORS), mo = ptr(s, F_MH), mors = ldi(s, F_MHRS);
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = gateRows(hp, hprs, U, W, B, Z, o, 3);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let zr = b * 3 * OCT + j, pr = b * prs + u;
          let z = actS(ract, ldf(P, pr) + (ldf(zo, zr) + ldz(br, u)));
          let r = actS(ract, ldf(P, pr + U) + (ldf(zo, zr + OCT) + ldz(br, u + U)));
          let mh = ldf(zo, zr + 2 * OCT) + ldz(br, u + 2 * U);
          let hh = actS(act, ldf(P, pr + 2 * U) + r * mh);
          stf(ho, b * hors + u, z * ldf(hp, b * hprs + u) + (1 - z) * hh);
          if (go != 0) {
            let gr = b * gors + u;
            stf(go, gr, z); stf(go, gr + U, r); stf(go, gr + 2 * U, hh);
          }
          if (mo != 0) stf(mo, b * mors + u, mh);
        }
      }
      continue;
    }
    let one = f32x4.splat(1);
    for (let half = 0; half < 2; half++) {
      let u0 = o * OCT + half * 4;
      let n = min(4, U - u0);
      if (n <= 0) break;
      let bp = atz(br, 0, 0, u0);
      let bz = ldnz(bp, n), brr = ldnz(bp == 0 ? 0 : bp + Ub, n), bh = ldnz(bp == 0 ? 0 : bp + 2 * Ub, n);
      for (let b = 0; b < B; b++) {
        let zr = zo + (<usize>(b * 3 * OCT + half * 4) << 2);
        let pr = at(P, b, prs, u0);
        let z = actV(ract, f32x4.add(ldn(pr, n), f32x4.add(v128.load(zr), bz)));
        let r = actV(ract, f32x4.add(ldn(pr + Ub, n), f32x4.add(v128.load(zr, 32), brr)));
        let mh = f32x4.add(v128.load(zr, 64), bh);
        let hh = actV(act, f32x4.add(ldn(pr + 2 * Ub, n), f32x4.mul(r, mh)));
        let h = f32x4.add(f32x4.mul(z, ldn(at(hp, b, hprs, u0), n)), f32x4.mul(f32x4.sub(one, z), hh));
        stn(at(ho, b, hors, u0), h, n);
        if (go != 0) {
          let gr = at(go, b, gors, u0);
          stn(gr, z, n); stn(gr + Ub, r, n); stn(gr + 2 * Ub, hh, n);
        }
        if (mo != 0) stn(at(mo, b, mors, u0), mh, n);
      }
    }
  }
}

// Backward block, shared by the step kernels: GruGradStepAttr, declared once in src/layouts.ts.
const G_B = GruGradStepAttr.B, G_U = GruGradStepAttr.U, G_ACT = GruGradStepAttr.ACT, G_RACT = GruGradStepAttr.RACT;
const G_W1 = GruGradStepAttr.W1, G_W2 = GruGradStepAttr.W2, G_Z = GruGradStepAttr.Z, G_DN = GruGradStepAttr.DN;
const G_DNRS = GruGradStepAttr.DNRS, G_DY = GruGradStepAttr.DY, G_DYRS = GruGradStepAttr.DYRS, G_G = GruGradStepAttr.G;
const G_GRS = GruGradStepAttr.GRS, G_HP = GruGradStepAttr.HP, G_HPRS = GruGradStepAttr.HPRS, G_MH = GruGradStepAttr.MH;
const G_MHRS = GruGradStepAttr.MHRS, G_DHP = GruGradStepAttr.DHP, G_DA = GruGradStepAttr.DA;
const G_DARS = GruGradStepAttr.DARS, G_DM = GruGradStepAttr.DM, G_DMRS = GruGradStepAttr.DMRS;
const G_RH = GruGradStepAttr.RH, G_RHRS = GruGradStepAttr.RHRS, G_DG = GruGradStepAttr.DG;
const G_DGRS = GruGradStepAttr.DGRS, G_DB = GruGradStepAttr.DB, G_DBR = GruGradStepAttr.DBR, G_DH = GruGradStepAttr.DH;
const G_DAZR = GruGradStepAttr.DAZR, G_DAZRRS = GruGradStepAttr.DAZRRS, G_DAH = GruGradStepAttr.DAH;
const G_DAHRS = GruGradStepAttr.DAHRS;

/**
 * resetAfter = false, first half of a backward step: dh_t, then the z and candidate
 * pre-activation gradients (the r gradient needs every unit's candidate gradient first).
 */
export function gru_grad_zh_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, G_B), U = ldi(s, G_U), act = ldi(s, G_ACT), ract = ldi(s, G_RACT);
  let W = ptr(s, G_W1), Z = ptr(s, G_Z), dn = ptr(s, G_DN), dnrs = ldi(s, G_DNRS);
  let dy = ptr(s, G_DY), dyrs = ldi(s, G_DYRS), gt = ptr(s, G_G), grs = ldi(s, G_GRS);
  let hp = ptr(s, G_HP), hprs = ldi(s, G_HPRS), dhp = ptr(s, G_DHP);
  let da = ptr(s, G_DA), dars = ldi(s, G_DARS), dg = ptr(s, G_DG), dgrs = ldi(s, G_DGRS);
  let db = ptr(s, G_DB), dhOut = ptr(s, G_DH);
  let dzr = ptr(s, G_DAZR), dzrrs = ldi(s, G_DAZRRS), dah = ptr(s, G_DAH), dahrs = ldi(s, G_DAHRS);
  let K = 2 * U;
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = carriedRows(dn, dnrs, K, W, B, Z, o);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let dh = incomingS(dn, zo, dy, dyrs, b, j, u) + ldf(dhp, b * U + u);
          if (gt == 0) { stf(dhOut, b * U + u, dh); continue; }
          let gr = b * grs + u, dgr = b * dgrs + u;
          let z = ldf(gt, gr), hh = ldf(gt, gr + 2 * U);
          let dz = dh * (ldf(hp, b * hprs + u) - hh) + ldz(dg, dgr);
          let dhh = dh * (1 - z) + ldz(dg, dgr + 2 * U);
          let az = dz * dactS(ract, z), ah = dhh * dactS(act, hh);
          stf(da, b * dars + u, az);
          stf(da, b * dars + u + 2 * U, ah);
          stf(dzr, b * dzrrs + u, az);
          stf(dah, b * dahrs + u, ah);
          stf(db, u, ldf(db, u) + az);
          stf(db, u + 2 * U, ldf(db, u + 2 * U) + ah);
          stf(dhp, b * U + u, dh * z);
        }
      }
      continue;
    }
    let one = f32x4.splat(1);
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let dhpr = at(dhp, b, U, u0);
        let dh = incomingV(dn, zo, f32x4.add(ldnz(atz(dy, b, dyrs, u0), n), ldn(dhpr, n)), b, half);
        if (gt == 0) { stn(at(dhOut, b, U, u0), dh, n); continue; }
        let gr = at(gt, b, grs, u0);
        let z = ldn(gr, n), hh = ldn(gr + 2 * Ub, n);
        let dz = f32x4.mul(dh, f32x4.sub(ldn(at(hp, b, hprs, u0), n), hh));
        let dhh = f32x4.mul(dh, f32x4.sub(one, z));
        if (dg != 0) {
          let dgr = at(dg, b, dgrs, u0);
          dz = f32x4.add(dz, ldn(dgr, n));
          dhh = f32x4.add(dhh, ldn(dgr + 2 * Ub, n));
        }
        let az = f32x4.mul(dz, dactV(ract, z)), ah = f32x4.mul(dhh, dactV(act, hh));
        let ar = at(da, b, dars, u0);
        stn(ar, az, n);
        stn(ar + 2 * Ub, ah, n);
        stn(at(dzr, b, dzrrs, u0), az, n);
        stn(at(dah, b, dahrs, u0), ah, n);
        let bq = at(db, 0, 0, u0);
        stn(bq, f32x4.add(ldn(bq, n), az), n);
        stn(bq + 2 * Ub, f32x4.add(ldn(bq + 2 * Ub, n), ah), n);
        stn(dhpr, f32x4.mul(dh, z), n);
      }
    }
  }
}

/** resetAfter = false, second half of a backward step: the r gradient and r*h_{t-1}. */
export function gru_grad_r_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, G_B), U = ldi(s, G_U), ract = ldi(s, G_RACT);
  let W = ptr(s, G_W2), Z = ptr(s, G_Z), gt = ptr(s, G_G), grs = ldi(s, G_GRS);
  let hp = ptr(s, G_HP), hprs = ldi(s, G_HPRS), dhp = ptr(s, G_DHP);
  let da = ptr(s, G_DA), dars = ldi(s, G_DARS), rh = ptr(s, G_RH), rhrs = ldi(s, G_RHRS);
  let dg = ptr(s, G_DG), dgrs = ldi(s, G_DGRS), db = ptr(s, G_DB);
  let dzr = ptr(s, G_DAZR), dzrrs = ldi(s, G_DAZRRS);
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = Z + (<usize>(o * B * OCT) << 2);
    panelGemm(da + 2 * Ub, dars, U, panelAt(W, o, U), B, zo, OCT);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let drh = ldf(zo, b * OCT + j);
          let r = ldf(gt, b * grs + u + U), h = ldf(hp, b * hprs + u);
          let ar = (drh * h + ldz(dg, b * dgrs + u + U)) * dactS(ract, r);
          stf(da, b * dars + u + U, ar);
          stf(dzr, b * dzrrs + u + U, ar);
          stf(db, u + U, ldf(db, u + U) + ar);
          stf(dhp, b * U + u, ldf(dhp, b * U + u) + drh * r);
          stf(rh, b * rhrs + u, r * h);
        }
      }
      continue;
    }
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let drh = v128.load(zo + (<usize>(b * OCT + half * 4) << 2));
        let r = ldn(at(gt, b, grs, u0) + Ub, n), h = ldn(at(hp, b, hprs, u0), n);
        let dr = f32x4.mul(drh, h);
        if (dg != 0) dr = f32x4.add(dr, ldn(at(dg, b, dgrs, u0) + Ub, n));
        let ar = f32x4.mul(dr, dactV(ract, r));
        stn(at(da, b, dars, u0) + Ub, ar, n);
        stn(at(dzr, b, dzrrs, u0) + Ub, ar, n);
        let bq = at(db, 0, 0, u0) + Ub;
        stn(bq, f32x4.add(ldn(bq, n), ar), n);
        let dhpr = at(dhp, b, U, u0);
        stn(dhpr, f32x4.add(ldn(dhpr, n), f32x4.mul(drh, r)), n);
        stn(at(rh, b, rhrs, u0), f32x4.mul(r, h), n);
      }
    }
  }
}

/** resetAfter = true: a whole backward step. */
export function gru_grad_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, G_B), U = ldi(s, G_U), act = ldi(s, G_ACT), ract = ldi(s, G_RACT);
  let W = ptr(s, G_W1), Z = ptr(s, G_Z), dn = ptr(s, G_DN), dnrs = ldi(s, G_DNRS);
  let dy = ptr(s, G_DY), dyrs = ldi(s, G_DYRS), gt = ptr(s, G_G), grs = ldi(s, G_GRS);
  let hp = ptr(s, G_HP), hprs = ldi(s, G_HPRS), mh = ptr(s, G_MH), mhrs = ldi(s, G_MHRS);
  let dhp = ptr(s, G_DHP), da = ptr(s, G_DA), dars = ldi(s, G_DARS), dm = ptr(s, G_DM), dmrs = ldi(s, G_DMRS);
  let dg = ptr(s, G_DG), dgrs = ldi(s, G_DGRS), db = ptr(s, G_DB), dbr = ptr(s, G_DBR), dhOut = ptr(s, G_DH);
  let K = 3 * U;
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = carriedRows(dn, dnrs, K, W, B, Z, o);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let dh = incomingS(dn, zo, dy, dyrs, b, j, u) + ldf(dhp, b * U + u);
          if (gt == 0) { stf(dhOut, b * U + u, dh); continue; }
          let gr = b * grs + u, dgr = b * dgrs + u;
          let z = ldf(gt, gr), r = ldf(gt, gr + U), hh = ldf(gt, gr + 2 * U);
          let m = ldf(mh, b * mhrs + u);
          let dz = dh * (ldf(hp, b * hprs + u) - hh) + ldz(dg, dgr);
          let dhh = dh * (1 - z) + ldz(dg, dgr + 2 * U);
          let az = dz * dactS(ract, z), ah = dhh * dactS(act, hh);
          let ar = (ah * m + ldz(dg, dgr + U)) * dactS(ract, r);
          let am = ah * r;
          let ar0 = b * dars + u, mr0 = b * dmrs + u;
          stf(da, ar0, az); stf(da, ar0 + U, ar); stf(da, ar0 + 2 * U, ah);
          stf(dm, mr0, az); stf(dm, mr0 + U, ar); stf(dm, mr0 + 2 * U, am);
          stf(db, u, ldf(db, u) + az); stf(db, u + U, ldf(db, u + U) + ar);
          stf(db, u + 2 * U, ldf(db, u + 2 * U) + ah);
          stf(dbr, u, ldf(dbr, u) + az); stf(dbr, u + U, ldf(dbr, u + U) + ar);
          stf(dbr, u + 2 * U, ldf(dbr, u + 2 * U) + am);
          stf(dhp, b * U + u, dh * z);
        }
      }
      continue;
    }
    let one = f32x4.splat(1);
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let dhpr = at(dhp, b, U, u0);
        let dh = incomingV(dn, zo, f32x4.add(ldnz(atz(dy, b, dyrs, u0), n), ldn(dhpr, n)), b, half);
        if (gt == 0) { stn(at(dhOut, b, U, u0), dh, n); continue; }
        let gr = at(gt, b, grs, u0);
        let z = ldn(gr, n), r = ldn(gr + Ub, n), hh = ldn(gr + 2 * Ub, n);
        let m = ldn(at(mh, b, mhrs, u0), n);
        let dz = f32x4.mul(dh, f32x4.sub(ldn(at(hp, b, hprs, u0), n), hh));
        let dhh = f32x4.mul(dh, f32x4.sub(one, z));
        let dgr: usize = dg == 0 ? 0 : at(dg, b, dgrs, u0);
        if (dgr != 0) {
          dz = f32x4.add(dz, ldn(dgr, n));
          dhh = f32x4.add(dhh, ldn(dgr + 2 * Ub, n));
        }
        let az = f32x4.mul(dz, dactV(ract, z)), ah = f32x4.mul(dhh, dactV(act, hh));
        let dr = f32x4.mul(ah, m);
        if (dgr != 0) dr = f32x4.add(dr, ldn(dgr + Ub, n));
        let ar = f32x4.mul(dr, dactV(ract, r));
        let am = f32x4.mul(ah, r);
        let ap = at(da, b, dars, u0), mp = at(dm, b, dmrs, u0);
        stn(ap, az, n); stn(ap + Ub, ar, n); stn(ap + 2 * Ub, ah, n);
        stn(mp, az, n); stn(mp + Ub, ar, n); stn(mp + 2 * Ub, am, n);
        let bq = at(db, 0, 0, u0), bqr = at(dbr, 0, 0, u0);
        stn(bq, f32x4.add(ldn(bq, n), az), n);
        stn(bq + Ub, f32x4.add(ldn(bq + Ub, n), ar), n);
        stn(bq + 2 * Ub, f32x4.add(ldn(bq + 2 * Ub, n), ah), n);
        stn(bqr, f32x4.add(ldn(bqr, n), az), n);
        stn(bqr + Ub, f32x4.add(ldn(bqr + Ub, n), ar), n);
        stn(bqr + 2 * Ub, f32x4.add(ldn(bqr + 2 * Ub, n), am), n);
        stn(dhpr, f32x4.mul(dh, z), n);
      }
    }
  }
}
