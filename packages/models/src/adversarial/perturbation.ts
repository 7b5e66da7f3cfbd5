import type * as tf from '@tensorflow/tfjs-core';
import { checkTensorAsync } from '../validate.js';

/** Mean and median of a set of numbers (NaN when empty). */
export interface Summary {
  /** Arithmetic mean. */
  mean: number;
  /** Median (mean of the two middle values for an even count). */
  median: number;
}

/** Per-example perturbation sizes. */
export interface PerturbationNorms {
  /** Number of features changed by more than the tolerance. */
  l0: Float64Array;
  /** Euclidean norm. */
  l2: Float64Array;
  /** Largest absolute change. */
  linf: Float64Array;
}

/** Mean and median of `values`, optionally only where `mask` is 1. */
export function summarize(values: ArrayLike<number>, mask?: ArrayLike<number>): Summary {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) v.push(values[i]);
  if (v.length === 0) return { mean: NaN, median: NaN };
  v.sort((a, b) => a - b);
  const mid = v.length >> 1;
  return {
    mean: v.reduce((s, a) => s + a, 0) / v.length,
    median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2,
  };
}

/** L0 / L2 / L∞ size of `adv − x` per example; L0 counts changes above `tolerance` (default 1e-6). */
export async function perturbationNorms(x: tf.Tensor, adv: tf.Tensor, tolerance = 1e-6): Promise<PerturbationNorms> {
  await checkTensorAsync('perturbationNorms', 'x', x, { minRank: 2 });
  await checkTensorAsync('perturbationNorms', 'adv', adv, { inner: x.shape.slice(1), batch: x.shape[0] });
  return normsOf((await x.data()) as Float32Array, (await adv.data()) as Float32Array, x.shape[0], tolerance);
}

/** {@link perturbationNorms} on flat arrays of `n` examples. */
export function normsOf(x: Float32Array, adv: Float32Array, n: number, tolerance = 1e-6): PerturbationNorms {
  const d = n > 0 ? x.length / n : 0;
  const out = { l0: new Float64Array(n), l2: new Float64Array(n), linf: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    let l0 = 0,
      l2 = 0,
      li = 0;
    for (let p = i * d; p < (i + 1) * d; p++) {
      const v = Math.abs(adv[p] - x[p]);
      if (v > tolerance) l0++;
      l2 += v * v;
      if (v > li) li = v;
    }
    out.l0[i] = l0;
    out.l2[i] = Math.sqrt(l2);
    out.linf[i] = li;
  }
  return out;
}
