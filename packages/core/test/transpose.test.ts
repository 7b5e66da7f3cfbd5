import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import { DTYPES, expectSameAsCpu, rng, valuesOf } from './compare.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => [...Array(n).keys()].map((i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('Transpose', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for every rank 1..6 (${dtype})`, async () => {
      const r = rng(11);
      const dims = [0, 1, 2, 3, 4, 5, 7];
      for (let rank = 1; rank <= 6; rank++) {
        const perms =
          rank <= 4
            ? permutations(rank)
            : Array.from({ length: 12 }, () => {
                const p = [...Array(rank).keys()];
                for (let i = rank - 1; i > 0; i--) {
                  const j = r(i + 1);
                  [p[i], p[j]] = [p[j], p[i]];
                }
                return p;
              });
        for (const perm of perms) {
          for (let trial = 0; trial < (rank <= 3 ? 4 : 2); trial++) {
            const shape = Array.from({ length: rank }, () => dims[r(dims.length)]);
            if (shape.reduce((a, b) => a * b, 1) > 3000) continue;
            const vals = valuesOf(
              dtype,
              shape.reduce((a, b) => a * b, 1),
              trial,
            );
            await expectSameAsCpu(() => tf.transpose(tf.tensor(vals, shape, dtype), perm), `${shape} ${perm}`);
          }
        }
      }
    });
  }

  it('matches at every 4x4 tile remainder and cache block edge (2-D and batched)', async () => {
    const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 63, 64, 65, 130];
    for (const P of sizes)
      for (const Q of [1, 3, 4, 5, 8, 13, 64, 67]) {
        const vals = valuesOf('float32', P * Q, P + Q);
        await expectSameAsCpu(() => tf.transpose(tf.tensor2d(vals, [P, Q])), `${P}x${Q}`);
        await expectSameAsCpu(
          () => tf.transpose(tf.tensor3d(valuesOf('int32', 3 * P * Q), [3, P, Q]), [0, 2, 1]),
          `3x${P}x${Q}`,
        );
      }
  });

  it('matches for NHWC <-> NCHW', async () => {
    for (const [n, h, w, c] of [
      [1, 5, 7, 3],
      [2, 8, 8, 16],
      [3, 9, 4, 5],
      [1, 1, 1, 9],
      [2, 6, 5, 1],
    ]) {
      const vals = valuesOf('float32', n * h * w * c, c);
      await expectSameAsCpu(() => tf.transpose(tf.tensor4d(vals, [n, h, w, c]), [0, 3, 1, 2]));
      await expectSameAsCpu(() => tf.transpose(tf.tensor4d(vals, [n, c, h, w]), [0, 2, 3, 1]));
    }
  });

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = Array.from(randomFloats(2 * 3 * 5, 3));
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) => tf.transpose(x, [2, 0, 1]).mul(tf.range(0, 30).reshape([5, 2, 3])))(
        tf.tensor3d(vals, [2, 3, 5]),
      ),
    );
  });

  it('lets reductions over outer axes use it (Sum/Max over axis 0 and [0, 2])', async () => {
    const vals = randomFloats(6 * 7 * 5, 9);
    for (const axis of [0, [0, 2], [1]]) {
      await tf.setBackend('cpu');
      const want = tf.sum(tf.tensor3d(vals, [6, 7, 5]), axis).dataSync();
      const wantMax = tf.max(tf.tensor3d(vals, [6, 7, 5]), axis).dataSync();
      await tf.setBackend('lanes');
      // float32 sums of up to 35 terms in another order
      expect(maxRelError(tf.sum(tf.tensor3d(vals, [6, 7, 5]), axis).dataSync(), want)).toBeLessThan(1e-5);
      expect(Array.from(tf.max(tf.tensor3d(vals, [6, 7, 5]), axis).dataSync())).toEqual(Array.from(wantMax));
    }
  });
});
