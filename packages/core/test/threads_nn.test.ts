// The nn kernels split their output ranges across threads: the values must not depend on how many.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '../src/index.js';
import { LanesBackend } from '../src/backend.js';
import { MIN_PARALLEL_WORK } from '../src/threads/pool.js';
import { ints, values } from './backends.js';

interface Run {
  bits: Uint32Array[];
  split: Set<string>;
}

/** Runs `f` on 'lanes' with `threads` threads; returns its outputs' bits and the kernels big enough to split. */
async function run(threads: number, f: () => tf.Tensor | tf.Tensor[]): Promise<Run> {
  await tf.setBackend('lanes');
  await setThreadsCount(threads);
  const be = tf.backend() as LanesBackend;
  const split = new Set<string>();
  const parallel = be.parallel;
  be.parallel = (name, args, total, cost = 1, align = 4) => {
    if (total * cost >= MIN_PARALLEL_WORK && total >= 2 * align) split.add(name);
    parallel.call(be, name, args, total, cost, align);
  };
  try {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const bits = list.map((t) => {
      const v = t.dataSync() as Float32Array | Int32Array | Uint8Array;
      return new Uint32Array(Float32Array.from(v).buffer);
    });
    tf.dispose(list);
    return { bits, split };
  } finally {
    Reflect.deleteProperty(be, 'parallel');
  }
}

function sameBits(a: Uint32Array[], b: Uint32Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i].length && x.every((v, j) => v === b[i][j]));
}

const cases: Array<[string, string, () => tf.Tensor | tf.Tensor[]]> = [
  [
    'maxPool',
    'max_pool_f32',
    () => tf.maxPool(tf.tensor4d(values(8 * 30 * 30 * 20, 1), [8, 30, 30, 20]), 3, 2, 'same'),
  ],
  [
    'avgPool',
    'avg_pool_f32',
    () => tf.avgPool(tf.tensor4d(values(8 * 30 * 30 * 20, 2), [8, 30, 30, 20]), [3, 2], 1, 'valid'),
  ],
  [
    'maxPool grad',
    'max_pool_grad_f32',
    () =>
      tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'))(
        tf.tensor4d(values(8 * 30 * 30 * 20, 3), [8, 30, 30, 20]),
      ),
  ],
  [
    'avgPool grad',
    'avg_pool_grad_f32',
    () =>
      tf.grad((x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'))(
        tf.tensor4d(values(8 * 30 * 30 * 20, 4), [8, 30, 30, 20]),
      ),
  ],
  [
    'batchNorm',
    'batchnorm_f32',
    () =>
      tf.batchNorm(
        tf.tensor(values(64 * 4000, 5), [64, 4000]),
        tf.tensor1d(values(4000, 6)),
        tf.tensor1d(values(4000, 7, 0.5, 2)),
        tf.tensor1d(values(4000, 8)),
        tf.tensor1d(values(4000, 9)),
      ),
  ],
  ['softmax rows', 'softmax_f32', () => tf.softmax(tf.tensor2d(values(301 * 999, 10, -9, 9), [301, 999]))],
  [
    'softmax columns',
    'softmax_f32',
    () =>
      tf
        .engine()
        .runKernel(
          'Softmax',
          { logits: tf.tensor(values(7 * 50 * 1003, 11, -9, 9), [7, 50, 1003]) },
          { dim: 1 },
        ) as tf.Tensor,
  ],
  [
    'less',
    'compare_f32',
    () => tf.less(tf.tensor2d(values(300 * 1001, 12), [300, 1001]), tf.tensor1d(values(1001, 13))),
  ],
  ['less, one long run', 'compare_f32', () => tf.less(tf.tensor1d(values(300001, 26)), tf.scalar(0.25))],
  [
    'int32 mod',
    'binary_i32',
    () =>
      tf.mod(
        tf.tensor2d(ints(300 * 1001, 14, -99, 99), [300, 1001], 'int32'),
        tf.tensor1d(ints(1001, 15, 1, 9), 'int32'),
      ),
  ],
  ['argMax rows', 'arg_reduce_f32', () => tf.argMax(tf.tensor2d(values(3000 * 101, 16), [3000, 101]), 1)],
  ['argMin columns', 'arg_reduce_f32', () => tf.argMin(tf.tensor2d(values(101 * 3001, 17), [101, 3001]), 0)],
  ['cumsum', 'cumulative_f32', () => tf.cumsum(tf.tensor2d(values(200 * 1001, 18), [200, 1001]), 0, true, true)],
  [
    'where',
    'select_32',
    () =>
      tf.where(
        tf.tensor1d(ints(300001, 19, 0, 1), 'bool'),
        tf.tensor1d(values(300001, 20)),
        tf.tensor1d(values(300001, 21)),
      ),
  ],
  ['oneHot', 'one_hot_32', () => tf.oneHot(tf.tensor1d(ints(20001, 22, -1, 100), 'int32'), 101)],
  [
    'unsortedSegmentSum',
    'unsorted_segment_sum_f32',
    () =>
      tf.unsortedSegmentSum(
        tf.tensor2d(values(300 * 1001, 23), [300, 1001]),
        tf.tensor1d(ints(300, 24, -1, 9), 'int32'),
        9,
      ),
  ],
  ['eluGrad', 'elu_grad_f32', () => tf.grad((x: tf.Tensor) => tf.elu(x))(tf.tensor1d(values(300001, 25, -3, 3)))],
];

describe('nn kernels on 1, 2 and 3 threads', () => {
  afterAll(async () => {
    await setThreadsCount(2);
  });
  for (const [label, kernel, f] of cases)
    it(`${label}: bit-identical whatever the thread count`, async () => {
      const one = await run(1, f);
      for (const threads of [2, 3]) {
        const many = await run(threads, f);
        expect(many.split.has(kernel), `${kernel} is big enough to split`).toBe(true);
        expect(sameBits(many.bits, one.bits), `${threads} threads`).toBe(true);
      }
    });
});
