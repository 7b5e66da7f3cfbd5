import * as tf from '@tensorflow/tfjs-core';

/** Which per-example loss gradient attacks ascend. */
export type AttackLoss = 'ce' | 'margin';

/** Per-example cross-entropy of logits `[N, C]` against int32 labels `[N]` → `[N]`. */
function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(
    () => tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D,
  );
}

/** Per-example logit margin `z[label] − max_{j≠label} z[j]` → `[N]` (negative = misclassified). */
export function logitMargin(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const mask = tf.oneHot(labels, logits.shape[1]);
    const own = tf.sum(tf.mul(mask, logits), 1);
    // Push the own class far down so max() picks the best other class.
    const other = tf.max(tf.sub(logits, tf.mul(mask, 1e9)), 1);
    return tf.sub(own, other);
  });
}

/**
 * The per-example quantity an attack maximises `[N]`: untargeted it grows as the true class loses
 * (CE of the label, or minus its margin); targeted it grows as the target wins (minus the CE of
 * the target, or the target's margin).
 */
export function attackObjective(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  targeted: boolean,
  loss: AttackLoss,
): tf.Tensor1D {
  return tf.tidy(() => {
    const v = loss === 'ce' ? crossEntropy(logits, labels) : logitMargin(logits, labels);
    return (targeted === (loss === 'ce') ? tf.neg(v) : v) as tf.Tensor1D;
  });
}
