import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, ints, values } from './backends.js';

// Broadcast patterns: same shape (every remainder of 16), row vector, column, scalar on either side.
const shapes: Array<[number[], number[]]> = [
  [[0], [0]],
  [[1], [1]],
  [[5], [5]],
  [[16], [16]],
  [[17], [17]],
  [
    [3, 33],
    [3, 33],
  ],
  [[4, 31], [31]],
  [[31], [4, 31]],
  [
    [6, 1],
    [6, 19],
  ],
  [
    [2, 3, 5],
    [3, 1],
  ],
  [[7, 18], []],
  [[], [7, 18]],
  [
    [2, 1, 3],
    [1, 4, 1],
  ],
  // One long run, cut into rows of 2^14 plus a tail so that threads can share it.
  [[3 * 16384 + 7], [3 * 16384 + 7]],
  [[2 * 16384 + 1], []],
  [[], [2 * 16384 + 5]],
];

const compares = [tf.equal, tf.notEqual, tf.less, tf.lessEqual, tf.greater, tf.greaterEqual];

function data(shape: number[], seed: number, dtype: 'float32' | 'int32' | 'bool'): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'float32') {
    // Few distinct values (many equalities) plus NaN, ±Inf and -0.
    const v = Float32Array.from(values(n, seed, -2, 2), (x) => Math.round(x * 2) / 2);
    const sp = [NaN, Infinity, -Infinity, -0];
    for (let k = 0; k < sp.length && n > 3; k++) v[(k * 5 + seed) % n] = sp[k];
    return tf.tensor(v, shape);
  }
  if (dtype === 'int32') return tf.tensor(ints(n, seed, -3, 3), shape, 'int32');
  return tf.tensor(ints(n, seed, 0, 1), shape, 'bool');
}

describe('comparisons and logical ops (bool out)', () => {
  it('Equal … GreaterEqual on float32, int32 and bool with broadcasting match tfjs-cpu exactly', async () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const)
      for (const [sa, sb] of shapes)
        for (const [k, op] of compares.entries())
          await expectSameAsCpu(
            () => op(data(sa, 1 + k, dtype), data(sb, 2 + k, dtype)),
            0,
            `${op.name} ${dtype} ${sa} vs ${sb}`,
            sa[0] === 0 ? [] : [dtype === 'float32' ? 'compare_f32' : dtype === 'int32' ? 'compare_i32' : 'compare_u8'],
          );
  });

  it('LogicalAnd / LogicalOr / LogicalXor / LogicalNot match tfjs-cpu exactly', async () => {
    for (const [sa, sb] of shapes) {
      for (const op of [tf.logicalAnd, tf.logicalOr, tf.logicalXor])
        await expectSameAsCpu(
          () => op(data(sa, 3, 'bool'), data(sb, 4, 'bool')),
          0,
          `${op.name} ${sa} vs ${sb}`,
          sa[0] === 0 ? [] : ['compare_u8'],
        );
      await expectSameAsCpu(
        () => tf.logicalNot(data(sa, 5, 'bool')),
        0,
        `logicalNot ${sa}`,
        sa[0] === 0 ? [] : ['logical_not_u8'],
      );
    }
  });

  it('IsNan / IsInf / IsFinite at every remainder of the 16-wide loop match tfjs-cpu exactly', async () => {
    for (const n of [0, 1, 5, 15, 16, 17, 33, 70]) {
      const x = values(n, n, -1e38, 1e38, [NaN, Infinity, -Infinity, -0, 3.4e38, -NaN]);
      for (const op of [tf.isNaN, tf.isInf, tf.isFinite])
        await expectSameAsCpu(() => op(tf.tensor1d(x)), 0, `${op.name} n=${n}`, n ? ['predicate_f32'] : []);
    }
  });
});
