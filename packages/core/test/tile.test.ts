import { describe, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { DTYPES, expectSameAsCpu, rng, valuesOf } from './compare.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('Tile', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for random reps (0 and 1 included) (${dtype})`, async () => {
      const r = rng(51);
      for (let rank = 1; rank <= 5; rank++) {
        for (let trial = 0; trial < 10; trial++) {
          const shape = Array.from({ length: rank }, () => r(5));
          const reps = shape.map(() => r(4));
          if (size(shape) * size(reps) > 5000) continue;
          const vals = valuesOf(dtype, size(shape), trial);
          await expectSameAsCpu(() => tf.tile(tf.tensor(vals, shape, dtype), reps), `${shape} ${reps}`);
        }
      }
    });
  }

  it('matches broadcasts (tf.broadcastTo runs Tile)', async () => {
    const vals = valuesOf('float32', 5);
    await expectSameAsCpu(() => tf.broadcastTo(tf.tensor2d(vals, [5, 1]), [3, 5, 9]));
    await expectSameAsCpu(() => tf.broadcastTo(tf.tensor2d(vals, [1, 5]), [7, 5]));
  });

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 6);
    await expectSameAsCpu(() => tf.grad((x: tf.Tensor) => tf.tile(x, [2, 3]).square())(tf.tensor2d(vals, [2, 3])));
  });
});

describe('Reverse', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for every subset of axes (${dtype})`, async () => {
      const r = rng(61);
      for (let rank = 0; rank <= 5; rank++) {
        for (let trial = 0; trial < 4; trial++) {
          const shape = Array.from({ length: rank }, () => r(7));
          const vals = valuesOf(dtype, size(shape), trial);
          for (let mask = 0; mask < 1 << rank; mask++) {
            const axes = [...Array(rank).keys()].filter((d) => mask & (1 << d)).map((d) => (r(2) ? d : d - rank));
            await expectSameAsCpu(() => tf.reverse(tf.tensor(vals, shape, dtype), axes), `${shape} ${axes}`);
          }
        }
      }
    });
  }

  it('reverses long rows at every SIMD remainder', async () => {
    for (const n of [1, 3, 4, 5, 8, 9, 31, 32, 33]) {
      const vals = valuesOf('float32', 3 * n, n);
      await expectSameAsCpu(() => tf.reverse(tf.tensor2d(vals, [3, n]), 1));
      await expectSameAsCpu(() => tf.reverse(tf.tensor1d(vals), 0));
    }
  });

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 24);
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) => tf.reverse(x, [0, 2]).mul(tf.range(0, 24).reshape([2, 3, 4])))(
        tf.tensor3d(vals, [2, 3, 4]),
      ),
    );
  });
});
