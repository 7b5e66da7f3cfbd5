/** Accuracy, confusion matrix and per-class accuracy of a softmax classifier. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchesOf, range, type Dataset } from '../data/dataset.js';
import { imageDataset, type ImageSet } from '../data/images.js';
import { argmaxRows } from '../argmax.js';
import { checkCount, checkImageSet, modelInputShape } from '../validate.js';

/** Result of {@link evaluateClassifier}. */
export interface ClassifierEvaluation {
  /** Samples evaluated. */
  readonly count: number;
  /** Share of samples whose most probable class is the true one. */
  readonly accuracy: number;
  /** `confusion[true][predicted]` = number of samples. */
  readonly confusion: number[][];
  /** Accuracy within each true class (NaN for classes without samples). */
  readonly perClassAccuracy: number[];
  /** Predicted class of each sample, in dataset order. */
  readonly predicted: Int32Array;
  /** True class of each sample. */
  readonly labels: Int32Array;
}

/** `confusion[true][predicted]` counts. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

/** Model outputs for every sample of `dataset`, row-major `[size × outputs]`, computed in batches. */
export async function predictDataset(model: tfl.LayersModel, dataset: Dataset, batchSize = 256): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (const idx of batchesOf(range(dataset.size), batchSize)) {
    const { xs, ys } = dataset.batch(idx);
    const out = tf.tidy(() => model.predict(xs) as tf.Tensor);
    parts.push(Float32Array.from(await out.data()));
    tf.dispose([xs, ys, out]);
  }
  return concat(parts);
}

function concat(parts: Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

/** Targets of every sample of `dataset`, row-major. */
export async function datasetTargets(dataset: Dataset, batchSize = 1024): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (const idx of batchesOf(range(dataset.size), batchSize)) {
    const { xs, ys } = dataset.batch(idx);
    parts.push(Float32Array.from(await ys.data()));
    tf.dispose([xs, ys]);
  }
  return concat(parts);
}

/**
 * Evaluates a softmax classifier on labelled images or on a dataset with one-hot targets.
 * @param batchSize samples per forward pass (default 256).
 */
export async function evaluateClassifier(
  model: tfl.LayersModel,
  data: ImageSet | Dataset,
  batchSize = 256,
): Promise<ClassifierEvaluation> {
  if ('images' in data) checkImageSet('evaluateClassifier', 'data', data, modelInputShape(model));
  else checkCount('evaluateClassifier', 'data.size', data.size);
  checkCount('evaluateClassifier', 'batchSize', batchSize);
  const dataset = 'images' in data ? imageDataset(data) : data;
  const probs = await predictDataset(model, dataset, batchSize);
  const classes = probs.length / Math.max(1, dataset.size);
  const labels =
    'images' in data
      ? Int32Array.from(data.labels.subarray(0, data.count))
      : argmaxRows(await datasetTargets(dataset), classes);
  const predicted = argmaxRows(probs, classes);
  const confusion = confusionMatrix(labels, predicted, classes);
  let correct = 0;
  for (let c = 0; c < classes; c++) correct += confusion[c][c];
  return {
    count: dataset.size,
    accuracy: correct / Math.max(1, dataset.size),
    confusion,
    perClassAccuracy: confusion.map((row, c) => row[c] / row.reduce((a, b) => a + b, 0)),
    predicted,
    labels,
  };
}

/** Accuracy of a sigmoid binary classifier (output `[n, 1]`, threshold 0.5) on a dataset with 0/1 targets. */
export async function evaluateBinaryClassifier(
  model: tfl.LayersModel,
  dataset: Dataset,
  batchSize = 256,
): Promise<{ accuracy: number; confusion: number[][] }> {
  const probs = await predictDataset(model, dataset, batchSize);
  const targets = await datasetTargets(dataset);
  const predicted = Int32Array.from(probs, (p) => (p >= 0.5 ? 1 : 0));
  const labels = Int32Array.from(targets, (t) => (t >= 0.5 ? 1 : 0));
  const confusion = confusionMatrix(labels, predicted, 2);
  return { accuracy: (confusion[0][0] + confusion[1][1]) / Math.max(1, labels.length), confusion };
}
