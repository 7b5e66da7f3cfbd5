import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { setThreadsCount } from '../src/index.js';

// The cases of issue 22 where 'lanes' gave other answers than float64: floorDiv rounded its
// quotient to float32 before the floor, and the two resize gradients ignored halfPixelCenters
// (as tfjs-backend-cpu does). Each is asserted at 1 and 2 threads against the float64 answer.

afterAll(async () => {
  await setThreadsCount(1);
});

async function values(program: () => tf.Tensor): Promise<{ dtype: string; values: number[] }> {
  const y = tf.tidy(program);
  const out = { dtype: y.dtype, values: Array.from(await y.data()) };
  y.dispose();
  return out;
}

describe.each([1, 2])('at %i thread(s)', (threads) => {
  it('floorDiv takes the float64 floor of x / y, stored as int32', async () => {
    await lanes();
    expect(await setThreadsCount(threads)).toBe(threads);
    const x = [0.7, 2.3, 1, 0.5, 1e8];
    const y = [0.1, 0.1, 0.1, 0.1, 3];
    const want = x.map((a, i) => Math.floor(Math.fround(a) / Math.fround(y[i]!)));
    expect(want).toEqual([6, 22, 9, 4, 33333333]);
    expect(await values(() => tf.floorDiv(tf.tensor1d(x), tf.tensor1d(y)))).toEqual({ dtype: 'int32', values: want });
    // Broadcast paths: a scalar divisor, a scalar dividend, a row against a column.
    expect((await values(() => tf.floorDiv(tf.tensor1d([0.7, 2.3, 1, 0.5]), tf.scalar(0.1)))).values).toEqual([
      6, 22, 9, 4,
    ]);
    expect((await values(() => tf.floorDiv(tf.scalar(1e8), tf.tensor1d([3, 7, 0.1])))).values).toEqual(
      [3, 7, 0.1].map((d) => Math.floor(1e8 / Math.fround(d)) | 0),
    );
    const col = tf.tensor2d([0.7, 2.3, 1, 1e8, -1e8], [5, 1]);
    const row = tf.tensor2d([0.1, 3, -0.1, 7, 0.3], [1, 5]);
    const got = (await values(() => tf.floorDiv(col, row))).values;
    const c = col.dataSync(),
      r = row.dataSync();
    expect(got).toEqual(Array.from({ length: 25 }, (_, k) => Math.floor(c[Math.floor(k / 5)]! / r[k % 5]!) | 0));
    tf.dispose([col, row]);
    // floorDiv(a, b) * b + mod(a, b) = a: both now work from the float64 quotient.
    const a = tf.tensor1d([0.7, 2.3, 1, 0.5]);
    const b = tf.tensor1d([0.1, 0.1, 0.1, 0.1]);
    const back = await values(() => tf.floorDiv(a, b).toFloat().mul(b).add(tf.mod(a, b)).sub(a).abs());
    expect(Math.max(...back.values)).toBeLessThan(1e-6);
    tf.dispose([a, b]);
  });

  it('the bilinear resize gradient honours halfPixelCenters', async () => {
    await lanes();
    await setThreadsCount(threads);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, [2, 2], false, true)));
    const got = await values(() => grad(tf.ones([1, 3, 3, 1])));
    expect(got.values).toEqual([0.5625, 0.375, 0.5625, 0.375, 0.25, 0.375, 0.5625, 0.375, 0.5625]);
  });

  it('the nearest-neighbour resize gradient honours halfPixelCenters', async () => {
    await lanes();
    await setThreadsCount(threads);
    // 3 -> 2 with half-pixel centres samples rows/columns floor(1.5 * (i + 0.5)) = 0 and 2;
    // 2 -> 5 samples floor(0.4 * (i + 0.5)) = 0, 0, 1, 1, 1 (corner-aligned sampling: 0, 0, 0, 1, 1).
    const shrink = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [2, 2], false, true)),
    );
    expect((await values(() => shrink(tf.ones([1, 3, 3, 1])))).values).toEqual([1, 0, 1, 0, 0, 0, 1, 0, 1]);
    const grow = tf.grad((x: tf.Tensor) =>
      tf.sum(
        tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [1, 5], false, true).mul(tf.range(1, 6).reshape([1, 1, 5, 1])),
      ),
    );
    expect((await values(() => grow(tf.ones([1, 1, 2, 1])))).values).toEqual([1 + 2, 3 + 4 + 5]);
  });
});
