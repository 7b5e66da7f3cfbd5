// Shared fixtures of the adversarial tests: real MNIST digits and small models trained in seconds.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { imagesToTensor } from '../src/index.js';
import { mnistOnce } from './helpers.js';

/** `count` MNIST digits from `start` (the models package's loader), as [N,28,28,1] in [0,1] and int labels. */
export async function mnist(
  split: 'train' | 'test',
  start: number,
  count: number,
): Promise<{ x: tf.Tensor4D; y: Int32Array }> {
  const set = (await mnistOnce())[split];
  const idx = Int32Array.from({ length: count }, (_, i) => start + i);
  return { x: imagesToTensor(set, idx), y: Int32Array.from(idx, (i) => set.labels[i]) };
}

/** A seeded dense classifier 784 → hidden → 10 (softmax head), trained with Adam. */
export async function trainMlp(
  x: tf.Tensor4D,
  y: Int32Array,
  hidden: number,
  epochs: number,
  seed = 1,
): Promise<tfl.LayersModel> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({
        units: hidden,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      }),
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
