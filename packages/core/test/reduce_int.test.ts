import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, ints, LANES_BACKENDS, runOn } from './backends.js';

const shapes = [[1], [7], [8], [17], [40], [3, 9], [4, 1, 33], [2, 3, 5, 4], [3, 0]];
const axesFor = (rank: number): Array<number | number[]> =>
  rank === 1 ? [0, -1] : rank === 2 ? [0, 1, [0, 1]] : rank === 3 ? [0, 2, [0, 2], [1, 2]] : [1, [0, 3], [1, 2, 3]];

describe('int32 and bool reductions', () => {
  it('Sum, Max, Min, Prod of int32 over every axis set, keepDims, wrapping sums', async () => {
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const big = ints(n, n, -2e9, 2e9);
      const small = ints(n, n + 1, -1, 2);
      for (const axis of axesFor(shape.length))
        for (const keepDims of [false, true]) {
          const what = `${shape} axis ${axis} keepDims ${keepDims}`;
          const uses = n > 0 ? ['reduce_i32'] : [];
          await expectSameAsCpu(() => tf.sum(tf.tensor(big, shape, 'int32'), axis, keepDims), 0, `sum ${what}`, uses);
          await expectSameAsCpu(() => tf.max(tf.tensor(big, shape, 'int32'), axis, keepDims), 0, `max ${what}`, uses);
          await expectSameAsCpu(() => tf.min(tf.tensor(big, shape, 'int32'), axis, keepDims), 0, `min ${what}`, uses);
          // Factors in [-1, 2] over at most 40 elements: tfjs-cpu's float64 products stay exact.
          await expectSameAsCpu(
            () => tf.prod(tf.tensor(small, shape, 'int32'), axis, keepDims),
            0,
            `prod ${what}`,
            uses,
          );
        }
    }
  });

  it('Any and All over every axis set, rows of every length around 16, empty reductions', async () => {
    for (const shape of [...shapes, [2, 16], [2, 17], [3, 31], [1, 0]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      // Mostly true (All is interesting) or mostly false (Any is).
      const mostlyTrue = Uint8Array.from(ints(n, n, 0, 30), (v) => (v > 0 ? 1 : 0));
      const mostlyFalse = Uint8Array.from(ints(n, n + 2, 0, 30), (v) => (v === 0 ? 1 : 0));
      for (const axis of axesFor(shape.length))
        for (const data of [mostlyTrue, mostlyFalse, new Uint8Array(n).fill(1), new Uint8Array(n)]) {
          const uses = tf.util.sizeFromShape(shape) > 0 || shape.length > 1 ? ['reduce_u8'] : [];
          await expectSameAsCpu(
            () => tf.any(tf.tensor(data, shape, 'bool'), axis),
            0,
            `any ${shape} axis ${axis}`,
            uses,
          );
          // All of an empty reduction is true (TensorFlow); tfjs-cpu says false (below).
          if (n > 0)
            await expectSameAsCpu(
              () => tf.all(tf.tensor(data, shape, 'bool'), axis, true),
              0,
              `all ${shape} axis ${axis}`,
              uses,
            );
        }
    }
  });

  it('All over an empty axis is true and Any false, on every build (tfjs-cpu: All false)', async () => {
    const program = () => [tf.all(tf.zeros([3, 0], 'bool'), 1), tf.any(tf.zeros([3, 0], 'bool'), 1)];
    for (const backend of LANES_BACKENDS) {
      const got = await runOn(backend, program);
      expect(
        got.values.map((v) => Array.from(v)),
        backend,
      ).toEqual([
        [1, 1, 1],
        [0, 0, 0],
      ]);
    }
    expect(Array.from((await runOn('cpu', program)).values[0]!)).toEqual([0, 0, 0]);
  });
});
