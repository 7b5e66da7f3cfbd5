/**
 * Adam whose update is computed from gradients rescaled to a global L2 norm of at most `clipNorm`
 * (Keras' `global_clipnorm`; tfjs optimizers have no clipping). Long recurrences — an LSTM over
 * hundreds of characters — produce rare gradient spikes that plain Adam turns into loss jumps.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Adam with global-norm gradient clipping (β1 0.9, β2 0.999, ε 1e-7 as tf.train.adam). */
export class ClippedAdamOptimizer extends tf.AdamOptimizer {
  /** @param clipNorm largest global L2 norm of one update's gradients. */
  constructor(
    learningRate: number,
    readonly clipNorm: number,
  ) {
    super(learningRate, 0.9, 0.999, 1e-7);
  }

  /** Rescales the gradients to a global norm of at most `clipNorm`, then applies Adam. */
  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const named: { name: string; tensor: tf.Tensor }[] = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const norm = Math.sqrt(tf.tidy(() => tf.addN(named.map((g) => tf.sum(tf.square(g.tensor)))).dataSync()[0]));
    if (!(norm > this.clipNorm)) {
      super.applyGradients(named);
      return;
    }
    const scaled = named.map((g) => ({ name: g.name, tensor: tf.mul(g.tensor, this.clipNorm / norm) }));
    try {
      super.applyGradients(scaled);
    } finally {
      tf.dispose(scaled.map((g) => g.tensor));
    }
  }
}
