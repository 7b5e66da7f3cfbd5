// Fused LSTM (Keras gate order i, f, c, o). The caller computes the input projection of all
// steps as one GEMM (P = x·W + b) and packs the recurrent kernel once with rnn_pack_f32; then
// each time step is one call over a range of unit octets:
//   forward:  z = P_t + h_{t-1}·U;  i, f, o = ract(z_i, z_f, z_o);  g = act(z_c)
//             c_t = f*c_{t-1} + i*g;  h_t = o*act(c_t)
//   backward: dh = dY_t + dz_{t+1}·Uᵀ, then the gate derivatives, the carried dc and the bias sum.
// Arguments travel in an i32 block (layouts in src/layouts.ts) that the caller rewrites per step.
import { ldi, ldf, stf } from './simd';
import {
  OCT, panelGemm, panelAt, gateRows, carriedRows, incomingS, incomingV, actV, dactV, actS, dactS, ldn, stn, at, atz,
  ldnz, ldz,
} from './recurrent';
import { LstmStepAttr, LstmGradStepAttr } from './layouts';

// Forward block: LstmStepAttr, declared once in src/layouts.ts.
const F_B = LstmStepAttr.B, F_U = LstmStepAttr.U, F_ACT = LstmStepAttr.ACT, F_RACT = LstmStepAttr.RACT;
const F_P = LstmStepAttr.P, F_PRS = LstmStepAttr.PRS, F_W = LstmStepAttr.W, F_Z = LstmStepAttr.Z;
const F_HP = LstmStepAttr.HP, F_HPRS = LstmStepAttr.HPRS, F_CP = LstmStepAttr.CP, F_CPRS = LstmStepAttr.CPRS;
const F_HO = LstmStepAttr.HO, F_HORS = LstmStepAttr.HORS, F_CO = LstmStepAttr.CO, F_CORS = LstmStepAttr.CORS;
const F_GO = LstmStepAttr.GO, F_GORS = LstmStepAttr.GORS;

@inline function ptr(s: usize, field: i32): usize {
  return <usize>ldi(s, field);
}

/** One forward time step for unit octets [begin, end). */
export function lstm_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, F_B), U = ldi(s, F_U), act = ldi(s, F_ACT), ract = ldi(s, F_RACT);
  let P = ptr(s, F_P), prs = ldi(s, F_PRS), W = ptr(s, F_W), Z = ptr(s, F_Z);
  let hp = ptr(s, F_HP), hprs = ldi(s, F_HPRS), cp = ptr(s, F_CP), cprs = ldi(s, F_CPRS);
  let ho = ptr(s, F_HO), hors = ldi(s, F_HORS), co = ptr(s, F_CO), cors = ldi(s, F_CORS);
  let go = ptr(s, F_GO), gors = ldi(s, F_GORS);
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = gateRows(hp, hprs, U, W, B, Z, o, 4);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let zr = b * 4 * OCT + j, pr = b * prs + u;
          let i = actS(ract, ldf(zo, zr) + ldf(P, pr));
          let f = actS(ract, ldf(zo, zr + OCT) + ldf(P, pr + U));
          let gg = actS(act, ldf(zo, zr + 2 * OCT) + ldf(P, pr + 2 * U));
          let og = actS(ract, ldf(zo, zr + 3 * OCT) + ldf(P, pr + 3 * U));
          let c = f * ldf(cp, b * cprs + u) + i * gg;
          stf(co, b * cors + u, c);
          stf(ho, b * hors + u, og * actS(act, c));
          if (go != 0) {
            let gr = b * gors + u;
            stf(go, gr, i); stf(go, gr + U, f); stf(go, gr + 2 * U, gg); stf(go, gr + 3 * U, og);
          }
        }
      }
      continue;
    }
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let zr = zo + (<usize>(b * 4 * OCT + half * 4) << 2);
        let pr = at(P, b, prs, u0);
        let i = actV(ract, f32x4.add(v128.load(zr), ldn(pr, n)));
        let f = actV(ract, f32x4.add(v128.load(zr, 32), ldn(pr + Ub, n)));
        let gg = actV(act, f32x4.add(v128.load(zr, 64), ldn(pr + 2 * Ub, n)));
        let og = actV(ract, f32x4.add(v128.load(zr, 96), ldn(pr + 3 * Ub, n)));
        let c = f32x4.add(f32x4.mul(f, ldn(at(cp, b, cprs, u0), n)), f32x4.mul(i, gg));
        stn(at(co, b, cors, u0), c, n);
        stn(at(ho, b, hors, u0), f32x4.mul(og, actV(act, c)), n);
        if (go != 0) {
          let gr = at(go, b, gors, u0);
          stn(gr, i, n); stn(gr + Ub, f, n); stn(gr + 2 * Ub, gg, n); stn(gr + 3 * Ub, og, n);
        }
      }
    }
  }
}

// Backward block: LstmGradStepAttr, declared once in src/layouts.ts.
const G_B = LstmGradStepAttr.B, G_U = LstmGradStepAttr.U, G_ACT = LstmGradStepAttr.ACT, G_RACT = LstmGradStepAttr.RACT;
const G_W = LstmGradStepAttr.W, G_Z = LstmGradStepAttr.Z, G_DN = LstmGradStepAttr.DN, G_DNRS = LstmGradStepAttr.DNRS;
const G_DY = LstmGradStepAttr.DY, G_DYRS = LstmGradStepAttr.DYRS, G_G = LstmGradStepAttr.G;
const G_GRS = LstmGradStepAttr.GRS, G_C = LstmGradStepAttr.C, G_CRS = LstmGradStepAttr.CRS, G_CP = LstmGradStepAttr.CP;
const G_CPRS = LstmGradStepAttr.CPRS, G_DC = LstmGradStepAttr.DC, G_DZ = LstmGradStepAttr.DZ;
const G_DZRS = LstmGradStepAttr.DZRS, G_DG = LstmGradStepAttr.DG, G_DGRS = LstmGradStepAttr.DGRS;
const G_DCS = LstmGradStepAttr.DCS, G_DCSRS = LstmGradStepAttr.DCSRS, G_DB = LstmGradStepAttr.DB;
const G_DH = LstmGradStepAttr.DH;

/** One backward time step (reverse order) for unit octets [begin, end). */
export function lstm_grad_step_f32(s: usize, begin: i32, end: i32): void {
  let B = ldi(s, G_B), U = ldi(s, G_U), act = ldi(s, G_ACT), ract = ldi(s, G_RACT);
  let W = ptr(s, G_W), Z = ptr(s, G_Z), dn = ptr(s, G_DN), dnrs = ldi(s, G_DNRS);
  let dy = ptr(s, G_DY), dyrs = ldi(s, G_DYRS), gt = ptr(s, G_G), grs = ldi(s, G_GRS);
  let ct = ptr(s, G_C), crs = ldi(s, G_CRS), cp = ptr(s, G_CP), cprs = ldi(s, G_CPRS);
  let dcs = ptr(s, G_DC), dz = ptr(s, G_DZ), dzrs = ldi(s, G_DZRS);
  let dg = ptr(s, G_DG), dgrs = ldi(s, G_DGRS), dcx = ptr(s, G_DCS), dcxrs = ldi(s, G_DCSRS);
  let db = ptr(s, G_DB), dhOut = ptr(s, G_DH);
  let K = 4 * U;
  let Ub = <usize>U << 2;
  for (let o = begin; o < end; o++) {
    let zo = carriedRows(dn, dnrs, K, W, B, Z, o);
    if (!ASC_FEATURE_SIMD) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < OCT; j++) {
          let u = o * OCT + j;
          if (u >= U) break;
          let dh = incomingS(dn, zo, dy, dyrs, b, j, u);
          if (gt == 0) { stf(dhOut, b * U + u, dh); continue; }
          let gr = b * grs + u;
          let i = ldf(gt, gr), f = ldf(gt, gr + U), gg = ldf(gt, gr + 2 * U), og = ldf(gt, gr + 3 * U);
          let tc = actS(act, ldf(ct, b * crs + u));
          let dc = ldf(dcs, b * U + u) + ldz(dcx, b * dcxrs + u) + dh * og * dactS(act, tc);
          let dgr = b * dgrs + u;
          let dI = dc * gg + ldz(dg, dgr), dF = dc * ldf(cp, b * cprs + u) + ldz(dg, dgr + U);
          let dG = dc * i + ldz(dg, dgr + 2 * U), dO = dh * tc + ldz(dg, dgr + 3 * U);
          let zi = dI * dactS(ract, i), zf = dF * dactS(ract, f);
          let zg = dG * dactS(act, gg), zq = dO * dactS(ract, og);
          let zr = b * dzrs + u;
          stf(dz, zr, zi); stf(dz, zr + U, zf); stf(dz, zr + 2 * U, zg); stf(dz, zr + 3 * U, zq);
          stf(db, u, ldf(db, u) + zi); stf(db, u + U, ldf(db, u + U) + zf);
          stf(db, u + 2 * U, ldf(db, u + 2 * U) + zg); stf(db, u + 3 * U, ldf(db, u + 3 * U) + zq);
          stf(dcs, b * U + u, dc * f);
        }
      }
      continue;
    }
    for (let b = 0; b < B; b++) {
      for (let half = 0; half < 2; half++) {
        let u0 = o * OCT + half * 4;
        let n = min(4, U - u0);
        if (n <= 0) break;
        let dh = incomingV(dn, zo, ldnz(atz(dy, b, dyrs, u0), n), b, half);
        if (gt == 0) { stn(at(dhOut, b, U, u0), dh, n); continue; }
        let gr = at(gt, b, grs, u0);
        let i = ldn(gr, n), f = ldn(gr + Ub, n), gg = ldn(gr + 2 * Ub, n), og = ldn(gr + 3 * Ub, n);
        let tc = actV(act, ldn(at(ct, b, crs, u0), n));
        let dcp = at(dcs, b, U, u0);
        let dc = f32x4.add(ldn(dcp, n), ldnz(atz(dcx, b, dcxrs, u0), n));
        dc = f32x4.add(dc, f32x4.mul(f32x4.mul(dh, og), dactV(act, tc)));
        let dI = f32x4.mul(dc, gg), dF = f32x4.mul(dc, ldn(at(cp, b, cprs, u0), n));
        let dG = f32x4.mul(dc, i), dO = f32x4.mul(dh, tc);
        if (dg != 0) {
          let dgr = at(dg, b, dgrs, u0);
          dI = f32x4.add(dI, ldn(dgr, n)); dF = f32x4.add(dF, ldn(dgr + Ub, n));
          dG = f32x4.add(dG, ldn(dgr + 2 * Ub, n)); dO = f32x4.add(dO, ldn(dgr + 3 * Ub, n));
        }
        let zi = f32x4.mul(dI, dactV(ract, i)), zf = f32x4.mul(dF, dactV(ract, f));
        let zg = f32x4.mul(dG, dactV(act, gg)), zq = f32x4.mul(dO, dactV(ract, og));
        let zr = at(dz, b, dzrs, u0);
        stn(zr, zi, n); stn(zr + Ub, zf, n); stn(zr + 2 * Ub, zg, n); stn(zr + 3 * Ub, zq, n);
        let br = at(db, 0, 0, u0);
        stn(br, f32x4.add(ldn(br, n), zi), n);
        stn(br + Ub, f32x4.add(ldn(br + Ub, n), zf), n);
        stn(br + 2 * Ub, f32x4.add(ldn(br + 2 * Ub, n), zg), n);
        stn(br + 3 * Ub, f32x4.add(ldn(br + 3 * Ub, n), zq), n);
        stn(dcp, f32x4.mul(dc, f), n);
      }
    }
  }
}
