import * as tf from '@tensorflow/tfjs-core';
import { toProbabilityFn, type BlackBoxModel } from './model.js';
import type { ProbabilityFn } from './types.js';

/**
 * A black-box classifier with a per-example query meter: every image sent counts one query
 * against the example it was made for. Batches are split into chunks of `batchSize` images.
 */
export class QueryCounter {
  /** Queries spent on each example so far. */
  readonly counts: Int32Array;
  /** Number of classes (known after the first query). */
  classes = 0;
  private readonly fn: ProbabilityFn;

  /**
   * Wraps `model` for `n` examples.
   * @param inner The input shape without the batch axis.
   * @param batchSize Largest number of images per call of the model.
   */
  constructor(
    model: BlackBoxModel,
    n: number,
    private readonly inner: number[],
    private readonly batchSize = 256,
  ) {
    this.fn = toProbabilityFn(model);
    this.counts = new Int32Array(n);
  }

  /**
   * Probabilities `[k·classes]` of `k` flattened images `rows` (`[k·d]`); `owner[j]` is the
   * example image j is charged to.
   */
  async probabilities(rows: Float32Array, owner: ArrayLike<number>): Promise<Float32Array> {
    const k = owner.length;
    const d = k > 0 ? rows.length / k : 0;
    for (let j = 0; j < k; j++) this.counts[owner[j]]++;
    const parts: Float32Array[] = [];
    for (let start = 0; start < k; start += this.batchSize) {
      const size = Math.min(this.batchSize, k - start);
      const xb = tf.tensor(rows.subarray(start * d, (start + size) * d), [size, ...this.inner]);
      const p = await this.fn(xb);
      this.classes = p.shape[1];
      parts.push((await p.data()) as Float32Array);
      tf.dispose([xb, p]);
    }
    if (parts.length === 1) return parts[0];
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Top-1 labels of `k` flattened images (a decision-based attacker's only view). */
  async labels(rows: Float32Array, owner: ArrayLike<number>): Promise<Int32Array> {
    const p = await this.probabilities(rows, owner);
    const c = this.classes;
    const out = new Int32Array(owner.length);
    for (let j = 0; j < owner.length; j++) {
      let best = 0;
      for (let q = 1; q < c; q++) if (p[j * c + q] > p[j * c + best]) best = q;
      out[j] = best;
    }
    return out;
  }
}
