// 'LanesLSTM' and 'LanesLSTMGrad': a whole LSTM sequence, forward and backward, as one kernel
// each. The input projection of all steps is one GEMM; each time step is then one parallel call
// of the fused step kernel over unit octets (assembly/lstm.ts).
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { LstmGradStepAttr, LstmStepAttr, attrWords } from '@lanes/kernels-wasm';
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

/** Forward kernel name. Inputs: x, kernel, recurrentKernel, bias, h0, c0. */
export const LSTM_KERNEL = 'LanesLSTM';
/** Backward kernel name (backpropagation through time). */
export const LSTM_GRAD_KERNEL = 'LanesLSTMGrad';

/**
 * Attributes of 'LanesLSTM'. Outputs: [hT [B,U], cT [B,U]], then hSeq [B,T,U] with
 * `saveSequence` or `saveGates`, then gates [B,T,4,U] and cells [B,T,U] with `saveGates` (set
 * when gradients are being recorded, or gates were asked for). Sequences are in processing order.
 */
export interface LSTMKernelAttrs {
  activation: string;
  recurrentActivation: string;
  goBackwards: boolean;
  saveSequence: boolean;
  saveGates: boolean;
  /**
   * Whether the caller uses the gates (and cells) output. When it does not (nor hSeq without
   * `saveSequence`), the backward pass takes their gradients as zero without reading them: they
   * are tfjs's zero fill for outputs that reach no loss.
   */
  returnGates: boolean;
}

const lstmForward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as LanesBackend;
  const { x, kernel, recurrentKernel, bias, h0, c0 } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as LSTMKernelAttrs;
  const [B, T, F] = x.shape;
  const U = recurrentKernel.shape[0];
  const saveGates = a.saveGates;
  const saveSeq = a.saveSequence || saveGates;
  const act = activationCode(a.activation),
    ract = activationCode(a.recurrentActivation);

  const hT = b.makeOutputInfo([B, U], 'float32');
  const cT = b.makeOutputInfo([B, U], 'float32');
  const hSeq = saveSeq ? b.makeOutputInfo([B, T, U], 'float32') : undefined;
  const gates = saveGates ? b.makeOutputInfo([B, T, 4, U], 'float32') : undefined;
  const cells = saveGates ? b.makeOutputInfo([B, T, U], 'float32') : undefined;
  const outputs = [hT, cT, ...(hSeq ? [hSeq] : []), ...(saveGates ? [gates!, cells!] : [])];
  if (B * U === 0) return outputs;
  if (T === 0) {
    copyRows(b, b.ptr(h0), U, b.ptr(hT), U, B, U);
    copyRows(b, b.ptr(c0), U, b.ptr(cT), U, B, U);
    return outputs;
  }

  const scratch = new Scratch(b);
  try {
    const P = scratch.tensor(batchMatMul(b, reshaped(x, [B * T, F]), kernel, false, false, bias));
    const W = packGates(b, scratch, recurrentKernel, 0, U, U, 4, U, 4 * U, 1);
    const nOct = octets(U);
    const Z = scratch.alloc(nOct * B * 4 * 8 * 4);
    const pPtr = b.ptr(P),
      hPtr = hSeq ? b.ptr(hSeq) : b.ptr(hT),
      cPtr = b.ptr(cT);
    const gPtr = gates ? b.ptr(gates) : 0,
      csPtr = cells ? b.ptr(cells) : 0;
    const h0Ptr = b.ptr(h0),
      c0Ptr = b.ptr(c0);
    // Without a saved sequence, h ping-pongs between the output and a temporary so that the
    // last step lands in the output; c is updated in place in the output.
    const hTmp = saveSeq ? 0 : scratch.alloc(B * U * 4);
    if (!saveGates) copyRows(b, c0Ptr, U, cPtr, U, B, U);
    // One struct for the whole sequence; each step rewrites only the words that move.
    const st = scratch.struct(
      attrWords(LstmStepAttr, {
        B,
        U,
        ACT: act,
        RACT: ract,
        P: 0,
        PRS: T * 4 * U,
        W,
        Z,
        HP: h0Ptr,
        HPRS: U,
        CP: 0,
        CPRS: 0,
        HO: 0,
        HORS: 0,
        CO: 0,
        CORS: 0,
        GO: 0,
        GORS: T * 4 * U,
      }),
    );
    const words = b.storage.i32(st, LstmStepAttr.WORDS);
    for (let s = 0; s < T; s++) {
      const t = a.goBackwards ? T - 1 - s : s;
      words[LstmStepAttr.P] = pPtr + t * 4 * U * 4;
      if (saveSeq) {
        words[LstmStepAttr.HO] = hPtr + s * U * 4;
        words[LstmStepAttr.HORS] = T * U;
      } else {
        words[LstmStepAttr.HO] = (T - 1 - s) % 2 === 0 ? hPtr : hTmp;
        words[LstmStepAttr.HORS] = U;
      }
      if (saveGates) {
        words[LstmStepAttr.CP] = s === 0 ? c0Ptr : csPtr + (s - 1) * U * 4;
        words[LstmStepAttr.CPRS] = s === 0 ? U : T * U;
        words[LstmStepAttr.CO] = csPtr + s * U * 4;
        words[LstmStepAttr.CORS] = T * U;
        words[LstmStepAttr.GO] = gPtr + s * 4 * U * 4;
      } else {
        words[LstmStepAttr.CP] = words[LstmStepAttr.CO] = cPtr;
        words[LstmStepAttr.CPRS] = words[LstmStepAttr.CORS] = U;
      }
      b.parallel('lstm_step_f32', [st], nOct, B * U * 4 * 8, 1);
      // h_t is the next step's h_{t-1}.
      words[LstmStepAttr.HP] = words[LstmStepAttr.HO];
      words[LstmStepAttr.HPRS] = words[LstmStepAttr.HORS];
    }
    if (saveSeq) copyRows(b, hPtr + (T - 1) * U * 4, T * U, b.ptr(hT), U, B, U);
    if (saveGates) copyRows(b, csPtr + (T - 1) * U * 4, T * U, cPtr, U, B, U);
  } finally {
    scratch.release();
  }
  return outputs;
};

/**
 * Backward pass. Inputs: recurrentKernel, h0, c0, the saved hSeq, gates, cells, and the
 * gradients dhT, dcT, dhSeq, dGates, dCells. Outputs: [dZ [B,T,4U] (pre-activation gate gradients,
 * time-ordered like x), dBias [4U], dh0, dc0, hPrev [B,T,U] (h_{t-1} aligned with dZ)]; the
 * weight and input gradients are then plain matrix products of dZ (see ops/lstm_grad.ts).
 */
const lstmBackward: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as LanesBackend;
  const { recurrentKernel, h0, c0, hSeq, gates, cells, dhT, dcT, dhSeq, dGates, dCells } = inputs as Record<
    string,
    TensorInfo
  >;
  const a = attrs as NamedAttrMap;
  const goBackwards = a.goBackwards as boolean;
  const act = activationCode(a.activation),
    ract = activationCode(a.recurrentActivation);
  const [B, T, U] = hSeq.shape;
  const dZ = b.makeOutputInfo([B, T, 4 * U], 'float32');
  const dBias = b.makeOutputInfo([4 * U], 'float32');
  const dh0 = b.makeOutputInfo([B, U], 'float32');
  const dc0 = b.makeOutputInfo([B, U], 'float32');
  const hPrev = b.makeOutputInfo([B, T, U], 'float32');
  b.f32(dBias).fill(0);
  if (B * U === 0) return [dZ, dBias, dh0, dc0, hPrev];
  const dcTPtr = gradientPtr(b, dcT);
  if (dcTPtr === 0) b.f32(dc0).fill(0);
  else copyRows(b, dcTPtr, U, b.ptr(dc0), U, B, U);
  if (T === 0) {
    b.f32(dh0).fill(0);
    return [dZ, dBias, dh0, dc0, hPrev];
  }

  const scratch = new Scratch(b);
  try {
    const K = 4 * U;
    const W = packGates(b, scratch, recurrentKernel, 0, K, U, 1, 0, 1, K);
    const nOct = octets(U);
    const Z = scratch.alloc(nOct * B * 8 * 4);
    const dzPtr = b.ptr(dZ),
      dbPtr = b.ptr(dBias),
      dcPtr = b.ptr(dc0);
    const gPtr = b.ptr(gates),
      csPtr = b.ptr(cells);
    const dyPtr = a.saveSequence !== false ? gradientPtr(b, dhSeq) : 0;
    const dgPtr = a.returnGates !== false ? gradientPtr(b, dGates) : 0,
      dcsPtr = a.returnGates !== false ? gradientPtr(b, dCells) : 0;
    const time = (s: number) => (goBackwards ? T - 1 - s : s);
    const dyLast = lastStepGradient(b, scratch, dyPtr, dhT, B, T, U);
    for (let s = T - 1; s >= 0; s--) {
      const st = scratch.struct(
        attrWords(LstmGradStepAttr, {
          B,
          U,
          ACT: act,
          RACT: ract,
          W,
          Z,
          DN: s === T - 1 ? 0 : dzPtr + time(s + 1) * K * 4,
          DNRS: T * K,
          DY: s === T - 1 ? dyLast : offset(dyPtr, s, U),
          DYRS: s === T - 1 ? U : T * U,
          G: gPtr + s * K * 4,
          GRS: T * K,
          C: csPtr + s * U * 4,
          CRS: T * U,
          CP: s === 0 ? b.ptr(c0) : csPtr + (s - 1) * U * 4,
          CPRS: s === 0 ? U : T * U,
          DC: dcPtr,
          DZ: dzPtr + time(s) * K * 4,
          DZRS: T * K,
          DG: offset(dgPtr, s, K),
          DGRS: T * K,
          DCS: offset(dcsPtr, s, U),
          DCSRS: T * U,
          DB: dbPtr,
          DH: 0,
        }),
      );
      b.parallel('lstm_grad_step_f32', [st], nOct, B * K * 8, 1);
    }
    // dh0 = dz_0 · Uᵀ: the step kernel's product alone (no gates given).
    const st = scratch.struct(
      attrWords(LstmGradStepAttr, {
        B,
        U,
        ACT: act,
        RACT: ract,
        W,
        Z,
        DN: dzPtr + time(0) * K * 4,
        DNRS: T * K,
        DY: 0,
        DYRS: 0,
        G: 0,
        GRS: 0,
        C: 0,
        CRS: 0,
        CP: 0,
        CPRS: 0,
        DC: dcPtr,
        DZ: 0,
        DZRS: 0,
        DG: 0,
        DGRS: 0,
        DCS: 0,
        DCSRS: 0,
        DB: dbPtr,
        DH: b.ptr(dh0),
      }),
    );
    b.parallel('lstm_grad_step_f32', [st], nOct, B * K * 8, 1);
    alignPreviousStates(b, b.ptr(h0), b.ptr(hSeq), b.ptr(hPrev), B, T, U, goBackwards);
  } finally {
    scratch.release();
  }
  return [dZ, dBias, dh0, dc0, hPrev];
};

export const lstmKernels: LanesKernel[] = [
  { kernelName: LSTM_KERNEL, kernelFunc: lstmForward },
  { kernelName: LSTM_GRAD_KERNEL, kernelFunc: lstmBackward },
];
