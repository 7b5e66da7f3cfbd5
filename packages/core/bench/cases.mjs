// The benchmark cases of issue 4. Each case makes its inputs on the current backend (`setup`),
// then `run(inputs)` does the work and returns a tensor (or a promise of numbers) whose values the
// timer reads back, so every timing includes finishing the work and a readback.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { recurrentCases } from './recurrent.mjs';

const conv = (n, h, w, c, k, oc) => 2 * n * h * w * k * k * c * oc;

/** MNIST CNN of the issue: conv 32 3×3, conv 64 3×3, max-pool 2×2, dense 128, dense 10. */
function mnistCnn() {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

// Forward flops of the CNN at batch 64; a training step is forward + both gradients of every
// layer except the first convolution's input gradient.
const cnnForward = [conv(64, 26, 26, 1, 3, 32), conv(64, 24, 24, 32, 3, 64), 2 * 64 * 9216 * 128, 2 * 64 * 128 * 10];
const cnnStepFlops = 3 * cnnForward.reduce((a, b) => a + b) - cnnForward[0];

/**
 * @typedef {object} BenchCase
 * @property {string} name
 * @property {number} [flops] floating-point operations per run (GFLOP/s and % of peak use it)
 * @property {number} [bytes] least bytes a run must read and write, for memory-bound cases (GB/s)
 * @property {() => unknown} setup
 * @property {(inputs: any) => tf.Tensor | Promise<unknown>} run
 * @property {(inputs: any) => void} [teardown]
 */

/** @type {BenchCase[]} */
export const cases = [
  {
    name: 'matmul 512³',
    flops: 2 * 512 ** 3,
    setup: () => [tf.randomUniform([512, 512], -1, 1), tf.randomUniform([512, 512], -1, 1)],
    run: ([a, b]) => tf.matMul(a, b),
  },
  {
    name: 'matmul 1024³',
    flops: 2 * 1024 ** 3,
    setup: () => [tf.randomUniform([1024, 1024], -1, 1), tf.randomUniform([1024, 1024], -1, 1)],
    run: ([a, b]) => tf.matMul(a, b),
  },
  {
    name: 'conv2d 3×3 [64,28,28,32]→64',
    flops: conv(64, 28, 28, 32, 3, 64),
    setup: () => [tf.randomUniform([64, 28, 28, 32], -1, 1), tf.randomUniform([3, 3, 32, 64], -1, 1)],
    run: ([x, w]) => tf.conv2d(x, w, 1, 'same'),
  },
  {
    name: 'conv2d 1×1 [16,28,28,128]→128',
    flops: conv(16, 28, 28, 128, 1, 128),
    setup: () => [tf.randomUniform([16, 28, 28, 128], -1, 1), tf.randomUniform([1, 1, 128, 128], -1, 1)],
    run: ([x, w]) => tf.conv2d(x, w, 1, 'same'),
  },
  {
    name: 'depthwise 3×3 [8,56,56,96]',
    flops: 2 * 8 * 56 * 56 * 96 * 9,
    setup: () => [tf.randomUniform([8, 56, 56, 96], -1, 1), tf.randomUniform([3, 3, 96, 1], -1, 1)],
    run: ([x, w]) => tf.depthwiseConv2d(x, w, 1, 'same'),
  },
  {
    name: 'batchNorm [64,28,28,32]',
    bytes: 2 * 4 * 64 * 28 * 28 * 32,
    setup: () => [tf.randomUniform([64, 28, 28, 32]), ...[0, 1, 2, 3].map(() => tf.randomUniform([32], 0.5, 1.5))],
    run: ([x, mean, variance, offset, scale]) => tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
  },
  {
    name: 'maxPool 2×2 [64,28,28,32]',
    bytes: 4 * 64 * 28 * 28 * 32 * 1.25,
    setup: () => [tf.randomUniform([64, 28, 28, 32])],
    run: ([x]) => tf.maxPool(x, 2, 2, 'valid'),
  },
  {
    name: 'add+relu 4M floats',
    bytes: 3 * 4 * 4 * 2 ** 20,
    setup: () => [tf.randomUniform([4 * 2 ** 20], -1, 1), tf.randomUniform([4 * 2 ** 20], -1, 1)],
    run: ([a, b]) => tf.tidy(() => tf.relu(tf.add(a, b))),
  },
  {
    name: 'softmax [256,1000]',
    bytes: 2 * 4 * 256 * 1000,
    setup: () => [tf.randomUniform([256, 1000], -4, 4)],
    run: ([x]) => tf.softmax(x),
  },
  {
    name: 'MNIST CNN train step (batch 64)',
    flops: cnnStepFlops,
    setup: () => ({
      model: mnistCnn(),
      x: tf.randomUniform([64, 28, 28, 1]),
      y: tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10).asType('float32'),
    }),
    // trainOnBatch resolves with the loss: the step's readback.
    run: ({ model, x, y }) => model.trainOnBatch(x, y),
    teardown: ({ model, x, y }) => {
      model.dispose();
      tf.dispose([x, y]);
    },
  },
  ...recurrentCases,
];
