import type * as tf from '@tensorflow/tfjs-core';
import { checkLabels, checkTensorAsync } from '../validate.js';
import { labelArray, successMask } from './labels.js';
import { toLogitsFn, type BlackBoxModel, type WhiteBoxModel } from './model.js';
import { QueryCounter } from './queries.js';
import type { AttackResult, Labels, LogitsFn } from './types.js';

/** A white-box attack bound to its options, ready to run on a surrogate. */
export type CraftFn = (surrogate: LogitsFn, x: tf.Tensor, labels: Labels) => Promise<AttackResult>;

/** What {@link transferAttack} returns: `success` and `queries` are measured on the target. */
export interface TransferResult extends AttackResult {
  /** Success on the surrogate the examples were crafted on. */
  surrogateSuccess: Uint8Array;
}

/**
 * Transfer attack: craft adversarial examples with a white-box attack on a surrogate model, then
 * measure them on the black-box target with one query per example. Pass the same `target` labels
 * to `craft` and here for a targeted transfer.
 *
 * @example
 *   await transferAttack(surrogate, knn.predict, x, y, (m, xs, ys) => pgd(m, xs, ys, { eps: 0.3 }))
 */
export async function transferAttack(
  surrogate: WhiteBoxModel,
  target: BlackBoxModel,
  x: tf.Tensor,
  labels: Labels,
  craft: CraftFn,
  options: { target?: Labels; batchSize?: number } = {},
): Promise<TransferResult> {
  await checkTensorAsync('transferAttack', 'x', x, { minRank: 2 });
  await checkLabels('transferAttack', 'labels', labels, x.shape[0]);
  if (options.target !== undefined) await checkLabels('transferAttack', 'target', options.target, x.shape[0]);
  const crafted = await craft(toLogitsFn(surrogate), x, labels);
  const n = x.shape[0];
  const oracle = new QueryCounter(target, n, x.shape.slice(1), options.batchSize ?? 256);
  const pred = await oracle.labels(
    (await crafted.adversarial.data()) as Float32Array,
    Int32Array.from({ length: n }, (_, i) => i),
  );
  const y = await labelArray(labels);
  const t = options.target === undefined ? undefined : await labelArray(options.target);
  return {
    adversarial: crafted.adversarial,
    success: successMask(pred, y, t),
    queries: oracle.counts,
    surrogateSuccess: crafted.success,
  };
}
