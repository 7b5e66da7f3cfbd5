import * as tf from '@tensorflow/tfjs-core';
import type { Labels } from './types.js';

/** Reads labels into an Int32Array (awaits tensor data; never disposes the caller's tensor). */
export async function labelArray(labels: Labels): Promise<Int32Array> {
  if (labels instanceof tf.Tensor) return Int32Array.from(await labels.data());
  return Int32Array.from(labels);
}

/** 1 where the prediction counts as a success: `≠ label` untargeted, `= target` targeted. */
export function successMask(pred: Int32Array, labels: Int32Array, target: Int32Array | undefined): Uint8Array {
  const out = new Uint8Array(pred.length);
  for (let i = 0; i < pred.length; i++) out[i] = (target ? pred[i] === target[i] : pred[i] !== labels[i]) ? 1 : 0;
  return out;
}
