import { describe, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes } from './helpers.js';
import { DTYPES, expectSameAsCpu, expectSameErrorAsCpu, rng, valuesOf } from './compare.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('GatherV2', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for every axis and batchDims (${dtype})`, async () => {
      const r = rng(71);
      for (let rank = 1; rank <= 4; rank++) {
        for (let trial = 0; trial < 10; trial++) {
          const shape = Array.from({ length: rank }, () => 1 + r(4));
          const batchDims = r(rank);
          const axis = batchDims + r(rank - batchDims);
          const idxShape = [...shape.slice(0, batchDims), ...Array.from({ length: r(3) }, () => r(4))];
          const idx = Array.from({ length: size(idxShape) }, () => r(shape[axis]));
          const vals = valuesOf(dtype, size(shape), trial);
          await expectSameAsCpu(
            () => tf.gather(tf.tensor(vals, shape, dtype), tf.tensor(idx, idxShape, 'int32'), axis, batchDims),
            `${shape} ${idxShape} axis ${axis} batchDims ${batchDims}`,
          );
        }
      }
    });
  }

  it('rejects out-of-range indices with the same message', async () => {
    await expectSameErrorAsCpu(() => tf.gather(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([0, 2], 'int32')));
    await expectSameErrorAsCpu(() => tf.gather(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([-1], 'int32'), 1));
  });

  it('has the gradient of tfjs-backend-cpu', async () => {
    const vals = valuesOf('float32', 12);
    await expectSameAsCpu(() =>
      tf.grad((x: tf.Tensor) => tf.gather(x, tf.tensor1d([2, 0, 2, 1], 'int32'), 1).square())(
        tf.tensor2d(vals, [4, 3]),
      ),
    );
  });
});

describe('GatherNd', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu for every index depth (${dtype})`, async () => {
      const r = rng(73);
      for (let rank = 1; rank <= 4; rank++) {
        for (let trial = 0; trial < 8; trial++) {
          const shape = Array.from({ length: rank }, () => 1 + r(4));
          const depth = 1 + r(rank);
          const idxShape = [...Array.from({ length: r(3) }, () => r(4)), depth];
          const idx: number[] = [];
          for (let i = 0; i < size(idxShape) / depth; i++) for (let j = 0; j < depth; j++) idx.push(r(shape[j]));
          const vals = valuesOf(dtype, size(shape), trial);
          await expectSameAsCpu(
            () => tf.gatherND(tf.tensor(vals, shape, dtype), tf.tensor(idx, idxShape, 'int32')),
            `${shape} ${idxShape}`,
          );
        }
      }
    });
  }

  it('rejects out-of-range indices with the same message', async () => {
    await expectSameErrorAsCpu(() =>
      tf.gatherND(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([0, 0, 2, 0], [2, 2], 'int32')),
    );
  });
});

describe('ScatterNd', () => {
  beforeAll(lanes);

  for (const dtype of DTYPES) {
    it(`matches tfjs-backend-cpu, duplicate indices summed (${dtype})`, async () => {
      const r = rng(79);
      for (let rank = 1; rank <= 4; rank++) {
        for (let trial = 0; trial < 8; trial++) {
          const shape = Array.from({ length: rank }, () => 1 + r(4));
          const depth = 1 + r(rank);
          const n = r(9);
          const idx: number[] = [];
          for (let i = 0; i < n; i++) for (let j = 0; j < depth; j++) idx.push(r(shape[j]));
          const updShape = [n, ...shape.slice(depth)];
          const upd = valuesOf(dtype === 'int32' ? 'int32' : dtype, size(updShape), trial);
          await expectSameAsCpu(
            () => tf.scatterND(tf.tensor(idx, [n, depth], 'int32'), tf.tensor(upd, updShape, dtype), shape),
            `${shape} depth ${depth} n ${n}`,
          );
        }
      }
    });
  }

  it('rejects out-of-range indices with the same message', async () => {
    await expectSameErrorAsCpu(() => tf.scatterND(tf.tensor2d([0, 3], [2, 1], 'int32'), tf.tensor1d([1, 2]), [3]));
  });
});
