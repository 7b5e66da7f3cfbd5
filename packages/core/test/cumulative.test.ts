import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, ints, values } from './backends.js';

describe('Cumsum / Cumprod', () => {
  it('every axis, exclusive and reverse, float32 (bitwise as tfjs-cpu) and int32', async () => {
    const shapes = [[1], [6], [3, 1], [3, 4], [2, 5, 3], [2, 3, 9], [4, 1, 6], [0, 3]];
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = values(n, n, -1.5, 1.5, n > 8 ? [NaN, Infinity] : []);
      const xi = ints(n, n, -5, 5);
      for (let axis = 0; axis < shape.length; axis++)
        for (const exclusive of [false, true])
          for (const reverse of [false, true]) {
            const what = `${shape} axis ${axis} exclusive ${exclusive} reverse ${reverse}`;
            await expectSameAsCpu(
              () => tf.cumsum(tf.tensor(x, shape), axis, exclusive, reverse),
              0,
              `cumsum ${what}`,
              n ? ['cumulative_f32'] : [],
            );
            await expectSameAsCpu(
              () => tf.cumprod(tf.tensor(x, shape), axis, exclusive, reverse),
              0,
              `cumprod ${what}`,
              n ? ['cumulative_f32'] : [],
            );
            await expectSameAsCpu(
              () => tf.cumsum(tf.tensor(xi, shape, 'int32'), axis, exclusive, reverse),
              0,
              `cumsum int32 ${what}`,
              n ? ['cumulative_i32'] : [],
            );
            await expectSameAsCpu(
              () => tf.cumprod(tf.tensor(xi, shape, 'int32'), axis, exclusive, reverse),
              0,
              `cumprod int32 ${what}`,
              n ? ['cumulative_i32'] : [],
            );
          }
    }
  });

  it('gradient of cumsum matches tfjs-cpu', async () => {
    await expectSameAsCpu(
      () =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.cumsum(t, 1, false, true), tf.tensor(values(15, 2), [3, 5]))))(
          tf.tensor(values(15, 1), [3, 5]),
        ),
      1e-6,
      'cumsum grad',
      ['cumulative_f32'],
    );
  });
});
