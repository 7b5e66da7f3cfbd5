import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, ints, values } from './backends.js';

describe('ArgMax / ArgMin', () => {
  it('every axis, row lengths around the 4-lane and 16-element thresholds, ties, NaN and ±Inf', async () => {
    const shapes = [[1], [5], [16], [17], [40], [3, 1], [3, 4], [2, 19, 3], [4, 33], [2, 3, 5, 6], [2, 0, 3]];
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      // Few distinct values: ties everywhere (the first extreme must win).
      const x = Float32Array.from(values(n, n, -3, 3), (v) => Math.round(v));
      const xs = values(n, n + 1, -3, 3, [NaN, Infinity, -Infinity, NaN]);
      for (let axis = -1; axis < shape.length; axis++)
        for (const op of [tf.argMax, tf.argMin]) {
          await expectSameAsCpu(
            () => op(tf.tensor(x, shape), axis),
            0,
            `${op.name} ${shape} axis ${axis} ties`,
            n ? ['arg_reduce_f32'] : [],
          );
          await expectSameAsCpu(
            () => op(tf.tensor(xs, shape), axis),
            0,
            `${op.name} ${shape} axis ${axis} specials`,
            n ? ['arg_reduce_f32'] : [],
          );
          await expectSameAsCpu(
            () => op(tf.tensor(ints(n, n, -5, 5), shape, 'int32'), axis),
            0,
            `${op.name} ${shape} axis ${axis} int32`,
            n ? ['arg_reduce_i32'] : [],
          );
        }
    }
  });

  it('special rows: NaN first (sticks at 0), all -Inf, all NaN, extreme ints', async () => {
    const rows = [
      [NaN, ...values(20, 1)],
      [...new Array(20).fill(-Infinity)],
      [...new Array(20).fill(NaN)],
      [...values(19, 2), NaN],
      [Infinity, ...values(18, 3), Infinity],
      [-Infinity, ...new Array(18).fill(NaN), -Infinity],
    ];
    for (const r of rows)
      for (const op of [tf.argMax, tf.argMin])
        await expectSameAsCpu(() => op(tf.tensor2d([r])), 0, `${op.name} ${r.slice(0, 3)}`, ['arg_reduce_f32']);
    const extreme = [-2147483648, 5, 2147483647, -2147483648, 2147483647, ...new Array(15).fill(0)];
    for (const op of [tf.argMax, tf.argMin])
      await expectSameAsCpu(() => op(tf.tensor1d(extreme, 'int32')), 0, `${op.name} int extremes`, ['arg_reduce_i32']);
  });
});
