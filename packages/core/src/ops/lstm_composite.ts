// LSTM from standard tfjs ops, step by step as tfjs-layers runs it: the path for backends
// without the fused kernel, and the reference the fused kernel is tested against.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs-core';
import { applyActivation, type RnnActivation } from './recurrent.js';

/** Normalised LSTM arguments (shapes checked, defaults resolved). */
export interface LSTMArgs {
  x: Tensor3D;
  kernel: Tensor2D;
  recurrentKernel: Tensor2D;
  bias: Tensor1D | null;
  h0: Tensor2D;
  c0: Tensor2D;
  activation: RnnActivation;
  recurrentActivation: RnnActivation;
  goBackwards: boolean;
  returnSequences: boolean;
  returnGates: boolean;
}

/** What the op computes before packaging: outputs in processing order. */
export interface LSTMParts {
  /** [B, T, U] when returnSequences, else the last h [B, U]. */
  output: Tensor;
  h: Tensor2D;
  c: Tensor2D;
  gates?: Tensor4D;
  cells?: Tensor3D;
}

export function lstmComposite(a: LSTMArgs): LSTMParts {
  return tf.tidy(() => {
    const [B, T, F] = a.x.shape;
    const U = a.recurrentKernel.shape[0];
    let proj: Tensor = tf.matMul(tf.reshape(a.x, [B * T, F]), a.kernel);
    if (a.bias) proj = tf.add(proj, a.bias);
    // tf.unstack's gradient fails for a single output (tfjs-core 4.22): one step is a reshape.
    let steps = T > 1 ? tf.unstack(tf.reshape(proj, [B, T, 4 * U]), 1) : T === 1 ? [proj] : [];
    // Reverse a copy: tf.unstack's array is also its tape node's output list (tfjs-core 4.22).
    if (a.goBackwards) steps = steps.slice().reverse();
    let h: Tensor = a.h0,
      c: Tensor = a.c0;
    const hs: Tensor[] = [],
      gs: Tensor[] = [],
      cs: Tensor[] = [];
    for (const p of steps) {
      const z = tf.add(p, tf.matMul(h, a.recurrentKernel));
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      const i = applyActivation(zi, a.recurrentActivation);
      const f = applyActivation(zf, a.recurrentActivation);
      const g = applyActivation(zg, a.activation);
      const o = applyActivation(zo, a.recurrentActivation);
      c = tf.add(tf.mul(f, c), tf.mul(i, g));
      h = tf.mul(o, applyActivation(c, a.activation));
      hs.push(h);
      if (a.returnGates) {
        gs.push(tf.stack([i, f, g, o], 1));
        cs.push(c);
      }
    }
    const seq = (xs: Tensor[], shape: number[]) => (xs.length > 0 ? tf.stack(xs, 1) : tf.zeros(shape));
    const parts: LSTMParts = {
      output: a.returnSequences ? seq(hs, [B, 0, U]) : tf.clone(h),
      h: tf.clone(h) as Tensor2D,
      c: tf.clone(c) as Tensor2D,
    };
    if (a.returnGates) {
      parts.gates = seq(gs, [B, 0, 4, U]) as Tensor4D;
      parts.cells = seq(cs, [B, 0, U]) as Tensor3D;
    }
    return parts as unknown as tf.TensorContainerObject;
  }) as unknown as LSTMParts;
}
