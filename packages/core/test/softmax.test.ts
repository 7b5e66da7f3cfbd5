import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, maxError, runOn, values, LANES_BACKENDS } from './backends.js';

/** Plain softmax along `axis` in float64. */
function reference(x: Float32Array, shape: number[], axis: number): Float64Array {
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.length / (n * inner);
  const out = new Float64Array(x.length);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < inner; j++) {
      const at = (k: number) => (o * n + k) * inner + j;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, x[at(k)]);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x[at(k)] - m);
      for (let k = 0; k < n; k++) out[at(k)] = Math.exp(x[at(k)] - m) / s;
    }
  return out;
}

describe('Softmax', () => {
  it('last axis: every row length remainder of the 16/8/4-wide loops, matches tfjs-cpu', async () => {
    for (let n = 1; n <= 40; n++) {
      const shape = [3, n];
      await expectSameAsCpu(
        () => tf.softmax(tf.tensor2d(values(3 * n, n, -20, 20), shape as [number, number])),
        2e-6,
        `n=${n}`,
        ['softmax_f32'],
      );
    }
    await expectSameAsCpu(() => tf.softmax(tf.tensor2d(values(5 * 1000, 1, -50, 50), [5, 1000])), 2e-6, '[5,1000]', [
      'softmax_f32',
    ]);
    await expectSameAsCpu(() => tf.softmax(tf.tensor3d(values(2 * 3 * 17, 2), [2, 3, 17])), 2e-6, '[2,3,17]', [
      'softmax_f32',
    ]);
    await expectSameAsCpu(() => tf.softmax(tf.tensor1d(values(9, 3))), 2e-6, 'rank 1', ['softmax_f32']);
    await expectSameAsCpu(() => tf.softmax(tf.zeros([0, 5])), 0, 'empty');
  });

  it('NaN and ±Inf rows behave as tfjs-cpu (NaN or +Inf poisons the row; -Inf entries get 0)', async () => {
    const rows = [
      [1, 2, NaN, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
      [1, Infinity, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
      [-Infinity, 0, 1, -Infinity, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, -Infinity],
      new Array(17).fill(-Infinity),
      new Array(17).fill(-1000).map((v, i) => v + i), // exp underflows for most entries
      new Array(17).fill(88).map((v, i) => v + i),
    ];
    for (const r of rows) {
      await expectSameAsCpu(() => tf.softmax(tf.tensor2d([r])), 2e-6, `row ${r.slice(0, 4)}…`, ['softmax_f32']);
      await expectSameAsCpu(() => tf.softmax(tf.tensor2d([r.slice(0, 5)])), 2e-6, `short row ${r.slice(0, 4)}…`, [
        'softmax_f32',
      ]);
    }
  });

  it('any axis through the dim attribute (tfjs ops only ask for the last) matches a float64 reference', async () => {
    const shape = [3, 7, 9];
    const x = values(3 * 7 * 9, 5, -5, 5);
    for (const backend of LANES_BACKENDS)
      for (const dim of [0, 1, 2, -1]) {
        const got = await runOn(
          backend,
          () => tf.engine().runKernel('Softmax', { logits: tf.tensor(x, shape) }, { dim }) as tf.Tensor,
        );
        const axis = dim < 0 ? dim + 3 : dim;
        expect(maxError(got.values[0], reference(x, shape, axis)), `${backend} dim ${dim}`).toBeLessThan(1e-6);
      }
  });

  it('gradient matches tfjs-cpu', async () => {
    await expectSameAsCpu(
      () =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor2d(values(4 * 13, 1), [4, 13]))))(
          tf.tensor2d(values(4 * 13, 2, -3, 3), [4, 13]),
        ),
      1e-6,
      'softmax grad',
      ['softmax_f32'],
    );
    await expectSameAsCpu(
      () => tf.grad((t: tf.Tensor) => tf.sum(tf.logSoftmax(t)))(tf.tensor2d(values(3 * 21, 3, -3, 3), [3, 21])),
      1e-5,
      'logSoftmax grad',
    );
  });
});
