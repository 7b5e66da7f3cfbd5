import * as tf from '@tensorflow/tfjs-core';
import { checkFeatures, checkLabels, checkTensorAsync } from '../validate.js';
import { labelArray } from './labels.js';
import { Rng } from '../random.js';
import type { Labels, LogitsFn, ProbabilityFn } from './types.js';

/** Options of {@link LogisticRegression.train}. */
export interface LogisticRegressionOptions {
  /** Passes over the data. Default 5. */
  epochs?: number;
  /** SGD learning rate. Default 0.1. */
  learningRate?: number;
  /** Examples per SGD step. Default 32. */
  batchSize?: number;
  /** L2 weight decay. Default 1e-4. */
  l2?: number;
  /** Seed of the shuffling. Default 0. */
  seed?: number;
}

/**
 * Multinomial logistic regression (softmax regression), trained by plain-TypeScript SGD.
 * A non-neural MNIST baseline (≈ 92 % test accuracy on the full set) that both attack families
 * can target: `predict` for black-box attacks, `logits` (tfjs ops, differentiable) for white-box.
 */
export class LogisticRegression {
  /** Weights, row-major `[features, classes]`. */
  readonly weights: Float32Array;
  /** Biases `[classes]`. */
  readonly bias: Float32Array;
  private cache?: { w: tf.Tensor2D; b: tf.Tensor1D };

  /** Number of input features (784 for MNIST). */
  readonly features: number;
  /** Number of classes. */
  readonly classes: number;

  /** An untrained (all-zero) model. */
  constructor(features: number, classes: number) {
    this.features = features;
    this.classes = classes;
    this.weights = new Float32Array(features * classes);
    this.bias = new Float32Array(classes);
  }

  /** Trains a model on `x` (`[N, ...]`, flattened per example) and integer labels. */
  static async train(
    x: tf.Tensor,
    labels: Labels,
    classes = 10,
    options: LogisticRegressionOptions = {},
  ): Promise<LogisticRegression> {
    await checkTensorAsync('LogisticRegression.train', 'x', x, { minRank: 2 });
    await checkLabels('LogisticRegression.train', 'labels', labels, x.shape[0], classes);
    const n = x.shape[0];
    const d = x.size / Math.max(n, 1);
    const model = new LogisticRegression(d, classes);
    model.fit((await x.data()) as Float32Array, await labelArray(labels), options);
    return model;
  }

  /** Runs SGD on flattened examples `x` (`[N·features]`) in place. */
  fit(x: Float32Array, y: Int32Array, options: LogisticRegressionOptions = {}): void {
    const d = this.features,
      c = this.classes,
      n = y.length;
    const lr = options.learningRate ?? 0.1,
      bs = options.batchSize ?? 32,
      decay = options.l2 ?? 1e-4;
    const rng = new Rng(options.seed ?? 0);
    const gw = new Float32Array(d * c),
      gb = new Float32Array(c),
      z = new Float64Array(c);
    for (let epoch = 0; epoch < (options.epochs ?? 5); epoch++) {
      const order = rng.permutation(n);
      for (let start = 0; start < n; start += bs) {
        const end = Math.min(n, start + bs);
        gw.fill(0);
        gb.fill(0);
        for (let s = start; s < end; s++) {
          const i = order[s],
            off = i * d;
          this.scores(x, off, z);
          z[y[i]] -= 1; // softmax − one-hot: the cross-entropy gradient w.r.t. the logits
          for (let p = 0; p < d; p++) {
            const v = x[off + p];
            if (v === 0) continue; // MNIST is mostly background
            for (let k = 0; k < c; k++) gw[p * c + k] += v * z[k];
          }
          for (let k = 0; k < c; k++) gb[k] += z[k];
        }
        const scale = lr / (end - start);
        for (let q = 0; q < d * c; q++) this.weights[q] -= scale * gw[q] + lr * decay * this.weights[q];
        for (let k = 0; k < c; k++) this.bias[k] -= scale * gb[k];
      }
    }
    this.dispose();
  }

  /** Softmax probabilities of the example at `off` into `out`. */
  private scores(x: Float32Array, off: number, out: Float64Array): void {
    const d = this.features,
      c = this.classes;
    for (let k = 0; k < c; k++) out[k] = this.bias[k];
    for (let p = 0; p < d; p++) {
      const v = x[off + p];
      if (v === 0) continue;
      for (let k = 0; k < c; k++) out[k] += v * this.weights[p * c + k];
    }
    let m = -Infinity,
      s = 0;
    for (let k = 0; k < c; k++) m = Math.max(m, out[k]);
    for (let k = 0; k < c; k++) s += out[k] = Math.exp(out[k] - m);
    for (let k = 0; k < c; k++) out[k] /= s;
  }

  private tensors(): { w: tf.Tensor2D; b: tf.Tensor1D } {
    this.cache ??= {
      w: tf.keep(tf.tensor2d(this.weights, [this.features, this.classes])),
      b: tf.keep(tf.tensor1d(this.bias)),
    };
    return this.cache;
  }

  /** Logits `[N, classes]` as tfjs ops (differentiable: white-box attacks can use it). */
  readonly logits: LogitsFn = (x) =>
    tf.tidy(() => {
      checkFeatures('LogisticRegression', 'x', x, this.features);
      const { w, b } = this.tensors();
      return tf.add(tf.matMul(tf.reshape(x, [x.shape[0], this.features]), w), b);
    });

  /** Class probabilities `[N, classes]` (black-box view). */
  readonly predict: ProbabilityFn = (x) => tf.tidy(() => tf.softmax(this.logits(x)));

  /** Frees the cached weight tensors (they are rebuilt on the next call). */
  dispose(): void {
    if (this.cache) tf.dispose([this.cache.w, this.cache.b]);
    this.cache = undefined;
  }
}
