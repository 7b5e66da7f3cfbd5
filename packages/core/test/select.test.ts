import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, ints, runOn, values, LANES_BACKENDS } from './backends.js';

describe('Select (where)', () => {
  it('elementwise condition, every remainder of the 4/16-wide loops, float32, int32 and bool', async () => {
    for (const n of [0, 1, 3, 4, 5, 15, 16, 17, 33]) {
      const c = () => tf.tensor1d(ints(n, n, 0, 1), 'bool');
      await expectSameAsCpu(
        () => tf.where(c(), tf.tensor1d(values(n, 1, -1, 1, [NaN])), tf.tensor1d(values(n, 2))),
        0,
        `f32 n=${n}`,
        n ? ['select_32'] : [],
      );
      await expectSameAsCpu(
        () => tf.where(c(), tf.tensor1d(ints(n, 3, -9, 9), 'int32'), tf.tensor1d(ints(n, 4, -9, 9), 'int32')),
        0,
        `i32 n=${n}`,
        n ? ['select_32'] : [],
      );
      await expectSameAsCpu(
        () => tf.where(c(), tf.tensor1d(ints(n, 5, 0, 1), 'bool'), tf.tensor1d(ints(n, 6, 0, 1), 'bool')),
        0,
        `bool n=${n}`,
        n ? ['select_8'] : [],
      );
    }
  });

  it('broadcast condition (tf.where broadcasts before the kernel) and its gradient', async () => {
    await expectSameAsCpu(
      () =>
        tf.where(tf.tensor2d([[1], [0], [1]], [3, 1], 'bool'), tf.tensor2d(values(15, 1), [3, 5]), tf.fill([3, 5], 7)),
      0,
      'broadcast',
      ['select_32'],
    );
    await expectSameAsCpu(
      () => {
        const x = tf.tensor2d(values(12, 2), [3, 4]);
        const positive = tf.greater(x, 0);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.where(positive, tf.mul(t, 3), tf.neg(t))))(x);
      },
      0,
      'where grad',
      ['select_32'],
    );
  });

  it('rank-1 condition over rows (TF semantics) selects whole rows', async () => {
    const t = values(12, 1),
      e = values(12, 2);
    for (const backend of LANES_BACKENDS) {
      const got = await runOn(
        backend,
        () =>
          tf.engine().runKernel('Select', {
            condition: tf.tensor1d([0, 1, 0], 'bool'),
            t: tf.tensor2d(t, [3, 4]),
            e: tf.tensor2d(e, [3, 4]),
          }) as tf.Tensor,
      );
      expect(Array.from(got.values[0])).toEqual([...e.slice(0, 4), ...t.slice(4, 8), ...e.slice(8)]);
    }
  });
});

describe('OneHot', () => {
  it('depths around the 4-lane loop, out-of-range and negative indices, on/off values, int32 and float32 out', async () => {
    for (const depth of [2, 3, 4, 5, 8, 9])
      for (const dtype of ['int32', 'float32'] as const) {
        const idx = ints(11, depth, -2, depth + 1);
        await expectSameAsCpu(
          () => tf.oneHot(tf.tensor1d(idx, 'int32'), depth, 1, 0, dtype),
          0,
          `depth ${depth} ${dtype}`,
          ['one_hot_32'],
        );
        await expectSameAsCpu(
          () => tf.oneHot(tf.tensor2d(idx.slice(0, 10), [2, 5], 'int32'), depth, 2.5, -1.25, dtype),
          0,
          `depth ${depth} ${dtype} 2.5/-1.25`,
          ['one_hot_32'],
        );
      }
    await expectSameAsCpu(() => tf.oneHot(tf.tensor1d([], 'int32'), 4), 0, 'empty');
  });
});

describe('UnsortedSegmentSum', () => {
  it('segments in any order, dropped ids, inner widths around the 4-lane loop', async () => {
    for (const inner of [[], [1], [3], [4], [5], [2, 9]])
      for (const numSegments of [1, 3, 6]) {
        const rows = 7;
        const n = rows * inner.reduce((a, b) => a * b, 1);
        const ids = ints(rows, numSegments, -1, numSegments); // -1 and numSegments are dropped
        await expectSameAsCpu(
          () =>
            tf.unsortedSegmentSum(tf.tensor(values(n, 1), [rows, ...inner]), tf.tensor1d(ids, 'int32'), numSegments),
          1e-6,
          `inner ${inner} segments ${numSegments}`,
          ['unsorted_segment_sum_f32'],
        );
      }
  });

  it('NaN and ±Inf reach other segments as tfjs-cpu has them (it sums x * (ids == s), and 0 * Inf is NaN)', async () => {
    const x = (n: number, specials: Array<[number, number]>) => {
      const v = values(n, 5);
      for (const [at, value] of specials) v[at] = value;
      return v;
    };
    const ids = [0, 2, 1, 2, 0, 5, 1]; // 5 is dropped (numSegments 3)
    const cases: Array<[string, Array<[number, number]>]> = [
      [
        'one segment holds the non-finite rows',
        [
          [1 * 6 + 2, Infinity],
          [3 * 6 + 2, NaN],
          [0 * 6 + 5, -Infinity],
        ],
      ],
      [
        'non-finite rows in two segments',
        [
          [0 * 6 + 1, NaN],
          [2 * 6 + 1, Infinity],
          [6 * 6 + 4, -Infinity],
          [1 * 6 + 4, -Infinity],
        ],
      ],
      [
        'a dropped row is non-finite',
        [
          [5 * 6 + 0, Infinity],
          [5 * 6 + 3, NaN],
        ],
      ],
      ['every column', Array.from({ length: 6 }, (_, c) => [4 * 6 + c, NaN] as [number, number])],
    ];
    for (const [label, specials] of cases)
      await expectSameAsCpu(
        () => tf.unsortedSegmentSum(tf.tensor2d(x(42, specials), [7, 6]), tf.tensor1d(ids, 'int32'), 3),
        1e-6,
        label,
        ['unsorted_segment_sum_f32'],
      );
  });

  it('gradient through gather (tf.gather backprop uses UnsortedSegmentSum)', async () => {
    await expectSameAsCpu(
      () =>
        tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.gather(t, tf.tensor1d([2, 0, 2, 1, 2], 'int32')), tf.tensor(values(15, 3), [5, 3]))),
        )(tf.tensor2d(values(9, 4), [3, 3])),
      1e-6,
      'gather grad',
      ['unsorted_segment_sum_f32'],
    );
  });
});
