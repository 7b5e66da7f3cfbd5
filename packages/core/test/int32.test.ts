import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, ints } from './backends.js';

const shapes: Array<[number[], number[]]> = [
  [[0], [0]],
  [[1], [1]],
  [[7], [7]],
  [
    [4, 9],
    [4, 9],
  ],
  [[4, 9], [9]],
  [[9], [4, 9]],
  [
    [5, 1],
    [5, 6],
  ],
  [[3, 4], []],
  [[], [3, 4]],
  // One long run, cut into rows of 2^14 plus a tail so that threads can share it.
  [[3 * 16384 + 7], [3 * 16384 + 7]],
  [[2 * 16384 + 1], []],
  [[], [2 * 16384 + 5]],
];

function t(shape: number[], seed: number, lo: number, hi: number, specials: number[] = []): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = ints(n, seed, lo, hi);
  for (let k = 0; k < specials.length && n > 2; k++) v[(k * 3 + seed) % n] = specials[k];
  return tf.tensor(v, shape, 'int32');
}

const MIN = -2147483648,
  MAX = 2147483647;

describe('int32 arithmetic stays in wasm and matches tfjs-cpu', () => {
  it('Add, Sub, Multiply, Maximum, Minimum, SquaredDifference with broadcasting (wrapping at 2^32)', async () => {
    for (const [sa, sb] of shapes) {
      const big = () => t(sa, 1, -1e9, 1e9, [MAX, MIN]);
      const other = () => t(sb, 2, -1e9, 1e9, [1, -1]);
      for (const op of [tf.add, tf.sub, tf.maximum, tf.minimum])
        await expectSameAsCpu(() => op(big(), other()), 0, `${op.name} ${sa} ${sb}`, sa[0] === 0 ? [] : ['binary_i32']);
      // Products and squares kept below 2^53, where tfjs-cpu's float64 products are exact.
      await expectSameAsCpu(
        () => tf.mul(t(sa, 3, -3e7, 3e7), t(sb, 4, -3e7, 3e7)),
        0,
        `mul ${sa} ${sb}`,
        sa[0] === 0 ? [] : ['binary_i32'],
      );
      await expectSameAsCpu(
        () => tf.squaredDifference(t(sa, 5, -4e7, 4e7), t(sb, 6, -4e7, 4e7)),
        0,
        `sqdiff ${sa} ${sb}`,
        sa[0] === 0 ? [] : ['binary_i32'],
      );
    }
  });

  it('FloorDiv and Mod: signs, zero divisors (0, as tfjs-cpu stores NaN/Inf into int32) and MIN / -1', async () => {
    for (const [sa, sb] of shapes) {
      const a = () => t(sa, 7, -20, 20, [MIN, MAX, 0]);
      const b = () => t(sb, 8, -6, 6, [0, -1, 1]);
      await expectSameAsCpu(() => tf.floorDiv(a(), b()), 0, `floorDiv ${sa} ${sb}`, sa[0] === 0 ? [] : ['binary_i32']);
      await expectSameAsCpu(() => tf.mod(a(), b()), 0, `mod ${sa} ${sb}`, sa[0] === 0 ? [] : ['binary_i32']);
      await expectSameAsCpu(
        () => tf.div(a(), b()),
        0,
        `div (int32 → floorDiv) ${sa} ${sb}`,
        sa[0] === 0 ? [] : ['binary_i32'],
      );
    }
  });

  it('Abs, Neg, Square, Relu, Relu6, Sign on int32', async () => {
    for (const n of [0, 1, 3, 4, 5, 8, 13]) {
      const x = () => t([n], n, -10, 10, [0]);
      for (const op of [tf.abs, tf.neg, tf.relu, tf.relu6, tf.sign, tf.square])
        await expectSameAsCpu(() => op(x()), 0, `${op.name} n=${n}`, n === 0 ? [] : ['unary_i32']);
    }
    // Beyond float32's 24-bit integers tfjs-cpu's Abs/Square round through a Float32Array; Neg does not.
    await expectSameAsCpu(() => tf.neg(tf.tensor1d([MIN, MAX, 123456789, -1], 'int32')), 0, 'neg extremes', [
      'unary_i32',
    ]);
  });
});
