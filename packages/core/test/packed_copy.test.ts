// Filters packed once and kept with their tensors (LanesBackend.packedCopy): the second call reuses
// the copy and gives the same bits, a new tensor (a variable's assign, an optimizer step) gets its
// own copy, and disposing the tensor frees it.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import type { LanesBackend } from '../src/backend.js';

describe('packed filter copies', () => {
  let backend: LanesBackend;
  beforeAll(async () => {
    backend = await lanes();
  });

  const x = () => tf.tensor4d(randomFloats(2 * 9 * 9 * 5, 1), [2, 9, 9, 5]);
  const conv = (input: tf.Tensor4D, filter: tf.Tensor4D) => tf.conv2d(input, filter, 1, 'same');

  it('packs a conv filter once, reuses the copy with the same bits, and frees it with the tensor', () => {
    const input = x();
    const filter = tf.tensor4d(randomFloats(3 * 3 * 5 * 11, 2), [3, 3, 5, 11]);
    const before = backend.storage.bytesPacked;
    const first = conv(input, filter);
    const kept = backend.storage.bytesPacked - before;
    // 3·3·5 = 45 rows of two 8-column panels
    expect(kept).toBe(45 * 16 * 4);
    const second = conv(input, filter);
    expect(backend.storage.bytesPacked - before).toBe(kept);
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    filter.dispose();
    expect(backend.storage.bytesPacked).toBe(before);
    tf.dispose([input, first, second]);
  });

  it('gives a variable its new values after assign, and a matMul weight after an optimizer step', () => {
    const input = x();
    const v = tf.tidy(() => tf.variable(tf.tensor4d(randomFloats(3 * 3 * 5 * 4, 3), [3, 3, 5, 4])));
    const a = conv(input, v as unknown as tf.Tensor4D)
      .dataSync()
      .slice();
    const doubled = tf.mul(v, -2) as tf.Tensor4D;
    v.assign(doubled);
    doubled.dispose();
    const b = conv(input, v as unknown as tf.Tensor4D).dataSync();
    expect(
      maxRelError(
        b,
        a.map((t) => -2 * t),
      ),
    ).toBeLessThan(1e-6);

    // A dense weight trained by SGD: each step's product must use that step's weights.
    const w = tf.tidy(() => tf.variable(tf.tensor2d(randomFloats(40 * 30, 4), [40, 30])));
    const inputs = tf.tensor2d(randomFloats(16 * 40, 5), [16, 40]);
    const opt = tf.train.sgd(0.1);
    for (let step = 0; step < 3; step++) {
      const got = tf.matMul(inputs, w).dataSync();
      const wv = w.dataSync(),
        iv = inputs.dataSync();
      const want = new Float64Array(16 * 30);
      for (let i = 0; i < 16; i++)
        for (let j = 0; j < 30; j++) for (let k = 0; k < 40; k++) want[i * 30 + j] += iv[i * 40 + k] * wv[k * 30 + j];
      expect(maxRelError(got, want), `step ${step}`).toBeLessThan(1e-5);
      opt.minimize(() => tf.mean(tf.square(tf.matMul(inputs, w))) as tf.Scalar);
    }
    tf.dispose([input, v, w, inputs]);
    opt.dispose();
    expect(backend.storage.bytesPacked).toBe(0);
  });

  it('keeps no copies once every tensor is disposed (a training loop leaks nothing)', () => {
    const start = backend.storage.bytesPacked;
    const startBytes = tf.memory().numBytes;
    const w = tf.tidy(() => tf.variable(tf.tensor4d(randomFloats(3 * 3 * 5 * 8, 6), [3, 3, 5, 8])));
    const input = x();
    const opt = tf.train.adam(0.01);
    for (let step = 0; step < 5; step++)
      opt.minimize(() => tf.mean(tf.square(conv(input, w as unknown as tf.Tensor4D))) as tf.Scalar);
    // the live weight's copy at most
    expect(backend.storage.bytesPacked - start).toBeLessThanOrEqual(45 * 8 * 4);
    tf.dispose([w, input]);
    opt.dispose();
    expect(backend.storage.bytesPacked).toBe(start);
    expect(tf.memory().numBytes).toBe(startBytes);
  });
});
