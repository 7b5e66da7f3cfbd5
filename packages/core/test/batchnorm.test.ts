import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, values } from './backends.js';
import { batchNormPeriod } from '../src/kernels/batchnorm.js';

describe('FusedBatchNorm', () => {
  it('1-D parameters over the last axis match tfjs-cpu for every channel count remainder', async () => {
    for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 32, 33, 100])
      for (const withOffset of [false, true])
        for (const withScale of [false, true]) {
          const shape = [2, 3, (C % 5) + 1, C];
          const n = shape.reduce((a, b) => a * b);
          const x = values(n, C, -3, 3, [NaN, Infinity, -Infinity]);
          await expectSameAsCpu(
            () =>
              tf.batchNorm(
                tf.tensor(x, shape),
                tf.tensor1d(values(C, 1)),
                tf.tensor1d(values(C, 2, 0.1, 2)),
                withOffset ? tf.tensor1d(values(C, 3)) : undefined,
                withScale ? tf.tensor1d(values(C, 4)) : undefined,
                1e-3,
              ),
            2e-6,
            `C=${C} offset=${withOffset} scale=${withScale}`,
            ['batchnorm_f32'],
          );
        }
  });

  it('general case: parameters of other lengths, full shapes, ranks 1–4, eps', async () => {
    const cases: Array<{ x: number[]; p: number[][]; eps?: number }> = [
      { x: [7], p: [[7], [7], [7], [7]] },
      {
        x: [5, 6],
        p: [
          [5, 6],
          [5, 6],
          [5, 6],
          [5, 6],
        ],
      },
      { x: [5, 6], p: [[6], [1], [6], [1]], eps: 0.1 },
      {
        x: [2, 3, 4],
        p: [
          [3, 4],
          [3, 4],
          [3, 4],
          [3, 4],
        ],
      },
      {
        x: [3, 5, 6, 7],
        p: [
          [1, 1, 1, 7],
          [1, 1, 1, 7],
          [1, 1, 1, 7],
          [1, 1, 1, 7],
        ],
        eps: 0,
      },
      {
        x: [3, 5, 6, 7],
        p: [
          [3, 5, 6, 7],
          [3, 5, 6, 7],
          [3, 5, 6, 7],
          [3, 5, 6, 7],
        ],
      },
      { x: [0, 4], p: [[4], [4], [4], [4]] },
    ];
    for (const c of cases) {
      const n = c.x.reduce((a, b) => a * b, 1);
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      await expectSameAsCpu(
        () =>
          tf.batchNorm(
            tf.tensor(values(n, 9, -2, 2), c.x),
            tf.tensor(values(size(c.p[0]), 1), c.p[0]),
            tf.tensor(values(size(c.p[1]), 2, 0.2, 1.5), c.p[1]),
            tf.tensor(values(size(c.p[2]), 3), c.p[2]),
            tf.tensor(values(size(c.p[3]), 4), c.p[3]),
            c.eps,
          ),
        2e-6,
        `x ${c.x} params ${JSON.stringify(c.p)}`,
        n > 0 ? ['batchnorm_f32'] : [],
      );
    }
    // Parameter lengths 3 and 5 over a last axis of 15: cpu indexes each modulo its own length.
    await expectSameAsCpu(
      () =>
        tf.engine().runKernel(
          'FusedBatchNorm',
          {
            x: tf.tensor(values(4 * 15, 5), [4, 15]),
            mean: tf.tensor1d(values(3, 6)),
            variance: tf.tensor1d(values(5, 7, 0.5, 1)),
            offset: tf.tensor1d(values(15, 8)),
            scale: tf.tensor1d([2]),
          },
          { varianceEpsilon: 0.01 },
        ) as tf.Tensor,
      2e-6,
      'mixed lengths',
      ['batchnorm_f32'],
    );
  });

  it('row period: a multiple of every parameter length and of 4, at least 256, capped at n', () => {
    expect(batchNormPeriod([32, 32, 32, 32], 1e6)).toBe(256);
    expect(batchNormPeriod([1, 1, 1, 1], 1e6)).toBe(256);
    expect(batchNormPeriod([3, 5, 1, 1], 1e6)).toBe(300);
    expect(batchNormPeriod([100, 1, 1, 1], 1e6)).toBe(300);
    expect(batchNormPeriod([32, 32, 32, 32], 100)).toBe(100);
    expect(batchNormPeriod([7, 11, 1, 1], 50)).toBe(50);
  });

  it('gradients (composed in tfjs-core from the ops above) match tfjs-cpu', async () => {
    const shape = [2, 3, 3, 5];
    const x = values(90, 11),
      m = values(5, 12),
      v = values(5, 13, 0.5, 2),
      o = values(5, 14),
      s = values(5, 15);
    await expectSameAsCpu(
      () => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
          tf.sum(tf.mul(tf.batchNorm(a, b, c, d, e, 1e-3), tf.tensor(values(90, 16), shape))),
        );
        return g([tf.tensor(x, shape), tf.tensor1d(m), tf.tensor1d(v), tf.tensor1d(o), tf.tensor1d(s)]);
      },
      1e-5,
      'batchNorm grads',
      ['batchnorm_f32'],
    );
  });
});
