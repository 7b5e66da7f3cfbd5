import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes, randomFloats } from './helpers.js';

// Sum / Mean / Max / Min / Prod (kernels/reduce.ts) against plain TypeScript references: every
// length around the SIMD loop (8 values per step from 16 on, scalar below and in the tail), every
// subset of axes of a rank-3 tensor (non-innermost axes go through a transpose), keepDims, and the
// special values tfjs defines.

type Name = 'sum' | 'mean' | 'max' | 'min' | 'prod';
const ops: Record<Name, (x: tf.Tensor, axis?: number | number[], keepDims?: boolean) => tf.Tensor> = {
  sum: tf.sum,
  mean: tf.mean,
  max: tf.max,
  min: tf.min,
  prod: tf.prod,
};

/** Float64 reference of one reduced run; an empty run gives TensorFlow's identity values. */
function reduceRef(name: Name, xs: number[]): number {
  switch (name) {
    case 'sum':
      return xs.reduce((s, x) => s + x, 0);
    case 'mean':
      return xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'prod':
      return xs.reduce((s, x) => s * x, 1);
    // NaN wins, as tfjs-backend-cpu's `isNaN(v) || v > max`.
    case 'max':
      return xs.reduce((m, x) => (Number.isNaN(m) || Number.isNaN(x) ? NaN : Math.max(m, x)), -Infinity);
    case 'min':
      return xs.reduce((m, x) => (Number.isNaN(m) || Number.isNaN(x) ? NaN : Math.min(m, x)), Infinity);
  }
}

/**
 * Allowed error of a float32 result against the float64 reference: max and min are exact; a sum
 * in any order of n float32 terms is within (n-1)·2^-24·Σ|x| of the exact sum (the standard
 * recursive-summation bound), plus the final rounding; mean divides that by n (one more rounding);
 * a product of n terms is within about n·2^-24 relative.
 */
function bound(name: Name, xs: number[], want: number): number {
  const u = 2 ** -24,
    n = xs.length;
  const absSum = xs.reduce((s, x) => s + Math.abs(x), 0);
  switch (name) {
    case 'max':
    case 'min':
      return 0;
    case 'sum':
      return (n * absSum + Math.abs(want)) * u;
    case 'mean':
      return ((n * absSum) / Math.max(n, 1) + 2 * Math.abs(want)) * u;
    case 'prod':
      return (n + 1) * u * Math.abs(want);
  }
}

function close(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= tol;
}

/** Reference over `axes` of a row-major tensor: gathers each output's run, reduces it in float64. */
function refReduce(
  name: Name,
  x: Float32Array,
  shape: number[],
  axes: number[],
): { values: number[]; runs: number[][] } {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outSize = kept.reduce((p, d) => p * shape[d]!, 1);
  const runs: number[][] = Array.from({ length: outSize }, () => []);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1));
  for (let flat = 0; flat < x.length; flat++) {
    let o = 0;
    for (const d of kept) o = o * shape[d]! + (Math.floor(flat / strides[d]!) % shape[d]!);
    runs[o]!.push(x[flat]!);
  }
  return { values: runs.map((r) => reduceRef(name, r)), runs };
}

function mismatches(name: Name, got: ArrayLike<number>, ref: { values: number[]; runs: number[][] }): string[] {
  const bad: string[] = [];
  ref.values.forEach((want, i) => {
    const tol = bound(name, ref.runs[i]!, want);
    if (!close(got[i]!, want, tol)) bad.push(`[${i}] got ${got[i]} want ${want} (tol ${tol})`);
  });
  return bad;
}

/** Random floats; for prod near 1 so long products neither vanish nor overflow. */
function data(name: Name, n: number, seed: number): Float32Array {
  const u = randomFloats(n, seed);
  return name === 'prod' ? u.map((v) => 1 + v * 0.25) : u.map((v) => v * 3);
}

describe('reduce float32 kernels', () => {
  beforeAll(lanes);

  for (const name of Object.keys(ops) as Name[]) {
    it(`${name} over the last axis at every length around the SIMD loop`, () => {
      const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 18, 19, 20, 23, 24, 25, 31, 32, 33, 100, 1023];
      for (const n of lengths)
        for (const rows of [1, 3]) {
          const x = data(name, rows * n, n * 13 + rows);
          const got = tf.tidy(() => ops[name](tf.tensor2d(x, [rows, n]), -1).dataSync());
          expect(got, `n=${n} rows=${rows}`).toHaveLength(rows);
          expect(mismatches(name, got, refReduce(name, x, [rows, n], [1])), `n=${n} rows=${rows}`).toEqual([]);
        }
    });

    it(`${name} over every subset of axes of a [3, 5, 18] tensor, with and without keepDims`, () => {
      const shape = [3, 5, 18];
      const x = data(name, 3 * 5 * 18, 77);
      for (const axes of [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]])
        for (const keepDims of [false, true]) {
          const y = tf.tidy(() => {
            const t = ops[name](tf.tensor3d(x, shape as [number, number, number]), axes, keepDims);
            return { shape: t.shape, data: t.dataSync() };
          });
          const kept = shape
            .map((d, i) => (axes.includes(i) ? (keepDims ? 1 : 0) : d))
            .filter((d) => d > 0 || !keepDims);
          expect(y.shape, `axes ${axes} keepDims ${keepDims}`).toEqual(
            keepDims ? kept : shape.filter((_, i) => !axes.includes(i)),
          );
          expect(mismatches(name, y.data, refReduce(name, x, shape, axes)), `axes ${axes}`).toEqual([]);
        }
    });

    it(`${name} with NaN and ±Inf in SIMD lanes and in the scalar tail`, () => {
      // 21 values per row: 16 through the 8-wide loop, 5 in the tail; the special sits in each half.
      const rows: number[][] = [];
      for (const special of [NaN, Infinity, -Infinity])
        for (const at of [0, 3, 9, 15, 16, 20]) {
          const row = Array.from(data(name, 21, at + 1));
          row[at] = special;
          rows.push(row);
        }
      rows.push([Infinity, -Infinity, ...new Array(19).fill(1)]);
      const x = Float32Array.from(rows.flat());
      const got = tf.tidy(() => ops[name](tf.tensor2d(x, [rows.length, 21]), 1).dataSync());
      expect(mismatches(name, got, refReduce(name, x, [rows.length, 21], [1]))).toEqual([]);
    });
  }

  it('reduces an empty axis to the identity: sum 0, prod 1, max -Inf, min +Inf, mean NaN', () => {
    // tfjs-backend-cpu leaves max/min of an empty run undefined (NaN); TensorFlow returns the identity.
    const x = tf.zeros([3, 0]);
    expect(Array.from(tf.sum(x, 1).dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(tf.prod(x, 1).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(tf.max(x, 1).dataSync())).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(tf.min(x, 1).dataSync())).toEqual([Infinity, Infinity, Infinity]);
    expect(Array.from(tf.mean(x, 1).dataSync()).every(Number.isNaN)).toBe(true);
    expect(tf.sum(tf.zeros([0, 4]), 1).shape).toEqual([0]);
  });

  it('sums int32 and bool exactly (tfjs-backend-cpu kernel on lanes storage)', () => {
    const ints = tf.tensor2d([1, 2, 3, 2147483600, 40, 7], [2, 3], 'int32');
    expect(Array.from(tf.sum(ints, 1).dataSync())).toEqual([6, 2147483647]);
    expect(tf.sum(ints, 1).dtype).toBe('int32');
    const bools = tf.tensor2d([true, false, true, true, true, false], [3, 2], 'bool');
    expect(Array.from(tf.sum(bools, 0).dataSync())).toEqual([3, 1]);
    // tfjs-backend-cpu's Mean divides each term first, so the float32 result is 7/3 within 2 ulps.
    expect(tf.mean(tf.tensor1d([1, 2, 4], 'int32')).dataSync()[0]).toBeCloseTo(7 / 3, 6);
  });
});
