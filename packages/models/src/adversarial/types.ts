import type * as tf from '@tensorflow/tfjs-core';

/**
 * A differentiable classifier seen by white-box attacks: inputs `[N, ...]` → logits `[N, classes]`.
 * Must be built from tfjs ops so `tf.grad` can differentiate it on any backend.
 * Use {@link logitsOf} to get one from a `tf.LayersModel` with a softmax head.
 */
export type LogitsFn = (x: tf.Tensor) => tf.Tensor2D;

/**
 * Any classifier seen by black-box attacks: inputs `[N, ...]` → class probabilities `[N, classes]`.
 * It need not be differentiable or even neural (see {@link KNearestNeighbours}); it may be async.
 * The caller of an attack keeps ownership of the input; the returned tensor is disposed by the attack.
 */
export type ProbabilityFn = (x: tf.Tensor) => tf.Tensor2D | Promise<tf.Tensor2D>;

/** Class labels, one per example: an int32 `Tensor1D` or plain numbers. */
export type Labels = tf.Tensor1D | ArrayLike<number>;

/** The norm that bounds (or measures) a perturbation. */
export type Norm = 'linf' | 'l2';

/** Options every attack takes. */
export interface AttackBaseOptions {
  /** Labels to reach (targeted attack). Omitted → untargeted (leave the true label). */
  target?: Labels;
  /** Seed of the attack's random numbers (random starts, sampling). Default 0. */
  seed?: number;
  /** Smallest valid input value. Default 0. */
  clipMin?: number;
  /** Largest valid input value. Default 1. */
  clipMax?: number;
}

/** What every attack returns. */
export interface AttackResult {
  /** Adversarial examples, same shape as the input, inside [clipMin, clipMax]. The caller disposes it. */
  adversarial: tf.Tensor;
  /**
   * Per example: 1 if the attacked classifier now leaves the true label (untargeted) or predicts the
   * target (targeted), else 0. Examples that were already misclassified count as successes when untargeted.
   */
  success: Uint8Array;
  /** Per example: classifier calls spent on it, each image in a batch counting once (black-box attacks). */
  queries?: Int32Array;
}
