import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, values } from './backends.js';

describe('activation gradient kernels', () => {
  it('EluGrad (through tf.grad of elu) at every remainder of 4, NaN and ±Inf included', async () => {
    for (const n of [0, 1, 3, 4, 5, 8, 13, 64]) {
      const x = values(n, n, -4, 4, [NaN, Infinity, -Infinity, 0]);
      await expectSameAsCpu(
        () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.elu(t), tf.tensor1d(values(n, 2)))))(tf.tensor1d(x)),
        1e-6,
        `n=${n}`,
        n ? ['elu_grad_f32'] : [],
      );
    }
  });
});
