import * as tf from '@tensorflow/tfjs-core';
import { checkFeatures, checkLabels, checkTensorAsync } from '../validate.js';
import { labelArray } from './labels.js';
import type { Labels, ProbabilityFn } from './types.js';

/** Options of {@link KNearestNeighbours}. */
export interface KnnOptions {
  /** Neighbours that vote. Default 10. */
  k?: number;
  /** Number of classes. Default 10. */
  classes?: number;
}

/**
 * k-nearest-neighbour classifier (Euclidean), a non-differentiable MNIST baseline for black-box
 * attacks. Probabilities are inverse-distance-weighted votes of the k nearest training examples,
 * so they move continuously with the input and score-based attacks get a signal. Distances use
 * tfjs matMul (‖a‖² − 2a·b + ‖b‖²), on whatever backend is active.
 */
export class KNearestNeighbours {
  private readonly train: tf.Tensor2D;
  private readonly trainSq: tf.Tensor2D;
  private readonly k: number;
  private readonly classes: number;

  private constructor(
    train: tf.Tensor2D,
    private readonly labels: Int32Array,
    options: KnnOptions,
  ) {
    this.train = train;
    this.trainSq = tf.keep(tf.transpose(tf.sum(tf.square(train), 1, true)) as tf.Tensor2D);
    this.k = Math.min(options.k ?? 10, labels.length);
    this.classes = options.classes ?? 10;
  }

  /** Memorises training examples `x` (`[M, ...]`, copied) and their labels. */
  static async fit(x: tf.Tensor, labels: Labels, options: KnnOptions = {}): Promise<KNearestNeighbours> {
    await checkTensorAsync('KNearestNeighbours.fit', 'x', x, { minRank: 2 });
    await checkLabels('KNearestNeighbours.fit', 'labels', labels, x.shape[0], options.classes ?? 10);
    const m = x.shape[0];
    const train = tf.keep(tf.reshape(tf.clone(x), [m, x.size / Math.max(m, 1)]) as tf.Tensor2D);
    return new KNearestNeighbours(train, await labelArray(labels), options);
  }

  /** Class probabilities `[N, classes]` of `x` (`[N, ...]`). */
  readonly predict: ProbabilityFn = async (x) => {
    checkFeatures('KNearestNeighbours', 'x', x, this.train.shape[1]);
    const n = x.shape[0];
    const [dist, idx] = tf.tidy(() => {
      const q = tf.reshape(x, [n, this.train.shape[1]]) as tf.Tensor2D;
      const d2 = tf.add(
        tf.sub(tf.sum(tf.square(q), 1, true), tf.mul(tf.matMul(q, this.train, false, true), 2)),
        this.trainSq,
      );
      const { values, indices } = tf.topk(tf.neg(d2), this.k);
      return [tf.sqrt(tf.relu(tf.neg(values))), indices];
    });
    const dv = await dist.data(),
      iv = await idx.data();
    tf.dispose([dist, idx]);
    const out = new Float32Array(n * this.classes);
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let j = 0; j < this.k; j++) {
        const w = 1 / (dv[i * this.k + j] + 1e-3);
        out[i * this.classes + this.labels[iv[i * this.k + j]]] += w;
        total += w;
      }
      for (let c = 0; c < this.classes; c++) out[i * this.classes + c] /= total;
    }
    return tf.tensor2d(out, [n, this.classes]);
  };

  /** Frees the memorised training tensors. */
  dispose(): void {
    tf.dispose([this.train, this.trainSq]);
  }
}
