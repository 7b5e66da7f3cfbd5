import * as tf from '@tensorflow/tfjs-core';
import type { Labels } from './types.js';

/** Reads labels into an Int32Array (awaits tensor data; never disposes the caller's tensor). */
export async function labelArray(labels: Labels): Promise<Int32Array> {
  if (labels instanceof tf.Tensor) return Int32Array.from(await labels.data());
  return Int32Array.from(labels);
}

/** Row-wise argmax of a `[N, C]` array of scores. */
export function argmaxRows(scores: Float32Array | Int32Array, classes: number): Int32Array {
  const n = scores.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c] > scores[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** 1 where the prediction counts as a success: `≠ label` untargeted, `= target` targeted. */
export function successMask(pred: Int32Array, labels: Int32Array, target: Int32Array | undefined): Uint8Array {
  const out = new Uint8Array(pred.length);
  for (let i = 0; i < pred.length; i++) out[i] = (target ? pred[i] === target[i] : pred[i] !== labels[i]) ? 1 : 0;
  return out;
}
