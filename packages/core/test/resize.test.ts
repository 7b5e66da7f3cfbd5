import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { expectCloseToCpu, expectSameAsCpu, runLanes, runOn, rng, valuesOf } from './compare.js';
import { maxRelError } from './helpers.js';

// Bilinear runs in float32 (tfjs-backend-cpu: f64, rounded once). Measured worst case over these
// tests: 9e-8 relative to max(1, |value|), forward and gradient.
const FORWARD_TOL = 1e-6;
const GRAD_TOL = 1e-6;

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
/**
 * The nearest-neighbour gradient against tfjs-backend-cpu run one image at a time: for batch > 1
 * it offsets dy by the images' batch stride, reading past dy (NaN) when their sizes differ.
 */
async function expectNearestGrad(
  vals: number[],
  shape: [number, number, number, number],
  out: [number, number],
  alignCorners: boolean,
  weights: number[],
) {
  const [b, h, w, c] = shape;
  const grad = (x: tf.Tensor4D, wt: tf.Tensor4D) =>
    tf.grad((t: tf.Tensor) =>
      tf.image
        .resizeNearestNeighbor(t as tf.Tensor4D, out, alignCorners)
        .mul(wt)
        .sum(),
    )(x);
  const perImage = await runOn('cpu', () =>
    tf.concat(
      Array.from({ length: b }, (_, i) =>
        grad(
          tf.tensor4d(vals.slice(i * h * w * c, (i + 1) * h * w * c), [1, h, w, c]),
          tf.tensor4d(weights.slice(i * out[0] * out[1] * c, (i + 1) * out[0] * out[1] * c), [1, ...out, c]),
        ),
      ),
    ),
  );
  const got = await runLanes(() => grad(tf.tensor4d(vals, shape), tf.tensor4d(weights, [b, ...out, c])));
  expect(got, `${shape} -> ${out}`).toEqual(perImage);
}

const MODES = [
  [false, false],
  [true, false],
  [false, true],
] as const; // [alignCorners, halfPixelCenters]

describe('ResizeBilinear and ResizeNearestNeighbor', () => {
  beforeAll(lanes);

  for (const [alignCorners, halfPixel] of MODES) {
    it(`match tfjs-backend-cpu exactly (alignCorners=${alignCorners}, halfPixelCenters=${halfPixel})`, async () => {
      const r = rng(alignCorners ? 83 : halfPixel ? 89 : 97);
      for (let trial = 0; trial < 30; trial++) {
        const shape: [number, number, number, number] = [1 + r(2), 1 + r(6), 1 + r(6), 1 + r(9)];
        const out: [number, number] = [1 + r(9), 1 + r(9)];
        const vals = valuesOf('float32', size(shape), trial);
        const what = `${shape} -> ${out}`;
        await expectCloseToCpu(
          () => tf.image.resizeBilinear(tf.tensor4d(vals, shape), out, alignCorners, halfPixel),
          FORWARD_TOL,
          what,
        );
        await expectSameAsCpu(
          () => tf.image.resizeNearestNeighbor(tf.tensor4d(vals, shape), out, alignCorners, halfPixel),
          what,
        );
        const ints = vals.map((v) => Math.round(v * 1000));
        await expectSameAsCpu(
          () => tf.image.resizeNearestNeighbor(tf.tensor4d(ints, shape, 'int32'), out, alignCorners, halfPixel),
          what,
        );
      }
    });
  }

  it('resizes bool images (nearest, kernel called directly) and int32 images (bilinear, through the cpu kernel)', async () => {
    const vals = valuesOf('bool', 2 * 3 * 4 * 2);
    await expectSameAsCpu(
      () =>
        tf
          .engine()
          .runKernel(
            'ResizeNearestNeighbor',
            { images: tf.tensor4d(vals, [2, 3, 4, 2], 'bool') },
            { size: [5, 3], alignCorners: false, halfPixelCenters: false },
          ) as tf.Tensor,
    );
    await expectSameAsCpu(() => tf.image.resizeBilinear(tf.tensor4d(vals, [2, 3, 4, 2], 'int32'), [5, 3]));
  });

  for (const alignCorners of [false, true]) {
    it(`have the gradients of tfjs-backend-cpu (alignCorners=${alignCorners})`, async () => {
      const r = rng(alignCorners ? 101 : 103);
      for (let trial = 0; trial < 20; trial++) {
        const h = 1 + r(6),
          c = 1 + r(9);
        const square: [number, number, number, number] = [1 + r(2), h, h, c];
        const out: [number, number] = [1 + r(9), 1 + r(9)];
        const vals = valuesOf('float32', size(square), trial);
        const weights = valuesOf('float32', square[0] * out[0] * out[1] * c, trial + 1);
        const loss = (f: (x: tf.Tensor4D) => tf.Tensor4D) => (x: tf.Tensor) =>
          f(x as tf.Tensor4D)
            .mul(tf.tensor4d(weights, [square[0], ...out, c]))
            .sum();
        await expectCloseToCpu(
          () => tf.grad(loss((x) => tf.image.resizeBilinear(x, out, alignCorners)))(tf.tensor4d(vals, square)),
          GRAD_TOL,
          `${square} -> ${out}`,
        );
        // tfjs-backend-cpu loops forever on a 1-pixel side with alignCorners (see the test below).
        if (!(alignCorners && h === 1)) await expectNearestGrad(vals, square, out, alignCorners, weights);
      }
    });
  }

  it('gives the bilinear gradient of non-square images the images shape (cpu swaps H and W)', async () => {
    const r = rng(107);
    for (let trial = 0; trial < 20; trial++) {
      const shape: [number, number, number, number] = [1 + r(2), 1 + r(6), 1 + r(6), 1 + r(5)];
      const dyShape = [shape[0], 1 + r(9), 1 + r(9), shape[3]];
      const dy = valuesOf('float32', size(dyShape), trial);
      for (const alignCorners of [false, true]) {
        const run = () =>
          tf
            .engine()
            .runKernel(
              'ResizeBilinearGrad',
              { images: tf.zeros(shape), dy: tf.tensor(dy, dyShape) },
              { alignCorners },
            ) as tf.Tensor;
        const cpu = await runOn('cpu', run);
        const got = await runLanes(run);
        if (typeof cpu === 'string' || typeof got === 'string') throw new Error(`${cpu} / ${got}`);
        expect(got[0].shape).toEqual(shape);
        expect(maxRelError(got[0].values, cpu[0].values)).toBeLessThanOrEqual(GRAD_TOL);
      }
    }
  });

  it('sends the whole nearest gradient to a 1-pixel side with alignCorners (where cpu never returns)', async () => {
    const dy = [1, 2, 3, 4, 5, 6];
    const got = await runLanes(
      () =>
        tf
          .engine()
          .runKernel(
            'ResizeNearestNeighborGrad',
            { images: tf.zeros([1, 1, 2, 1]), dy: tf.tensor4d(dy, [1, 3, 2, 1]) },
            { alignCorners: true },
          ) as tf.Tensor,
    );
    expect(got).toEqual([{ shape: [1, 1, 2, 1], dtype: 'float32', values: [1 + 3 + 5, 2 + 4 + 6] }]);
  });

  it('sums many dy pixels into each dx pixel when shrinking (nearest gradient)', async () => {
    const vals = valuesOf('float32', 2 * 9 * 13 * 3);
    for (const alignCorners of [false, true]) {
      await expectNearestGrad(vals, [2, 9, 13, 3], [3, 4], alignCorners, valuesOf('float32', 2 * 3 * 4 * 3, 5));
      await expectCloseToCpu(
        () =>
          tf.grad((x: tf.Tensor) =>
            tf.image
              .resizeBilinear(x as tf.Tensor4D, [4, 4], alignCorners)
              .square()
              .sum(),
          )(tf.tensor4d(vals.slice(0, 2 * 9 * 9 * 3), [2, 9, 9, 3])),
        GRAD_TOL,
      );
    }
  });
});
