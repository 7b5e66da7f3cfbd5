/** Loss and compiled metrics of a model over a dataset, in batches. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchesOf, range, type Dataset } from '../data/dataset.js';
import type { Logs } from './callbacks.js';

/** Sample-weighted mean of the compiled loss and metrics over `dataset` (names as in `model.metricsNames`). */
export async function evaluateLoss(model: tfl.LayersModel, dataset: Dataset, batchSize = 256): Promise<Logs> {
  const names = model.metricsNames;
  const sums = new Array<number>(names.length).fill(0);
  for (const idx of batchesOf(range(dataset.size), batchSize)) {
    const { xs, ys } = dataset.batch(idx);
    const out = model.evaluate(xs, ys, { batchSize: idx.length });
    const scalars = Array.isArray(out) ? out : [out];
    const values = await Promise.all(scalars.map((s) => s.data()));
    values.forEach((v, i) => (sums[i] += v[0] * idx.length));
    tf.dispose([xs, ys, ...scalars]);
  }
  const logs: Logs = {};
  names.forEach((n, i) => (logs[n] = sums[i] / Math.max(1, dataset.size)));
  return logs;
}
