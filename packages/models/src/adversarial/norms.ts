import * as tf from '@tensorflow/tfjs-core';
import type { Norm } from './types.js';

// Attacks work on flattened [N, D] tensors; these helpers take and return that layout.

/** Per-example norm of a `[N, D]` tensor → `[N, 1]`. */
function rowNorm(d: tf.Tensor2D, norm: Norm | 'l1'): tf.Tensor2D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.max(tf.abs(d), 1, true) as tf.Tensor2D;
    if (norm === 'l1') return tf.sum(tf.abs(d), 1, true) as tf.Tensor2D;
    return tf.sqrt(tf.sum(tf.square(d), 1, true)) as tf.Tensor2D;
  });
}

/** Scales each row to unit norm (rows of zeros stay zero). */
export function normalizeRows(d: tf.Tensor2D, norm: Norm | 'l1'): tf.Tensor2D {
  return tf.tidy(() => tf.div(d, tf.maximum(rowNorm(d, norm), 1e-12)));
}

/** The steepest-ascent direction of unit `norm` for gradient `g`: sign(g) for L∞, g/‖g‖₂ for L2. */
export function ascentDirection(g: tf.Tensor2D, norm: Norm): tf.Tensor2D {
  return norm === 'linf' ? tf.sign(g) : normalizeRows(g, 'l2');
}

/** Projects perturbations `d` onto the `norm` ball of radius `eps` (per row). */
function projectBall(d: tf.Tensor2D, norm: Norm, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.clipByValue(d, -eps, eps);
    const n = rowNorm(d, 'l2');
    return tf.mul(d, tf.minimum(1, tf.div(eps, tf.maximum(n, 1e-12))));
  });
}

/** `x0 + project(x − x0)`, clipped to [lo, hi]: the feasible point nearest to `x` (for L∞ exactly). */
export function projectFeasible(
  x: tf.Tensor2D,
  x0: tf.Tensor2D,
  norm: Norm,
  eps: number,
  lo: number,
  hi: number,
): tf.Tensor2D {
  return tf.tidy(() => tf.clipByValue(tf.add(x0, projectBall(tf.sub(x, x0), norm, eps)), lo, hi) as tf.Tensor2D);
}
