import * as tf from '@tensorflow/tfjs-core';
import { attackObjective } from './objective.js';
import { toLogitsFn, type WhiteBoxModel } from './model.js';
import { ascentDirection, projectFeasible } from './norms.js';
import { Rng } from '../random.js';
import { randomInBall } from './random.js';
import type { Norm } from './types.js';

/** How training batches are made adversarial. */
export interface AdversarialTrainingConfig {
  /**
   * 'fgsm-rs': "fast" adversarial training (Wong, Rice & Kolter 2020) — one FGSM step of size
   * α = 1.25ε from a uniform random start. 'pgd': Madry et al. (2018) — `steps` PGD steps from a
   * random start.
   */
  method: 'fgsm-rs' | 'pgd';
  /** Budget, or a schedule of the budget by batch number (from 0) — see {@link linearRamp}. */
  eps: number | ((batch: number) => number);
  /** Default 'linf'. */
  norm?: Norm;
  /** PGD steps. Default 10 (ignored by 'fgsm-rs'). */
  steps?: number;
  /** Step size as a multiple of ε. Default 1.25 ('fgsm-rs') or 2.5/steps ('pgd'). */
  stepRatio?: number;
  /**
   * Clip the random start to the valid range before the first gradient. Default: false for
   * 'fgsm-rs' — as in Wong et al.'s code, the gradient is taken at the unclipped start, so on MNIST's
   * black background the start moves both ways (clipping would cancel half the noise, and weaker
   * noise is what lets FGSM training collapse) — and true for 'pgd' (Madry et al.). The result is
   * always clipped.
   */
  clipStart?: boolean;
  /** Share of each batch replaced by its adversarial version (the rest stays clean). Default 1. */
  ratio?: number;
  /** Seed of the random starts. Default 0. */
  seed?: number;
  /** Smallest valid input value. Default 0. */
  clipMin?: number;
  /** Largest valid input value. Default 1. */
  clipMax?: number;
}

/** A budget growing linearly from 0 to `eps` over `rampBatches` batches, then constant. */
export function linearRamp(eps: number, rampBatches: number): (batch: number) => number {
  return (batch) => (rampBatches <= 0 ? eps : eps * Math.min(1, (batch + 1) / rampBatches));
}

/** Int32 class indices of targets given as indices `[N]` or one-hot rows `[N, C]`. */
function classIndices(ys: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => (ys.rank === 1 ? tf.cast(ys, 'int32') : tf.cast(tf.argMax(ys, 1), 'int32')) as tf.Tensor1D);
}

/**
 * The adversarial version of one training batch, computed synchronously (tfjs ops only, so it can
 * run inside a dataset's `batch()`). Untargeted, against the batch's true labels `ys` (indices or
 * one-hot). The model is attacked in inference mode (no dropout; BatchNorm with moving statistics).
 * `batch` numbers the batch: it feeds an ε schedule and the seed of the random start.
 */
export function adversarialBatch(
  model: WhiteBoxModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  config: AdversarialTrainingConfig,
  batch = 0,
): tf.Tensor {
  const f = toLogitsFn(model);
  const eps = typeof config.eps === 'number' ? config.eps : config.eps(batch);
  const norm = config.norm ?? 'linf';
  const steps = config.method === 'fgsm-rs' ? 1 : (config.steps ?? 10);
  const alpha = eps * (config.stepRatio ?? (config.method === 'fgsm-rs' ? 1.25 : 2.5 / steps));
  const lo = config.clipMin ?? 0,
    hi = config.clipMax ?? 1;
  const n = xs.shape[0];
  const d = xs.size / Math.max(n, 1);
  const k = Math.round((config.ratio ?? 1) * n);
  if (k === 0 || eps <= 0) return tf.clone(xs);
  // Random starts depend on (seed, batch number) only, so runs reproduce whatever else draws numbers.
  const noise = randomInBall(new Rng((config.seed ?? 0) * 1_000_003 + batch), k, d, norm, eps);
  return tf.tidy(() => {
    const labels = classIndices(tf.slice(ys, 0, k));
    const x0 = tf.reshape(tf.slice(xs, 0, k), [k, d]) as tf.Tensor2D;
    const grad = tf.grad((v: tf.Tensor) =>
      tf.sum(attackObjective(f(tf.reshape(v, [k, ...xs.shape.slice(1)])), labels, false, 'ce')),
    );
    const start = tf.add(x0, tf.tensor2d(noise, [k, d])) as tf.Tensor2D;
    let xa = (config.clipStart ?? config.method === 'pgd') ? (tf.clipByValue(start, lo, hi) as tf.Tensor2D) : start;
    for (let s = 0; s < steps; s++) {
      const prev = xa;
      xa = tf.tidy(() =>
        projectFeasible(
          tf.add(prev, tf.mul(ascentDirection(grad(prev) as tf.Tensor2D, norm), alpha)) as tf.Tensor2D,
          x0,
          norm,
          eps,
          lo,
          hi,
        ),
      );
      prev.dispose();
    }
    const adv = tf.reshape(xa, [k, ...xs.shape.slice(1)]);
    return k === n ? adv : tf.concat([adv, tf.slice(xs, k, n - k)]);
  });
}

/** What the models package's trainer consumes: samples by index, built into tensors per batch. */
export interface BatchSource {
  /** Number of samples. */
  readonly size: number;
  /** Builds the inputs `xs` and targets `ys` (class indices or one-hot rows) of the samples at `indices`. */
  batch(indices: ArrayLike<number>): TrainingBatch;
}

/** Inputs and targets of one batch; whoever asked for it disposes both. */
export interface TrainingBatch {
  /** Model inputs, first dimension = batch size. */
  readonly xs: tf.Tensor;
  /** Targets: class indices `[n]` or one-hot rows `[n, classes]`. */
  readonly ys: tf.Tensor;
}

/**
 * The adversarial-training hook: wraps a training dataset so every batch the trainer asks for is
 * attacked against the model's current weights first. Pass the result to the models package's
 * `trainModel` in place of the clean dataset (or as `validation`, to monitor robust accuracy).
 *
 * @example
 *   await trainModel(model, adversarialDataset(train, model, { method: 'fgsm-rs', eps: linearRamp(0.3, 2000) }), { epochs: 10 })
 */
export function adversarialDataset(
  dataset: BatchSource,
  model: WhiteBoxModel,
  config: AdversarialTrainingConfig,
): BatchSource {
  const f = toLogitsFn(model);
  let count = 0;
  return {
    size: dataset.size,
    batch: (indices) => {
      const { xs, ys } = dataset.batch(indices);
      const adv = adversarialBatch(f, xs, ys, config, count++);
      xs.dispose();
      return { xs: adv, ys };
    },
  };
}
