// float64 references of the fused recurrent ops' outputs and gradients: lstm_reference.ts's Keras
// forward passes, and the gradient of a weighted sum of the outputs by central differences.
import { numericGrad, refGRU, refLSTM, type Act, type RefArrays } from './lstm_reference.js';
import { ref, type Ref } from './ref64_core.js';

/** One recurrent case: sizes, options and which optional inputs take part. */
export interface Rnn64Case {
  kind: 'lstm' | 'gru';
  B: number;
  T: number;
  F: number;
  U: number;
  activation: Act;
  recurrentActivation: Act;
  goBackwards: boolean;
  returnSequences: boolean;
  resetAfter: boolean;
  /** Whether the bias and the initial state are given (else absent: no bias, zero state). */
  bias: boolean;
  initial: boolean;
}

/** The op's outputs: output ([B,T,U] or the last step [B,U]), h, and c for the LSTM. */
function outputs(a: RefArrays, c: Rnn64Case): Float64Array[] {
  const opts = { activation: c.activation, recurrentActivation: c.recurrentActivation, goBackwards: c.goBackwards };
  const r =
    c.kind === 'lstm'
      ? refLSTM(a, c.B, c.T, c.F, c.U, opts)
      : refGRU(a, c.B, c.T, c.F, c.U, { ...opts, resetAfter: c.resetAfter });
  // No steps: the state is the initial one.
  const h = c.T === 0 ? Float64Array.from(a.h0) : r.h;
  const cell = c.T === 0 ? Float64Array.from(a.c0 ?? []) : r.c;
  const out = c.returnSequences ? r.hs : h;
  return c.kind === 'lstm' ? [out, h, cell] : [out, h];
}

/** Output shapes, as {@link outputs} orders them. */
function outputShapes(c: Rnn64Case): number[][] {
  const out = c.returnSequences ? [c.B, c.T, c.U] : [c.B, c.U];
  return c.kind === 'lstm' ? [out, [c.B, c.U], [c.B, c.U]] : [out, [c.B, c.U]];
}

/** The forward outputs in float64. */
export function rnnForward64(a: RefArrays, c: Rnn64Case): Ref[] {
  const shapes = outputShapes(c);
  return outputs(a, c).map((v, i) => ref(shapes[i]!, 'float32', v));
}

/**
 * Gradients of Σ_k Σ outputs_k · dys_k with respect to x, kernel, recurrent kernel, and (when
 * given) bias, h0, c0 — in that order, each of its input's shape — by central differences in
 * float64 (step 1e-7: the loss is accurate to ~1e-16 relative, so the quotient to ~1e-9).
 */
export function rnnGrads64(
  a: RefArrays,
  c: Rnn64Case,
  dys: ArrayLike<number>[],
  shapes: Record<string, number[]>,
): Ref[] {
  const loss = (arr: RefArrays) =>
    outputs(arr, c).reduce((acc, o, k) => acc + o.reduce((s, v, i) => s + v * dys[k]![i]!, 0), 0);
  const keys: Array<keyof RefArrays> = ['x', 'kernel', 'recurrentKernel'];
  if (c.bias) keys.push('bias');
  if (c.initial) keys.push('h0');
  if (c.initial && c.kind === 'lstm') keys.push('c0');
  return keys.map((k) => ref(shapes[k]!, 'float32', numericGrad(a, k, loss, 1e-7)));
}
