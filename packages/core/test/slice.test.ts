import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { DTYPES, expectSameAsCpu, runLanes, runOn, rng, valuesOf } from './compare.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('Slice', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for random begins and sizes (-1 included) (${dtype})`, async () => {
      const r = rng(3);
      for (let rank = 1; rank <= 5; rank++) {
        for (let trial = 0; trial < 12; trial++) {
          const shape = Array.from({ length: rank }, () => r(6));
          const begin = shape.map((n) => r(n + 1));
          const sz = shape.map((n, d) => (r(4) === 0 ? -1 : r(n - begin[d] + 1)));
          const vals = valuesOf(dtype, size(shape), trial);
          await expectSameAsCpu(() => tf.slice(tf.tensor(vals, shape, dtype), begin, sz), `${shape} ${begin} ${sz}`);
        }
      }
    });
  }

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 4 * 5 * 3);
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) => tf.slice(x, [1, 0, 1], [2, -1, 2]).square())(tf.tensor3d(vals, [4, 5, 3])),
    );
  });
});

interface Spec {
  begin: number[];
  end: number[];
  strides: number[];
  beginMask: number;
  endMask: number;
  ellipsisMask: number;
  newAxisMask: number;
  shrinkAxisMask: number;
}

const strided = (x: tf.Tensor, s: Spec) =>
  tf.stridedSlice(
    x,
    s.begin,
    s.end,
    s.strides,
    s.beginMask,
    s.endMask,
    s.ellipsisMask,
    s.newAxisMask,
    s.shrinkAxisMask,
  );

describe('StridedSlice', () => {
  beforeAll(lanes);

  it('follows TensorFlow where tfjs-backend-cpu misreads a shrunk axis after a strided one', async () => {
    const got = await runLanes(() =>
      strided(tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]), {
        begin: [0, 1, 0],
        end: [3, 2, 5],
        strides: [2, 1, 2],
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 2,
      }),
    );
    // x[0::2, 1, 0::2]
    expect(got).toEqual([{ shape: [2, 3], dtype: 'int32', values: [5, 7, 9, 45, 47, 49] }]);
  });

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for random negative, masked and strided slices (${dtype})`, async () => {
      const r = rng(17);
      let compared = 0;
      for (let trial = 0; trial < 250; trial++) {
        const rank = 1 + r(4);
        const shape = Array.from({ length: rank }, () => r(6));
        const n = rank - (r(3) === 0 ? 1 : 0); // sometimes fewer specs than dims
        const pick = (d: number) => r(2 * shape[d] + 5) - shape[d] - 2;
        const spec: Spec = {
          begin: Array.from({ length: n }, (_, d) => pick(d)),
          end: Array.from({ length: n }, (_, d) => pick(d)),
          strides: Array.from({ length: n }, () => [-3, -2, -1, 1, 1, 2, 3][r(7)]),
          beginMask: r(1 << n),
          endMask: r(1 << n),
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        };
        const kind = r(4);
        if (kind === 1) spec.ellipsisMask = 1 << r(n);
        if (kind === 2) spec.newAxisMask = r(1 << n);
        const vals = valuesOf(dtype, size(shape), trial);
        const make = () => strided(tf.tensor(vals, shape, dtype), spec);
        const cpu = await runOn('cpu', make);
        if (typeof cpu === 'string') continue; // invalid spec: both backends validate with slice_util
        expect(await runLanes(make), `${shape} ${JSON.stringify(spec)}`).toEqual(cpu);
        compared++;
      }
      expect(compared).toBeGreaterThan(150);
    });
  }

  it('shrinks axes as TensorFlow does (oracle: the unshrunk slice on cpu, reshaped)', async () => {
    const r = rng(23);
    let compared = 0;
    for (let trial = 0; trial < 200; trial++) {
      const rank = 1 + r(4);
      const shape = Array.from({ length: rank }, () => 1 + r(5));
      const shrink = 1 + r((1 << rank) - 1);
      const spec: Spec = {
        begin: shape.map((n) => r(2 * n) - n),
        end: shape.map((n) => r(2 * n + 1) - n),
        strides: shape.map(() => [-2, -1, 1, 2, 3][r(5)]),
        beginMask: r(1 << rank),
        endMask: r(1 << rank),
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: shrink,
      };
      // The same selection without shrinking: index i becomes the range [i, i + 1).
      const wide: Spec = {
        ...spec,
        begin: spec.begin.slice(),
        end: spec.end.slice(),
        strides: spec.strides.slice(),
        shrinkAxisMask: 0,
      };
      const kept: number[] = [];
      shape.forEach((n, d) => {
        if (!(shrink & (1 << d))) return;
        const i = spec.begin[d] < 0 ? spec.begin[d] + n : spec.begin[d];
        wide.begin[d] = i;
        wide.end[d] = i + 1;
        wide.strides[d] = 1;
        wide.beginMask &= ~(1 << d);
        wide.endMask &= ~(1 << d);
      });
      shape.forEach((_, d) => {
        if (!(shrink & (1 << d))) kept.push(d);
      });
      spec.strides = spec.strides.map((s, d) => (shrink & (1 << d) ? 1 : s));
      const vals = valuesOf('float32', size(shape), trial);
      const oracle = await runOn('cpu', () => {
        const y = strided(tf.tensor(vals, shape), wide);
        return y.reshape(kept.map((d) => y.shape[d]));
      });
      const got = await runLanes(() => strided(tf.tensor(vals, shape), spec));
      if (typeof oracle === 'string') {
        expect(typeof got).toBe('string');
        continue;
      }
      expect(got, `${shape} ${JSON.stringify(spec)}`).toEqual(oracle);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('Unpack and SplitV', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`unstack and split match tfjs-backend-cpu on every axis (${dtype})`, async () => {
      for (const shape of [[4], [3, 4], [2, 0, 3], [2, 3, 4, 2]]) {
        const vals = valuesOf(dtype, size(shape));
        for (let axis = 0; axis < shape.length; axis++) {
          await expectSameAsCpu(() => tf.unstack(tf.tensor(vals, shape, dtype), axis), `unstack ${shape} ${axis}`);
          if (shape[axis] % 2 === 0)
            await expectSameAsCpu(() => tf.split(tf.tensor(vals, shape, dtype), 2, axis), `split ${shape} ${axis}`);
          if (shape[axis] >= 3)
            await expectSameAsCpu(() => tf.split(tf.tensor(vals, shape, dtype), [1, -1, 1], -shape.length + axis));
        }
      }
    });
  }

  it('have the gradients of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 24);
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) => tf.add(tf.split(x, [1, 3], 1)[1].sum(), tf.unstack(x, 2)[1].square().sum()))(
        tf.tensor3d(vals, [2, 4, 3]),
      ),
    );
  });
});
