import { describe, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { DTYPES, expectSameAsCpu, expectSameErrorAsCpu, rng, valuesOf } from './compare.js';

describe('Concat', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu on every axis, with empty inputs (${dtype})`, async () => {
      const r = rng(5);
      for (let rank = 1; rank <= 4; rank++) {
        for (let axis = -rank; axis < rank; axis++) {
          for (let trial = 0; trial < 4; trial++) {
            const base = Array.from({ length: rank }, () => 1 + r(4));
            const a = (axis + rank) % rank;
            const n = 1 + r(4);
            const shapes = Array.from({ length: n }, (_, i) => {
              const s = base.slice();
              s[a] = trial === 3 && i === 0 ? 0 : r(5); // some inputs empty along the axis
              return s;
            });
            const vals = shapes.map((s, i) =>
              valuesOf(
                dtype,
                s.reduce((x, y) => x * y, 1),
                i + trial,
              ),
            );
            await expectSameAsCpu(
              () =>
                tf.concat(
                  shapes.map((s, i) => tf.tensor(vals[i], s, dtype)),
                  axis,
                ),
              `${shapes} axis ${axis}`,
            );
          }
        }
      }
    });
  }

  it('matches when an outer dim is 0 and with a single non-empty input', async () => {
    await expectSameAsCpu(() => tf.concat([tf.zeros([0, 3]), tf.zeros([0, 2])], 1));
    await expectSameAsCpu(() => tf.concat([tf.tensor2d([1, 2, 3], [1, 3]), tf.zeros([0, 3])], 0));
    await expectSameAsCpu(() => tf.concat([tf.scalar(1).reshape([1]), tf.tensor1d([2, 3])]));
  });

  it('splits long input lists across kernel calls (600 inputs)', async () => {
    const vals = valuesOf('int32', 600 * 3, 2);
    await expectSameAsCpu(() =>
      tf.concat(
        Array.from({ length: 600 }, (_, i) => tf.tensor2d(vals.slice(3 * i, 3 * i + 3), [3, 1], 'int32')),
        1,
      ),
    );
    await expectSameAsCpu(() =>
      tf.concat(
        Array.from({ length: 600 }, (_, i) => tf.tensor2d(vals.slice(3 * i, 3 * i + 3), [1, 3], 'int32')),
        0,
      ),
    );
  });

  it('has the gradient of tfjs-backend-cpu', async () => {
    const a = valuesOf('float32', 6),
      b = valuesOf('float32', 9, 2);
    await expectSameAsCpu(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.concat([x, y], 1).square())([
        tf.tensor2d(a, [3, 2]),
        tf.tensor2d(b, [3, 3]),
      ]),
    );
  });
});

describe('Pack (stack)', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu on every axis (${dtype})`, async () => {
      for (const shape of [[], [3], [2, 3], [2, 0, 3], [4, 1, 5]]) {
        const rank = shape.length;
        for (let axis = -rank - 1; axis <= rank; axis++) {
          for (const n of [1, 2, 5]) {
            const vals = Array.from({ length: n }, (_, i) =>
              valuesOf(
                dtype,
                shape.reduce((x, y) => x * y, 1),
                i,
              ),
            );
            await expectSameAsCpu(
              () =>
                tf.stack(
                  vals.map((v) => tf.tensor(v, shape, dtype)),
                  axis,
                ),
              `${shape} axis ${axis} n ${n}`,
            );
          }
        }
      }
    });
  }

  it('rejects mismatched shapes like tfjs-backend-cpu', async () => {
    await expectSameErrorAsCpu(() => tf.stack([tf.zeros([2]), tf.zeros([3])]));
  });
});
