import { describe, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { expect } from 'vitest';
import { DTYPES, expectSameAsCpu, runLanes } from './compare.js';

const special = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.7,
  -1.7,
  2.5,
  NaN,
  Infinity,
  -Infinity,
  2147483520,
  2147483648,
  -2147483648,
  -2147483904,
  3e9,
  -3e9,
  1e10,
  1.5e20,
  -3.4e38,
  16777217,
  123456789,
];

describe('Cast', () => {
  beforeAll(lanes);

  for (const from of DTYPES)
    for (const to of DTYPES) {
      it(`matches tfjs-backend-cpu from ${from} to ${to} (special values, every SIMD remainder)`, async () => {
        let vals =
          from === 'float32'
            ? special
            : from === 'int32'
              ? special.map((v) => new Int32Array([v])[0])
              : special.map((_, i) => i % 2);
        // tfjs-backend-cpu shares the int32 array, so its "float32" result keeps integers that float32
        // cannot hold; those are checked separately below.
        if (from === 'int32' && to === 'float32') vals = vals.filter((v) => Math.fround(v) === v);
        for (const n of [0, 1, 3, 4, 5, 7, vals.length]) {
          // Values written from JS convert in JS; a wasm kernel's output (tile) converts in wasm.
          await expectSameAsCpu(() => tf.cast(tf.tensor1d(vals.slice(0, n), from), to), `${n}`);
          await expectSameAsCpu(() => tf.cast(tf.tile(tf.tensor1d(vals.slice(0, n), from), [2]), to), `${n} from wasm`);
        }
      });
    }

  it('rounds int32 to the nearest float32 (cpu keeps the unrounded integers)', async () => {
    const ints = [16777217, 123456789, -2147483647, 2147483647, 33554435];
    const got = await runLanes(() => tf.cast(tf.tensor1d(ints, 'int32'), 'float32'));
    expect(got).toEqual([{ shape: [5], dtype: 'float32', values: ints.map(Math.fround) }]);
  });

  it('gives values that float32 kernels then read correctly (int32 -> float32 -> add)', async () => {
    await expectSameAsCpu(() =>
      tf.add(tf.cast(tf.tensor1d([1, 2, -3, 40000000], 'int32'), 'float32'), tf.tensor1d([0.5, 0.5, 0.5, 0.5])),
    );
    await expectSameAsCpu(() =>
      tf.add(tf.cast(tf.tensor1d([1, 0, 1], 'bool'), 'float32'), tf.tensor1d([0.5, 0.5, 0.5])),
    );
  });
});

describe('Fill, ZerosLike, OnesLike', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`match tfjs-backend-cpu (${dtype})`, async () => {
      for (const shape of [[0], [1], [3], [2, 5], [4, 4, 3]]) {
        for (const v of [0, 1, -2.75, 300, 7]) await expectSameAsCpu(() => tf.fill(shape, v, dtype), `${shape} ${v}`);
        await expectSameAsCpu(() => tf.zerosLike(tf.fill(shape, 3, dtype)));
        await expectSameAsCpu(() => tf.onesLike(tf.fill(shape, 0, dtype)));
      }
    });
  }
});
