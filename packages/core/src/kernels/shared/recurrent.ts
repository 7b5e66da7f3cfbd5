// Helpers shared by the fused LSTM and GRU kernels (lstm.ts, gru.ts).
import { RnnActivation } from '@lanes/kernels-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import type { Scratch } from './scratch.js';

/** Units per packed panel (assembly/recurrent.ts: OCT). */
const OCT = 8;

/**
 * Panels of 8 units covering `units`: the range a step kernel splits across threads (any octet
 * boundary will do, so the step kernels are called with chunk alignment 1).
 */
export function octets(units: number): number {
  return Math.ceil(units / OCT);
}

const codes: Record<string, number> = {
  linear: RnnActivation.LINEAR,
  tanh: RnnActivation.TANH,
  sigmoid: RnnActivation.SIGMOID,
  hardSigmoid: RnnActivation.HARD_SIGMOID,
  relu: RnnActivation.RELU,
};

/** Kernel code of an activation name (the names of `RnnActivation` in ops/recurrent.ts). */
export function activationCode(name: unknown): number {
  const code = codes[name as string];
  if (code === undefined) throw new Error(`Lanes: recurrent activation '${String(name)}' is not supported`);
  return code;
}

/** The same tensor data seen with another shape (no copy). */
export function reshaped(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/**
 * Packs `G` gate column blocks of weight matrix `w` (from byte `offset`) into octet panels
 * (assembly rnn_pack_f32); the packed copy is kept with the tensor (LanesBackend.packedCopy), so
 * a model's recurrent weights are packed once, not on every call.
 */
export function packGates(
  backend: LanesBackend,
  scratch: Scratch,
  w: TensorInfo,
  offset: number,
  K: number,
  units: number,
  G: number,
  gs: number,
  rs: number,
  cs: number,
): number {
  return backend.packedCopy(
    w,
    `rnn ${offset} ${K} ${units} ${G} ${gs} ${rs} ${cs}`,
    octets(units) * G * K * OCT * 4,
    (dst) => backend.wasm.rnn_pack_f32(backend.ptr(w) + offset, dst, K, units, G, gs, rs, cs),
    scratch,
  );
}

/**
 * Pointer to an incoming gradient, or 0 when it is all zeros and still in JS. tfjs hands a zero
 * tensor, made in JS, to every output the loss does not use (the saved gates and cells in
 * training, the sequence when only the last step is used): reading those as absent skips moving
 * megabytes into wasm memory and reading them back at every step.
 */
export function gradientPtr(backend: LanesBackend, t: TensorInfo): number {
  const record = backend.data.get(t.dataId)!;
  if (record.inJs) {
    const values = record.view()!;
    let i = 0;
    while (i < values.length && values[i] === 0) i++;
    if (i === values.length) return 0;
  }
  return backend.ptr(t);
}

/**
 * The gradient of the last step's h, [B, U], in a scratch block: the sequence output's last
 * step (`dhSeq`, 0 when absent) plus the final-state output's (`dhT`).
 */
export function lastStepGradient(
  backend: LanesBackend,
  scratch: Scratch,
  dhSeq: number,
  dhT: TensorInfo,
  B: number,
  T: number,
  U: number,
): number {
  const out = scratch.zeros(B * U);
  if (dhSeq !== 0) copyRows(backend, dhSeq + (T - 1) * U * 4, T * U, out, U, B, U);
  const dhTPtr = gradientPtr(backend, dhT);
  if (dhTPtr !== 0) {
    const sum = backend.storage.f32(out, B * U),
      add = backend.storage.f32(dhTPtr, B * U);
    for (let i = 0; i < B * U; i++) sum[i] += add[i];
  }
  return out;
}

/** `base + index · stride` floats, or 0 for an absent buffer. */
export function offset(base: number, index: number, stride: number): number {
  return base === 0 ? 0 : base + index * stride * 4;
}

/**
 * Copies `rows` rows of `n` floats between buffers with the given row strides (floats). Used for
 * states and the time-aligned h_{t-1} sequence the weight gradients need.
 */
export function copyRows(
  backend: LanesBackend,
  src: number,
  srcStride: number,
  dst: number,
  dstStride: number,
  rows: number,
  n: number,
): void {
  if (rows === 0 || n === 0) return;
  const srcEnd = src + ((rows - 1) * srcStride + n) * 4,
    dstEnd = dst + ((rows - 1) * dstStride + n) * 4;
  // One view over both regions, so that each row copy is a typed-array copyWithin.
  const lo = Math.min(src, dst);
  const view = backend.storage.f32(lo, (Math.max(srcEnd, dstEnd) - lo) / 4);
  const s0 = (src - lo) / 4,
    d0 = (dst - lo) / 4;
  for (let r = 0; r < rows; r++) view.copyWithin(d0 + r * dstStride, s0 + r * srcStride, s0 + r * srcStride + n);
}

/**
 * Writes h_{t-1} for every input time t into `hPrev` [B, T, U], aligned with the time-ordered
 * gradients: h_{-1} is the initial state, and with goBackwards step s reads input t = T-1-s.
 */
export function alignPreviousStates(
  backend: LanesBackend,
  h0: number,
  hSeq: number,
  hPrev: number,
  B: number,
  T: number,
  U: number,
  goBackwards: boolean,
): void {
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const src = s === 0 ? h0 : hSeq + (s - 1) * U * 4;
    copyRows(backend, src, s === 0 ? U : T * U, hPrev + t * U * 4, T * U, B, U);
  }
}
