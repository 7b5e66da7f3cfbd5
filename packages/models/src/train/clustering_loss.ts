/** The clustering term of InfoGAN codes on real images (see `GanTrainerOptions.codeBalance`). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean entropy of each row's softmax over `logits` [N, K] minus the entropy of their mean
 * (CatGAN, Springenberg, 2016): lowest (−ln K) when every row is confident and the batch uses all
 * K columns equally; 0 when rows are uniform, or all confident in the same column.
 */
export function clusteringLoss(logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.softmax(logits);
    const conditional = tf.neg(tf.mean(tf.sum(tf.mul(p, tf.logSoftmax(logits)), 1)));
    const marginal = tf.mean(p, 0);
    const marginalEntropy = tf.neg(tf.sum(tf.mul(marginal, tf.log(tf.add(marginal, 1e-8)))));
    return tf.sub(conditional, marginalEntropy) as tf.Scalar;
  });
}
