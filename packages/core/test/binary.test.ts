import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes, randomFloats } from './helpers.js';
import { planBroadcast } from '../src/kernels/shared/broadcast.js';

// Every float32 binary kernel of kernels/binary.ts against a plain TypeScript reference (tfjs-backend-cpu's
// formula in float64): same-shape at every SIMD remainder, every broadcast pattern up to rank 4,
// and the special values whose results tfjs defines.

const f = Math.fround;

interface Case {
  run: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  ref: (a: number, b: number) => number;
  /**
   * Allowed |got - ref| / max(1, |ref|). 0 where the kernel does one float32 operation (add, sub,
   * mul, div, max, min: a float64 result rounded to float32 is then the exact float32 result; the
   * reference rounds wherever the kernel does); 1e-6 (≈ 8 ulps) where a libm call in float64 is
   * rounded to float32 (pow, atan2: their libm and V8's can differ in the last float64 bits).
   */
  tol: number;
  /** Range of random values for b (a is in [-4, 4]). */
  bDomain?: [number, number];
}

function mod(a: number, b: number): number {
  const r = a % b;
  return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? r : (r + b) % b;
}

const cases: Record<string, Case> = {
  Add: { run: tf.add, ref: (a, b) => a + b, tol: 0 },
  Sub: { run: tf.sub, ref: (a, b) => a - b, tol: 0 },
  Multiply: { run: tf.mul, ref: (a, b) => a * b, tol: 0 },
  RealDiv: { run: tf.div, ref: (a, b) => a / b, tol: 0 },
  Maximum: { run: tf.maximum, ref: Math.max, tol: 0 },
  Minimum: { run: tf.minimum, ref: Math.min, tol: 0 },
  SquaredDifference: { run: tf.squaredDifference, ref: (a, b) => f(a - b) * f(a - b), tol: 0 },
  Pow: { run: tf.pow, ref: Math.pow, tol: 1e-6, bDomain: [-3, 3] },
  // int32 out, as tfjs defines FloorDiv: the float64 quotient's floor; NaN / ±Inf give 0, large ones wrap (ToInt32).
  FloorDiv: { run: tf.floorDiv, ref: (a, b) => Math.floor(a / b) | 0, tol: 0 },
  Mod: { run: tf.mod, ref: mod, tol: 0 },
  Atan2: { run: tf.atan2, ref: Math.atan2, tol: 1e-6 },
  Prelu: { run: (a, b) => tf.prelu(a, b), ref: (x, alpha) => (x < 0 ? x * alpha : x), tol: 0 },
};

/** Positions where got differs from the reference (NaN must match NaN, ±Inf exactly). */
function check(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): string[] {
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const w = f(want[i]!),
      g = got[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    if (!ok) bad.push(`[${i}] got ${g} want ${w}`);
    if (bad.length > 5) break;
  }
  return bad;
}

/** Row-major strides of `shape` aligned to `rank` (0 where the input broadcasts). */
function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[outShape.length - shape.length + i] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

/** out[idx] = op(a[idx mod a's shape], b[idx mod b's shape]), numpy broadcasting by index arithmetic. */
function refBroadcast(
  op: (a: number, b: number) => number,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
): { shape: number[]; values: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...new Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...new Array(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]!));
  const as = broadcastStrides(aShape, shape),
    bs = broadcastStrides(bShape, shape);
  const size = shape.reduce((x, y) => x * y, 1);
  const values: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rem = flat,
      ia = 0,
      ib = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
      ia += idx * as[d]!;
      ib += idx * bs[d]!;
    }
    values.push(op(a[ia]!, b[ib]!));
  }
  return { shape, values };
}

/** Every shape an operand can have against `outShape`: trailing dims kept, each full or 1. */
function patterns(outShape: number[]): number[][] {
  const out: number[][] = [];
  for (let r = 0; r <= outShape.length; r++) {
    const dims = outShape.slice(outShape.length - r);
    for (let mask = 0; mask < 1 << r; mask++) out.push(dims.map((d, i) => ((mask >> i) & 1 ? 1 : d)));
  }
  return out;
}

function values(n: number, seed: number, [lo, hi]: [number, number]): Float32Array {
  return randomFloats(n, seed).map((u) => lo + ((u + 1) / 2) * (hi - lo));
}

describe('binary float32 kernels', () => {
  beforeAll(lanes);

  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: same shapes at every SIMD remainder (tol ${c.tol})`, () => {
      for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 63, 1001]) {
        const a = values(n, n + 1, [-4, 4]),
          b = values(n, n + 2, c.bDomain ?? [-4, 4]);
        const got = tf.tidy(() => c.run(tf.tensor1d(a), tf.tensor1d(b)).dataSync());
        expect(got).toHaveLength(n);
        expect(
          check(
            got,
            Array.from(a, (x, i) => c.ref(x, b[i]!)),
            c.tol,
          ),
          `n=${n}`,
        ).toEqual([]);
      }
    });
  }

  // Sub has a SIMD form and Atan2 only a scalar one; both are order-sensitive, so a swapped
  // operand or stride shows. Output shapes leave remainders 1, 3 and 1 of the 4-lane loop.
  for (const outShape of [[7], [3, 5], [2, 3, 5], [2, 3, 2, 9]])
    for (const name of ['Sub', 'Atan2'])
      it(`${name}: every broadcast pattern against output shape [${outShape}]`, () => {
        const c = cases[name]!;
        const shapes = patterns(outShape);
        for (const aShape of shapes)
          for (const bShape of shapes) {
            const a = values(
              aShape.reduce((x, y) => x * y, 1),
              3,
              [-4, 4],
            );
            const b = values(
              bShape.reduce((x, y) => x * y, 1),
              4,
              [-4, 4],
            );
            const want = refBroadcast(c.ref, a, aShape, b, bShape);
            const got = tf.tidy(() => {
              const y = c.run(tf.tensor(a, aShape), tf.tensor(b, bShape));
              return { shape: y.shape, data: y.dataSync() };
            });
            expect(got.shape, `${aShape} vs ${bShape}`).toEqual(want.shape);
            expect(check(got.data, want.values, c.tol), `${aShape} vs ${bShape}`).toEqual([]);
          }
      });

  it('Prelu broadcasts alpha over channels (rank 4, channels 5 and 1)', () => {
    for (const alphaShape of [[5], [1], [1, 5], [3, 1, 5], [1, 1, 1, 1]]) {
      const xShape = [2, 3, 4, 5];
      const x = values(120, 8, [-4, 4]),
        alpha = values(
          alphaShape.reduce((p, q) => p * q, 1),
          9,
          [0, 1],
        );
      const want = refBroadcast(cases.Prelu!.ref, x, xShape, alpha, alphaShape);
      const got = tf.tidy(() => tf.prelu(tf.tensor(x, xShape), tf.tensor(alpha, alphaShape)).dataSync());
      expect(check(got, want.values, 0), `alpha ${alphaShape}`).toEqual([]);
    }
  });

  it('NaN, ±Inf and ±0 combine as tfjs defines them, in SIMD lanes, scalar tails and broadcasts', () => {
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5, -2.5, 3];
    const n = specials.length;
    // All pairs: a = specials[i], b = specials[j], as n·n elements (100: 4-lane body + no tail) and
    // as a [n, n+1] grid with one padding column, so that every pair is also met in a scalar tail.
    const a = new Float32Array(n * n),
      b = new Float32Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        a[i * n + j] = specials[i]!;
        b[i * n + j] = specials[j]!;
      }
    for (const [name, c] of Object.entries(cases)) {
      const got = tf.tidy(() => c.run(tf.tensor1d(a), tf.tensor1d(b)).dataSync());
      expect(
        check(
          got,
          Array.from(a, (x, i) => c.ref(x, b[i]!)),
          c.tol,
        ),
        name,
      ).toEqual([]);
      // Broadcast: a column [n, 1] against a row [n] (both operands broadcast).
      const col = Float32Array.from(specials),
        row = Float32Array.from(specials);
      const want = refBroadcast(c.ref, col, [n, 1], row, [n]);
      const gotB = tf.tidy(() => c.run(tf.tensor2d(col, [n, 1]), tf.tensor1d(row)).dataSync());
      expect(check(gotB, want.values, c.tol), `${name} broadcast`).toEqual([]);
    }
  });

  it('keeps the sign of zero in add, mul and div', () => {
    const z = tf.tensor1d([-0, -0, -0, -0, -0]);
    const isNegZero = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => Object.is(v, -0));
    expect(isNegZero(tf.add(z, z))).toEqual([true, true, true, true, true]);
    expect(isNegZero(tf.mul(z, tf.tensor1d([1, 2, 3, 4, 5])))).toEqual([true, true, true, true, true]);
    expect(Array.from(tf.div(tf.tensor1d([1, 1, 1, 1, -1]), z).dataSync())).toEqual([
      -Infinity,
      -Infinity,
      -Infinity,
      -Infinity,
      Infinity,
    ]);
  });
});

describe('planBroadcast', () => {
  it('merges dims both inputs traverse contiguously, or both broadcast', () => {
    expect(planBroadcast([2, 3, 4], [2, 3, 4], [2, 3, 4])).toEqual({ shape: [24], aStrides: [1], bStrides: [1] });
    expect(planBroadcast([2, 3, 4], [4], [2, 3, 4])).toEqual({ shape: [6, 4], aStrides: [4, 1], bStrides: [0, 1] });
    expect(planBroadcast([2, 1, 1], [1, 3, 4], [2, 3, 4])).toEqual({
      shape: [2, 12],
      aStrides: [1, 0],
      bStrides: [0, 1],
    });
    expect(planBroadcast([], [], [])).toEqual({ shape: [1], aStrides: [1], bStrides: [1] });
  });
});
