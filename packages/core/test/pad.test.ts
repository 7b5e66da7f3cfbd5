import { describe, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { DTYPES, expectSameAsCpu, rng, valuesOf } from './compare.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('PadV2', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for random paddings and constants (${dtype})`, async () => {
      const r = rng(31);
      const constants = [0, 1, -1, 2.5, -7.75, 300];
      for (let rank = 1; rank <= 5; rank++) {
        for (let trial = 0; trial < 10; trial++) {
          const shape = Array.from({ length: rank }, () => r(5));
          // Whole dims unpadded too, so that the block folding and dim merging get exercised.
          const paddings = shape.map(() => (r(3) === 0 ? [0, 0] : [r(4), r(4)]) as [number, number]);
          const c = constants[r(constants.length)];
          const vals = valuesOf(dtype, size(shape), trial);
          await expectSameAsCpu(() => tf.pad(tf.tensor(vals, shape, dtype), paddings, c), `${shape} ${paddings} ${c}`);
        }
      }
    });
  }

  it('matches for image-like NHWC padding (C at every SIMD remainder)', async () => {
    for (const c of [1, 2, 3, 4, 5, 8]) {
      const vals = valuesOf('float32', 2 * 5 * 6 * c, c);
      await expectSameAsCpu(() =>
        tf.pad(tf.tensor4d(vals, [2, 5, 6, c]), [
          [0, 0],
          [1, 2],
          [2, 1],
          [0, 0],
        ]),
      );
    }
  });

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 12);
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) =>
        tf
          .pad(
            x,
            [
              [1, 0],
              [2, 3],
            ],
            4,
          )
          .square(),
      )(tf.tensor2d(vals, [3, 4])),
    );
  });
});

describe('MirrorPad', () => {
  beforeAll(lanes);

  for (const mode of ['reflect', 'symmetric'] as const) {
    for (const dtype of DTYPES) {
      it(`matches tfjs-backend-cpu in ${mode} mode (${dtype})`, async () => {
        const r = rng(mode === 'reflect' ? 41 : 43);
        const off = mode === 'reflect' ? 1 : 0;
        for (let rank = 1; rank <= 4; rank++) {
          for (let trial = 0; trial < 12; trial++) {
            const shape = Array.from({ length: rank }, () => 1 + r(5));
            const paddings = shape.map(
              (n) => (r(3) === 0 ? [0, 0] : [r(n - off + 1), r(n - off + 1)]) as [number, number],
            );
            const vals = valuesOf(dtype, size(shape), trial);
            await expectSameAsCpu(
              () => tf.mirrorPad(tf.tensor(vals, shape, dtype), paddings, mode),
              `${shape} ${paddings}`,
            );
          }
        }
      });
    }
  }

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 20);
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) =>
        tf
          .mirrorPad(
            x,
            [
              [2, 1],
              [3, 3],
            ],
            'reflect',
          )
          .square(),
      )(tf.tensor2d(vals, [4, 5])),
    );
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) =>
        tf
          .mirrorPad(
            x,
            [
              [2, 1],
              [3, 3],
            ],
            'symmetric',
          )
          .square(),
      )(tf.tensor2d(vals, [4, 5])),
    );
  });
});
