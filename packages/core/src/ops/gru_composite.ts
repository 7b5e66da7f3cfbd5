// GRU from standard tfjs ops, step by step as tfjs-layers (resetAfter = false) and Keras
// (resetAfter = true) run it: the path for backends without the fused kernel, and the
// reference the fused kernel is tested against.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { applyActivation, type RnnActivation } from './recurrent.js';

/** Normalised GRU arguments (shapes checked, defaults resolved). */
export interface GRUArgs {
  x: tf.Tensor3D;
  kernel: Tensor2D;
  recurrentKernel: Tensor2D;
  /** [3U] (resetAfter = false) or [2, 3U]: input bias, recurrent bias (resetAfter = true). */
  bias: Tensor | null;
  h0: Tensor2D;
  activation: RnnActivation;
  recurrentActivation: RnnActivation;
  goBackwards: boolean;
  resetAfter: boolean;
  returnSequences: boolean;
  returnGates: boolean;
}

/** What the op computes before packaging: outputs in processing order. */
export interface GRUParts {
  /** [B, T, U] when returnSequences, else the last h [B, U]. */
  output: Tensor;
  h: Tensor2D;
  gates?: Tensor4D;
}

export function gruComposite(a: GRUArgs): GRUParts {
  return tf.tidy(() => {
    const [B, T, F] = a.x.shape;
    const U = a.recurrentKernel.shape[0];
    let inputBias: Tensor | null = null,
      recurrentBias: Tensor | null = null;
    if (a.bias) {
      if (a.resetAfter) [inputBias, recurrentBias] = tf.unstack(a.bias, 0);
      else inputBias = a.bias;
    }
    let proj: Tensor = tf.matMul(tf.reshape(a.x, [B * T, F]), a.kernel);
    if (inputBias) proj = tf.add(proj, inputBias);
    // tf.unstack's gradient fails for a single output (tfjs-core 4.22): one step is a reshape.
    let steps = T > 1 ? tf.unstack(tf.reshape(proj, [B, T, 3 * U]), 1) : T === 1 ? [proj] : [];
    // Reverse a copy: tf.unstack's array is also its tape node's output list (tfjs-core 4.22).
    if (a.goBackwards) steps = steps.slice().reverse();
    const [uzr, uh] = tf.split(a.recurrentKernel, [2 * U, U], 1);
    let h: Tensor = a.h0;
    const hs: Tensor[] = [],
      gs: Tensor[] = [];
    for (const p of steps) {
      const [xz, xr, xh] = tf.split(p, 3, 1);
      let z: Tensor, r: Tensor, hh: Tensor;
      if (a.resetAfter) {
        let inner: Tensor = tf.matMul(h, a.recurrentKernel);
        if (recurrentBias) inner = tf.add(inner, recurrentBias);
        const [mz, mr, mh] = tf.split(inner, 3, 1);
        z = applyActivation(tf.add(xz, mz), a.recurrentActivation);
        r = applyActivation(tf.add(xr, mr), a.recurrentActivation);
        hh = applyActivation(tf.add(xh, tf.mul(r, mh)), a.activation);
      } else {
        const [mz, mr] = tf.split(tf.matMul(h, uzr), 2, 1);
        z = applyActivation(tf.add(xz, mz), a.recurrentActivation);
        r = applyActivation(tf.add(xr, mr), a.recurrentActivation);
        hh = applyActivation(tf.add(xh, tf.matMul(tf.mul(r, h), uh)), a.activation);
      }
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      hs.push(h);
      if (a.returnGates) gs.push(tf.stack([z, r, hh], 1));
    }
    const seq = (xs: Tensor[], shape: number[]) => (xs.length > 0 ? tf.stack(xs, 1) : tf.zeros(shape));
    const parts: GRUParts = {
      output: a.returnSequences ? seq(hs, [B, 0, U]) : tf.clone(h),
      h: tf.clone(h) as Tensor2D,
    };
    if (a.returnGates) parts.gates = seq(gs, [B, 0, 3, U]) as Tensor4D;
    return parts as unknown as tf.TensorContainerObject;
  }) as unknown as GRUParts;
}
