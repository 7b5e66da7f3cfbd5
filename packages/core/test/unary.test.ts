import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { lanes, randomFloats } from './helpers.js';

// Every float32 unary kernel of kernels/unary.ts against a plain TypeScript reference: tfjs-backend-cpu's
// formula in float64. The inputs cover each SIMD remainder (the kernel runs 4 lanes, then a
// scalar tail) and the special values whose result tfjs defines (NaN, ±Inf, ±0, overflow edges).

interface Case {
  /** Calls the op through tfjs (it dispatches to the 'lanes' kernel of the same name). */
  run: (x: tf.Tensor) => tf.Tensor;
  ref: (x: number) => number;
  /** Range of the random inputs: where the op is finite and meaningful. */
  domain?: [number, number];
  /**
   * Allowed |got - ref| / max(1, |ref|). 0 where the result is one correctly rounded float32
   * operation; 1e-6 (≈ 8 float32 ulps) where a libm call in float64 is rounded to float32; more for
   * the vectorised polynomial approximations (exp, sigmoid, tanh, elu), as measured plus margin.
   */
  tol: number;
  /** Hold the error to tol·|ref| instead (ops whose small results matter: exp, sigmoid, tanh). */
  rel?: boolean;
}

const f = Math.fround;
const SELU_SCALE = backend_util.SELU_SCALE,
  SELU_SCALEALPHA = backend_util.SELU_SCALEALPHA;
const SOFTPLUS_THRESHOLD = Math.log(1.1920928955078125e-7) + 2.0;

function roundHalfEven(x: number): number {
  const base = Math.floor(x);
  if (x - base < 0.5) return base;
  if (x - base > 0.5) return Math.ceil(x);
  return base % 2 === 0 ? base : base + 1;
}

function erf(x: number): number {
  const t = 1 / (1 + backend_util.ERF_P * Math.abs(x));
  const poly =
    ((((backend_util.ERF_A5 * t + backend_util.ERF_A4) * t + backend_util.ERF_A3) * t + backend_util.ERF_A2) * t +
      backend_util.ERF_A1) *
    t;
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

const cases: Record<string, Case> = {
  Abs: { run: tf.abs, ref: Math.abs, tol: 0 },
  Neg: { run: tf.neg, ref: (x) => -x, tol: 0 },
  Exp: { run: tf.exp, ref: Math.exp, domain: [-103, 88], tol: 2e-6, rel: true },
  Log: { run: tf.log, ref: Math.log, domain: [1e-6, 100], tol: 1e-6 },
  Sqrt: { run: tf.sqrt, ref: Math.sqrt, domain: [0, 100], tol: 0 },
  Rsqrt: { run: tf.rsqrt, ref: (x) => 1 / Math.sqrt(x), domain: [1e-3, 100], tol: 1e-6 },
  Square: { run: tf.square, ref: (x) => x * x, tol: 0 },
  Relu: { run: tf.relu, ref: (x) => Math.max(0, x), tol: 0 },
  Relu6: { run: tf.relu6, ref: (x) => Math.min(Math.max(0, x), 6), domain: [-3, 9], tol: 0 },
  Sigmoid: { run: tf.sigmoid, ref: (x) => 1 / (1 + Math.exp(-x)), domain: [-103, 20], tol: 2e-6, rel: true },
  Tanh: { run: tf.tanh, ref: Math.tanh, tol: 2e-6, rel: true },
  Elu: { run: tf.elu, ref: (x) => (x >= 0 ? x : Math.exp(x) - 1), tol: 2e-6 },
  Selu: { run: tf.selu, ref: (x) => (x >= 0 ? SELU_SCALE * x : SELU_SCALEALPHA * (Math.exp(x) - 1)), tol: 1e-6 },
  Softplus: {
    run: tf.softplus,
    ref: (x) => (x < SOFTPLUS_THRESHOLD ? Math.exp(x) : x > -SOFTPLUS_THRESHOLD ? x : Math.log(1 + Math.exp(x))),
    domain: [-20, 20],
    tol: 1e-6,
  },
  LeakyRelu: { run: (x) => tf.leakyRelu(x, 0.3), ref: (x) => (x < 0 ? f(0.3) * x : x), tol: 0 },
  ClipByValue: {
    run: (x) => tf.clipByValue(x, -1.5, 2.25),
    ref: (x) => (x > 2.25 ? 2.25 : x < -1.5 ? -1.5 : x),
    tol: 0,
  },
  Floor: { run: tf.floor, ref: Math.floor, tol: 0 },
  Ceil: { run: tf.ceil, ref: Math.ceil, tol: 0 },
  Round: { run: tf.round, ref: roundHalfEven, tol: 0 },
  Sign: { run: tf.sign, ref: (x) => (x < 0 ? -1 : x > 0 ? 1 : 0), tol: 0 },
  Reciprocal: { run: tf.reciprocal, ref: (x) => 1 / x, tol: 0 },
  Step: { run: (x) => tf.step(x, 0.25), ref: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : 0.25), tol: 0 },
  Expm1: { run: tf.expm1, ref: Math.expm1, domain: [-10, 10], tol: 1e-6 },
  Log1p: { run: tf.log1p, ref: Math.log1p, domain: [-0.999, 100], tol: 1e-6 },
  Sin: { run: tf.sin, ref: Math.sin, domain: [-10, 10], tol: 1e-6 },
  Cos: { run: tf.cos, ref: Math.cos, domain: [-10, 10], tol: 1e-6 },
  Tan: { run: tf.tan, ref: Math.tan, domain: [-1.5, 1.5], tol: 1e-6 },
  Asin: { run: tf.asin, ref: Math.asin, domain: [-1, 1], tol: 1e-6 },
  Acos: { run: tf.acos, ref: Math.acos, domain: [-1, 1], tol: 1e-6 },
  Atan: { run: tf.atan, ref: Math.atan, domain: [-10, 10], tol: 1e-6 },
  Sinh: { run: tf.sinh, ref: Math.sinh, domain: [-10, 10], tol: 1e-6 },
  Cosh: { run: tf.cosh, ref: Math.cosh, domain: [-10, 10], tol: 1e-6 },
  Asinh: { run: tf.asinh, ref: Math.asinh, domain: [-10, 10], tol: 1e-6 },
  Acosh: { run: tf.acosh, ref: Math.acosh, domain: [1, 10], tol: 1e-6 },
  Atanh: { run: tf.atanh, ref: Math.atanh, domain: [-0.999, 0.999], tol: 1e-6 },
  Erf: { run: tf.erf, ref: erf, domain: [-3, 3], tol: 1e-6 },
};

/** Special inputs, each placed both in a SIMD lane and in the scalar tail (length 4·k + 1). */
const SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  -2.5,
  1e-40,
  -1e-40,
  88.5,
  89,
  -88,
  -104,
  1e30,
  -1e30,
];

/** Indices where got and ref (rounded to float32) disagree beyond `tol`; NaN and ±Inf must match exactly. */
function mismatches(
  x: Float32Array,
  got: Float32Array,
  ref: (v: number) => number,
  tol: number,
  rel = false,
): string[] {
  const bad: string[] = [];
  for (let i = 0; i < x.length; i++) {
    const want = f(ref(x[i]!));
    const g = got[i]!;
    const ok = Number.isNaN(want)
      ? Number.isNaN(g)
      : !Number.isFinite(want)
        ? g === want
        : // Relative mode still allows one float32 denormal step (results below 2^-126 lose precision).
          Math.abs(g - want) <= tol * (rel ? Math.abs(want) : Math.max(1, Math.abs(want))) + (rel ? 1.5e-45 : 0);
    if (!ok) bad.push(`x=${x[i]} got ${g} want ${want}`);
  }
  return bad;
}

describe('unary float32 kernels', () => {
  beforeAll(lanes);

  for (const [name, c] of Object.entries(cases)) {
    it(`${name} matches the reference at every SIMD remainder (tol ${c.tol})`, () => {
      const [lo, hi] = c.domain ?? [-5, 5];
      for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 63, 1001]) {
        const x = randomFloats(n, n + 7).map((u) => lo + ((u + 1) / 2) * (hi - lo));
        const got = tf.tidy(() => c.run(tf.tensor1d(x)).dataSync() as Float32Array);
        expect(got).toHaveLength(n);
        expect(mismatches(x, got, c.ref, c.tol, c.rel), `n=${n}`).toEqual([]);
      }
    });

    it(`${name}: NaN, ±Inf, ±0 and overflow edges as tfjs defines them, in lanes and in the tail`, () => {
      // Each special once at every position modulo 4, and once in the scalar tail.
      const x = new Float32Array(SPECIALS.length * 4 + 1);
      for (let i = 0; i < x.length; i++) x[i] = SPECIALS[i % SPECIALS.length]!;
      const got = tf.tidy(() => c.run(tf.tensor1d(x)).dataSync() as Float32Array);
      // Specials outside an op's domain are compared too: the reference says NaN there.
      expect(mismatches(x, got, c.ref, Math.max(c.tol, 1e-6), c.rel)).toEqual([]);
    });
  }

  it('keeps the sign of zero where the formula does (neg, abs, floor, ceil)', () => {
    const x = tf.tensor1d([0, -0, 0, -0, -0.25]);
    const signs = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => (Object.is(v, -0) ? '-0' : String(v)));
    expect(signs(tf.neg(x))).toEqual(['-0', '0', '-0', '0', '0.25']);
    expect(signs(tf.abs(x))).toEqual(['0', '0', '0', '0', '0.25']);
    expect(signs(tf.floor(x))).toEqual(['0', '-0', '0', '-0', '-1']);
    expect(signs(tf.ceil(x))).toEqual(['0', '-0', '0', '-0', '-0']);
  });

  it('covers a multi-dimensional shape and leaves the input untouched', () => {
    const xs = randomFloats(3 * 5 * 7, 99);
    const x = tf.tensor3d(xs, [3, 5, 7]);
    const y = tf.exp(x);
    expect(y.shape).toEqual([3, 5, 7]);
    expect(Array.from(x.dataSync())).toEqual(Array.from(xs));
    expect(mismatches(xs, y.dataSync() as Float32Array, Math.exp, 2e-6)).toEqual([]);
  });
});
