// The convolution kernels split output pixels, rows or filter tiles across threads, and every output
// value is computed the same way whatever the split: results are bit-identical on 1, 2 and 3 threads.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '../src/index.js';
import { lanes, randomFloats } from './helpers.js';

type Shape4 = [number, number, number, number];

function everything(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomFloats(4 * 19 * 17 * 12, 1), [4, 19, 17, 12]);
    const w = tf.tensor4d(randomFloats(3 * 3 * 12 * 20, 2), [3, 3, 12, 20]);
    const dwf = tf.tensor4d(randomFloats(3 * 3 * 12 * 2, 3), [3, 3, 12, 2]);
    const b = tf.tensor1d(randomFloats(20, 4));
    const conv = (a: tf.Tensor4D, f: tf.Tensor4D): tf.Scalar => {
      const y = tf.fused.conv2d({ x: a, filter: f, strides: [2, 1], pad: 'same', bias: b, activation: 'elu' });
      const d = tf.depthwiseConv2d(a, dwf, 1, 'same');
      return tf.add(tf.sum(tf.mul(y, y)), tf.sum(tf.mul(d, d)));
    };
    const [gx, gw] = tf.grads(conv as (...t: tf.Tensor[]) => tf.Tensor)([x, w]);
    const dwGrad = tf
      .engine()
      .runKernel(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy: tf.depthwiseConv2d(x, dwf, 2, 'same') },
        { filterShape: [3, 3, 12, 2] as Shape4, strides: 2, dilations: 1, pad: 'same' },
      ) as tf.Tensor;
    const big = tf.conv2d(
      tf.tensor4d(randomFloats(2 * 30 * 30 * 16, 5), [2, 30, 30, 16]),
      tf.tensor4d(randomFloats(3 * 3 * 16 * 24, 6), [3, 3, 16, 24]),
      1,
      'same',
    );
    return [gx, gw, dwGrad, big].map((t) => t.dataSync() as Float32Array);
  });
}

describe('convolution kernels on 1, 2 and 3 threads', () => {
  beforeAll(lanes);
  afterAll(async () => {
    await setThreadsCount(2);
  });
  it('give bit-identical forward results and gradients', async () => {
    await setThreadsCount(1);
    const one = everything();
    for (const n of [2, 3]) {
      expect(await setThreadsCount(n)).toBe(n);
      const many = everything();
      many.forEach((a, i) => expect(Array.from(a), `output ${i}, ${n} threads`).toEqual(Array.from(one[i])));
    }
  });
});
