// 'LanesGRU' and 'LanesGRUGrad': a whole GRU sequence, forward and backward, as one kernel each
// (both Keras variants). The input projection of all steps is one GEMM; each time step is then
// one or two parallel calls of the fused step kernels over unit octets (assembly/gru.ts).
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { GruGradStepAttr, GruStepAttr, attrWords } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { batchMatMul } from './shared/gemm.js';
import {
  activationCode,
  alignPreviousStates,
  copyRows,
  gradientPtr,
  lastStepGradient,
  octets,
  offset,
  reshaped,
  packGates,
} from './shared/recurrent.js';
import { Scratch } from './shared/scratch.js';
import type { LanesKernel } from './shared/kernel_config.js';

/** Forward kernel name. Inputs: x, kernel, recurrentKernel, bias ([3U], or [2, 3U] with resetAfter), h0. */
export const GRU_KERNEL = 'LanesGRU';
/** Backward kernel name (backpropagation through time). */
export const GRU_GRAD_KERNEL = 'LanesGRUGrad';

/**
 * Attributes of 'LanesGRU'. Outputs: [hT [B,U]], then hSeq [B,T,U] with `saveSequence` or
 * `saveGates`, then with `saveGates` gates [B,T,3,U] and, with resetAfter, mh [B,T,U]
 * (h·U_h + b_rh, which the backward pass needs). Sequences are in processing order.
 */
export interface GRUKernelAttrs {
  activation: string;
  recurrentActivation: string;
  goBackwards: boolean;
  resetAfter: boolean;
  saveSequence: boolean;
  saveGates: boolean;
  /**
   * Whether the caller uses the gates (and cells) output. When it does not (nor hSeq without
   * `saveSequence`), the backward pass takes their gradients as zero without reading them: they
   * are tfjs's zero fill for outputs that reach no loss.
   */
  returnGates: boolean;
}

const gruForward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as LanesBackend;
  const { x, kernel, recurrentKernel, bias, h0 } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as GRUKernelAttrs;
  const [B, T, F] = x.shape;
  const U = recurrentKernel.shape[0];
  const N = 3 * U;
  const saveGates = a.saveGates;
  const saveSeq = a.saveSequence || saveGates;
  const act = activationCode(a.activation),
    ract = activationCode(a.recurrentActivation);

  const hT = b.makeOutputInfo([B, U], 'float32');
  const hSeq = saveSeq ? b.makeOutputInfo([B, T, U], 'float32') : undefined;
  const gates = saveGates ? b.makeOutputInfo([B, T, 3, U], 'float32') : undefined;
  const mh = saveGates && a.resetAfter ? b.makeOutputInfo([B, T, U], 'float32') : undefined;
  const outputs = [hT, ...(hSeq ? [hSeq] : []), ...(gates ? [gates] : []), ...(mh ? [mh] : [])];
  if (B * U === 0) return outputs;
  if (T === 0) {
    copyRows(b, b.ptr(h0), U, b.ptr(hT), U, B, U);
    return outputs;
  }

  const scratch = new Scratch(b);
  try {
    // resetAfter: bias rows are (input, recurrent); the input row joins the projection.
    const inputBias = reshaped(bias, [N]);
    const P = scratch.tensor(batchMatMul(b, reshaped(x, [B * T, F]), kernel, false, false, inputBias));
    const rk = recurrentKernel;
    const W1 = a.resetAfter
      ? packGates(b, scratch, rk, 0, U, U, 3, U, N, 1)
      : packGates(b, scratch, rk, 0, U, U, 2, U, N, 1);
    const W2 = a.resetAfter ? 0 : packGates(b, scratch, rk, 2 * U * 4, U, U, 1, 0, N, 1);
    const nOct = octets(U);
    const Z = scratch.alloc(nOct * B * 3 * 8 * 4);
    const br = a.resetAfter ? b.ptr(bias) + N * 4 : 0;
    const pPtr = b.ptr(P),
      hPtr = hSeq ? b.ptr(hSeq) : b.ptr(hT),
      gPtr = gates ? b.ptr(gates) : 0,
      mPtr = mh ? b.ptr(mh) : 0;
    const hTmp = saveSeq ? 0 : scratch.alloc(B * U * 4);
    const zTmp = saveGates ? 0 : scratch.alloc(B * U * 4);
    const rh = a.resetAfter ? 0 : scratch.alloc(B * U * 4);
    // One struct for the whole sequence; each step rewrites only the words that move.
    const st = scratch.struct(
      attrWords(GruStepAttr, {
        B,
        U,
        ACT: act,
        RACT: ract,
        P: 0,
        PRS: T * N,
        W1,
        W2,
        Z,
        BR: br,
        HP: b.ptr(h0),
        HPRS: U,
        HO: 0,
        HORS: 0,
        ZB: zTmp,
        ZBRS: saveGates ? T * N : U,
        RH: rh,
        GO: 0,
        GORS: T * N,
        MH: 0,
        MHRS: T * U,
      }),
    );
    const words = b.storage.i32(st, GruStepAttr.WORDS);
    for (let s = 0; s < T; s++) {
      const t = a.goBackwards ? T - 1 - s : s;
      words[GruStepAttr.P] = pPtr + t * N * 4;
      if (saveSeq) {
        words[GruStepAttr.HO] = hPtr + s * U * 4;
        words[GruStepAttr.HORS] = T * U;
      } else {
        words[GruStepAttr.HO] = (T - 1 - s) % 2 === 0 ? hPtr : hTmp;
        words[GruStepAttr.HORS] = U;
      }
      if (saveGates) words[GruStepAttr.ZB] = words[GruStepAttr.GO] = gPtr + s * N * 4;
      if (mPtr) words[GruStepAttr.MH] = mPtr + s * U * 4;
      if (a.resetAfter) {
        b.parallel('gru_step_f32', [st], nOct, B * U * 3 * 8, 1);
      } else {
        b.parallel('gru_zr_step_f32', [st], nOct, B * U * 2 * 8, 1);
        b.parallel('gru_h_step_f32', [st], nOct, B * U * 8, 1);
      }
      // h_t is the next step's h_{t-1}.
      words[GruStepAttr.HP] = words[GruStepAttr.HO];
      words[GruStepAttr.HPRS] = words[GruStepAttr.HORS];
    }
    if (saveSeq) copyRows(b, hPtr + (T - 1) * U * 4, T * U, b.ptr(hT), U, B, U);
  } finally {
    scratch.release();
  }
  return outputs;
};

/**
 * Backward pass. Inputs: recurrentKernel, h0, the saved hSeq, gates (and mh with resetAfter),
 * and the gradients dhT, dhSeq, dGates. Outputs: [dA [B,T,3U] (input-side pre-activation gradients,
 * time-ordered like x), dBias (bias-shaped), dh0, hPrev [B,T,U] (h_{t-1} aligned with dA), ...]
 * then, with resetAfter, the recurrent-side gradient dM [B,T,3U] (U's gradient is hPrevᵀ·dM);
 * without, r*h_{t-1} [B,T,U] and dA's z,r and h blocks as their own tensors [B,T,2U], [B,T,U]
 * (U's gradient is [hPrevᵀ·dA_zr | (r*h)ᵀ·dA_h], and slicing dA apart would cost a copy anyway).
 */
const gruBackward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as LanesBackend;
  const { recurrentKernel, h0, hSeq, gates, mh, dhT, dhSeq, dGates } = inputs as Record<string, TensorInfo | undefined>;
  const a = attrs as NamedAttrMap;
  const goBackwards = a.goBackwards as boolean,
    resetAfter = a.resetAfter as boolean;
  const act = activationCode(a.activation),
    ract = activationCode(a.recurrentActivation);
  const [B, T, U] = hSeq!.shape;
  const N = 3 * U;
  const dA = b.makeOutputInfo([B, T, N], 'float32');
  const dBias = b.makeOutputInfo(resetAfter ? [2, N] : [N], 'float32');
  const dh0 = b.makeOutputInfo([B, U], 'float32');
  const hPrev = b.makeOutputInfo([B, T, U], 'float32');
  const R = b.makeOutputInfo(resetAfter ? [B, T, N] : [B, T, U], 'float32');
  const dAzr = resetAfter ? undefined : b.makeOutputInfo([B, T, 2 * U], 'float32');
  const dAh = resetAfter ? undefined : b.makeOutputInfo([B, T, U], 'float32');
  const outputs = [dA, dBias, dh0, hPrev, R, ...(dAzr ? [dAzr, dAh!] : [])];
  b.f32(dBias).fill(0);
  b.f32(dh0).fill(0);
  if (B * U === 0 || T === 0) return outputs;

  const scratch = new Scratch(b);
  try {
    const rk = recurrentKernel!;
    const W1 = resetAfter
      ? packGates(b, scratch, rk, 0, N, U, 1, 0, 1, N)
      : packGates(b, scratch, rk, 0, 2 * U, U, 1, 0, 1, N);
    const W2 = resetAfter ? 0 : packGates(b, scratch, rk, 2 * U * 4, U, U, 1, 0, 1, N);
    const nOct = octets(U);
    const Z = scratch.alloc(nOct * B * 8 * 4);
    const daPtr = b.ptr(dA),
      rPtr = b.ptr(R),
      dhp = b.ptr(dh0),
      db = b.ptr(dBias);
    const gPtr = b.ptr(gates!),
      hsPtr = b.ptr(hSeq!),
      dyPtr = a.saveSequence !== false ? gradientPtr(b, dhSeq!) : 0;
    const dgPtr = a.returnGates !== false ? gradientPtr(b, dGates!) : 0;
    const mPtr = mh ? b.ptr(mh) : 0;
    const zrPtr = dAzr ? b.ptr(dAzr) : 0,
      ahPtr = dAh ? b.ptr(dAh) : 0;
    // The recurrence runs on dM (resetAfter) or on dA's z and r blocks.
    const dn = resetAfter ? rPtr : daPtr;
    const time = (s: number) => (goBackwards ? T - 1 - s : s);
    const dyLast = lastStepGradient(b, scratch, dyPtr, dhT!, B, T, U);
    const struct = (s: number, last: boolean) =>
      attrWords(GruGradStepAttr, {
        B,
        U,
        ACT: act,
        RACT: ract,
        W1,
        W2,
        Z,
        DN: last ? dn + time(0) * N * 4 : s === T - 1 ? 0 : dn + time(s + 1) * N * 4,
        DNRS: T * N,
        DY: last ? 0 : s === T - 1 ? dyLast : offset(dyPtr, s, U),
        DYRS: s === T - 1 ? U : T * U,
        G: last ? 0 : gPtr + s * N * 4,
        GRS: T * N,
        HP: s === 0 ? b.ptr(h0!) : hsPtr + (s - 1) * U * 4,
        HPRS: s === 0 ? U : T * U,
        MH: mPtr ? mPtr + s * U * 4 : 0,
        MHRS: T * U,
        DHP: dhp,
        DA: daPtr + time(s) * N * 4,
        DARS: T * N,
        DM: resetAfter ? rPtr + time(s) * N * 4 : 0,
        DMRS: T * N,
        RH: resetAfter ? 0 : rPtr + time(s) * U * 4,
        RHRS: T * U,
        DG: offset(dgPtr, s, N),
        DGRS: T * N,
        DB: db,
        DBR: resetAfter ? db + N * 4 : 0,
        DH: last ? dhp : 0,
        DAZR: zrPtr ? zrPtr + time(s) * 2 * U * 4 : 0,
        DAZRRS: T * 2 * U,
        DAH: ahPtr ? ahPtr + time(s) * U * 4 : 0,
        DAHRS: T * U,
      });
    for (let s = T - 1; s >= 0; s--) {
      const st = scratch.struct(struct(s, false));
      if (resetAfter) {
        b.parallel('gru_grad_step_f32', [st], nOct, B * N * 8, 1);
      } else {
        b.parallel('gru_grad_zh_step_f32', [st], nOct, B * 2 * U * 8, 1);
        b.parallel('gru_grad_r_step_f32', [st], nOct, B * U * 8, 1);
      }
    }
    // dh0 = the carried z-path gradient + the recurrent product of step 0 (no gates given).
    const st = scratch.struct(struct(0, true));
    b.parallel(resetAfter ? 'gru_grad_step_f32' : 'gru_grad_zh_step_f32', [st], nOct, B * N * 8, 1);
    alignPreviousStates(b, b.ptr(h0!), hsPtr, b.ptr(hPrev), B, T, U, goBackwards);
  } finally {
    scratch.release();
  }
  return outputs;
};

export const gruKernels: LanesKernel[] = [
  { kernelName: GRU_KERNEL, kernelFunc: gruForward },
  { kernelName: GRU_GRAD_KERNEL, kernelFunc: gruBackward },
];
