// Property tests of the elementwise and reduction kernels, judged by float64 references
// (ref64_math.ts): unary ops and activation gradients, binary ops with broadcasting, comparisons,
// softmax / logSoftmax, reductions, argMax / argMin, cumsum / cumprod. NaN, ±Inf and -0 are in the
// inputs wherever the op defines what they give. See prop_harness.ts for how cases run and judge.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkProperty, fc, rand, randValues, reportCounts, SPECIALS, type Judge } from './prop_harness.js';
import { LANES_BACKENDS, runOn } from './backends.js';
import { roundHalfEven, toInt32, type Ref } from './ref64_core.js';
import {
  ACTIVATION_GRAD64,
  argMinMax64,
  binary64,
  BINARY64,
  cumulative64,
  map64,
  mod64,
  reduce64,
  softmax64,
  UNARY64,
} from './ref64_math.js';

const randVals = randValues;
/** The values of `tf.cast(tf.round(rand(shape, seed, opts)), 'int32')`. */
const intVals = (shape: number[], seed: number, opts: { lo?: number; hi?: number } = {}) =>
  Array.from(randVals(shape, seed, opts), roundHalfEven);

const seed = fc.integer({ min: 1, max: 1 << 30 });
/** Mostly small dims; 0 and 1; now and then past several SIMD vectors. */
const dim = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 7 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1) },
  { weight: 2, arbitrary: fc.integer({ min: 8, max: 37 }) },
);
/** A shape of rank 0-4 with at most ~4 000 elements. */
const shape = fc.array(dim, { minLength: 0, maxLength: 4 }).map((s) => {
  const out = s.slice();
  while (out.reduce((a, b) => a * b, 1) > 4000) out[out.indexOf(Math.max(...out))] = 2;
  return out;
});

reportCounts('prop_math');

interface UnaryOp {
  run: (x: tf.Tensor) => tf.Tensor;
  /** Range of the ordinary inputs. */
  domain: [number, number];
  /**
   * Error beyond float32's rounding, in units of U = 2^-24, relative to max(1, |float64|) (or to
   * |float64| with `rel`): 0 for one correctly rounded operation, 17 (1e-6) for a libm call in
   * float32 terms, 34 (2e-6) for Lanes' vectorised exp-based approximations (as unary.test.ts).
   */
  ulps: number;
  /** Error relative to |float64| even below 1 (results whose small values matter). */
  rel?: boolean;
}

const UNARY: Record<string, UnaryOp> = {
  abs: { run: tf.abs, domain: [-5, 5], ulps: 0 },
  neg: { run: tf.neg, domain: [-5, 5], ulps: 0 },
  exp: { run: tf.exp, domain: [-90, 88], ulps: 34, rel: true },
  log: { run: tf.log, domain: [1e-6, 100], ulps: 17 },
  sqrt: { run: tf.sqrt, domain: [0, 100], ulps: 0 },
  rsqrt: { run: tf.rsqrt, domain: [1e-3, 100], ulps: 17 },
  square: { run: tf.square, domain: [-5, 5], ulps: 0 },
  relu: { run: tf.relu, domain: [-5, 5], ulps: 0 },
  relu6: { run: tf.relu6, domain: [-3, 9], ulps: 0 },
  sigmoid: { run: tf.sigmoid, domain: [-90, 20], ulps: 34, rel: true },
  // Near 0, tanh from exponentials loses relative precision: 2.1e-6 (35 U) measured at x = -0.00536.
  tanh: { run: tf.tanh, domain: [-10, 10], ulps: 64, rel: true },
  elu: { run: tf.elu, domain: [-10, 5], ulps: 34 },
  selu: { run: tf.selu, domain: [-10, 5], ulps: 34 },
  softplus: { run: tf.softplus, domain: [-20, 20], ulps: 34 },
  // cpu multiplies by alpha as a float64 (0.3); Lanes by float32(0.3), as TensorFlow's float attr: 1 ulp.
  leakyRelu: { run: (x) => tf.leakyRelu(x, 0.3), domain: [-5, 5], ulps: 2, rel: true },
  clipByValue: { run: (x) => tf.clipByValue(x, -1.5, 2.25), domain: [-5, 5], ulps: 0 },
  floor: { run: tf.floor, domain: [-5, 5], ulps: 0 },
  ceil: { run: tf.ceil, domain: [-5, 5], ulps: 0 },
  round: { run: tf.round, domain: [-5, 5], ulps: 0 },
  sign: { run: tf.sign, domain: [-5, 5], ulps: 0 },
  reciprocal: { run: tf.reciprocal, domain: [-5, 5], ulps: 0 },
  step: { run: (x) => tf.step(x, 0.25), domain: [-5, 5], ulps: 0 },
  expm1: { run: tf.expm1, domain: [-10, 10], ulps: 17 },
  log1p: { run: tf.log1p, domain: [-0.999, 100], ulps: 17 },
  sin: { run: tf.sin, domain: [-10, 10], ulps: 17 },
  cos: { run: tf.cos, domain: [-10, 10], ulps: 17 },
  tan: { run: tf.tan, domain: [-1.5, 1.5], ulps: 17 },
  asin: { run: tf.asin, domain: [-1, 1], ulps: 17 },
  acos: { run: tf.acos, domain: [-1, 1], ulps: 17 },
  atan: { run: tf.atan, domain: [-10, 10], ulps: 17 },
  sinh: { run: tf.sinh, domain: [-10, 10], ulps: 17 },
  cosh: { run: tf.cosh, domain: [-10, 10], ulps: 17 },
  asinh: { run: tf.asinh, domain: [-10, 10], ulps: 17 },
  acosh: { run: tf.acosh, domain: [1, 10], ulps: 17 },
  atanh: { run: tf.atanh, domain: [-0.999, 0.999], ulps: 17 },
  erf: { run: tf.erf, domain: [-3, 3], ulps: 17 },
};

const unaryInput = (p: { op: string; shape: number[]; specials: boolean; seed: number }) => {
  const u = UNARY[p.op];
  return randVals(p.shape, p.seed, {
    lo: u.domain[0],
    hi: u.domain[1],
    specials: p.specials ? SPECIALS : [],
    every: 6,
  });
};

describe('property: unary ops, judged by float64', () => {
  it('every unary op: random shapes, NaN / ±Inf / ±0 in the input, signs of zero', async () => {
    await checkProperty({
      name: 'unary',
      params: fc.record({ op: fc.constantFrom(...Object.keys(UNARY)), shape, specials: fc.boolean(), seed }),
      program: (p) => () => tf.tidy(() => UNARY[p.op].run(tf.tensor(unaryInput(p), p.shape, 'float32'))),
      float64: (p) => [map64(unaryInput(p), p.shape, 'float32', UNARY64[p.op])],
      judge: (p): Judge => ({ ulps: UNARY[p.op].ulps, scale: UNARY[p.op].rel ? 2 ** -126 : 1 }),
      runs: 160,
    });
  });

  const ACTIVATIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
    relu: tf.relu,
    relu6: tf.relu6,
    elu: tf.elu,
    selu: tf.selu,
    sigmoid: tf.sigmoid,
    tanh: tf.tanh,
    softplus: tf.softplus,
    leakyRelu: (x) => tf.leakyRelu(x, 0.2),
    prelu: (x) => tf.prelu(x, tf.scalar(0.15)),
    abs: tf.abs,
    exp: tf.exp,
    square: tf.square,
    clip: (x) => tf.clipByValue(x, -0.5, 0.7),
    step: (x) => tf.step(x),
  };

  const KINKS = [0, -0, 6, -0.5, 0.7];

  it('activation gradients (EluGrad, relu/sigmoid/tanh… through their gradient kernels), zeros at the kinks', async () => {
    await checkProperty({
      name: 'activationGrad',
      params: fc.record({ op: fc.constantFrom(...Object.keys(ACTIVATIONS)), shape, kinks: fc.boolean(), seed }),
      program: (p) => () => {
        const x = rand(p.shape, p.seed, { lo: -4, hi: 4, specials: p.kinks ? KINKS : [], every: 5 });
        const dy = rand(p.shape, p.seed + 1);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ACTIVATIONS[p.op](t), dy)))(x);
      },
      float64: (p) => {
        const x = randVals(p.shape, p.seed, { lo: -4, hi: 4, specials: p.kinks ? KINKS : [], every: 5 });
        const dy = randVals(p.shape, p.seed + 1);
        return [map64(x, p.shape, 'float32', (v, i) => ACTIVATION_GRAD64[p.op](v, dy[i]!))];
      },
      // Lanes' exp-based approximations (2e-6) and a derivative formed from the rounded output
      // (y·(1 - y) near y = 1): absolute on the scale of dy ≤ 1.
      judge: { ulps: 64, scale: 1, signedZero: false },
      runs: 60,
    });
  });
});

/** Two shapes that broadcast: suffixes of one output shape with some dims set to 1. */
const broadcastPair = fc
  .record({ out: shape, aRank: fc.nat(4), bRank: fc.nat(4), aOnes: fc.nat(15), bOnes: fc.nat(15) })
  .map((p) => {
    const take = (rank: number, ones: number) => {
      const r = Math.min(rank, p.out.length);
      const s = p.out.slice(p.out.length - r);
      return s.map((d, i) => ((ones >> i) & 1 ? 1 : d));
    };
    return { a: take(p.aRank, p.aOnes), b: take(p.bRank, p.bOnes) };
  });

interface BinaryOp {
  run: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  /** Error beyond float32's rounding, in units of U, relative to max(1, |float64|) (or |float64| with `rel`). */
  ulps: number;
  rel?: boolean;
  int?: boolean;
}
const BINARY: Record<string, BinaryOp> = {
  add: { run: tf.add, ulps: 0, int: true },
  sub: { run: tf.sub, ulps: 0, int: true },
  mul: { run: tf.mul, ulps: 0, int: true },
  div: { run: tf.div, ulps: 0 },
  maximum: { run: tf.maximum, ulps: 0, int: true },
  minimum: { run: tf.minimum, ulps: 0, int: true },
  pow: { run: tf.pow, ulps: 34 },
  // Lanes rounds the difference to float32, then squares (two roundings).
  squaredDifference: { run: tf.squaredDifference, ulps: 3, rel: true, int: true },
  floorDiv: { run: tf.floorDiv, ulps: 0, int: true },
  mod: { run: tf.mod, ulps: 0, int: true },
  atan2: { run: tf.atan2, ulps: 17 },
  prelu: { run: tf.prelu, ulps: 0 },
  equal: { run: tf.equal, ulps: 0, int: true },
  notEqual: { run: tf.notEqual, ulps: 0, int: true },
  less: { run: tf.less, ulps: 0, int: true },
  lessEqual: { run: tf.lessEqual, ulps: 0, int: true },
  greater: { run: tf.greater, ulps: 0, int: true },
  greaterEqual: { run: tf.greaterEqual, ulps: 0, int: true },
  logicalAnd: { run: (a, b) => tf.logicalAnd(tf.cast(a, 'bool'), tf.cast(b, 'bool')), ulps: 0 },
  logicalOr: { run: (a, b) => tf.logicalOr(tf.cast(a, 'bool'), tf.cast(b, 'bool')), ulps: 0 },
};

/** A binary case's inputs: small integers (int32 cases), else floats with specials and integer values. */
function binaryInputs(p: {
  op: string;
  shapes: { a: number[]; b: number[] };
  int: boolean;
  specials: boolean;
  seed: number;
}) {
  if (p.int && BINARY[p.op].int)
    return {
      dtype: 'int32' as const,
      a: intVals(p.shapes.a, p.seed, { lo: -20, hi: 20 }),
      b: intVals(p.shapes.b, p.seed + 1, { lo: -6, hi: 6 }),
    };
  const specials = p.specials ? SPECIALS : [];
  return {
    dtype: 'float32' as const,
    a: Array.from(randVals(p.shapes.a, p.seed, { lo: -3, hi: 3, specials: [...specials, 2, -2, 1], every: 5 })),
    b: Array.from(
      randVals(p.shapes.b, p.seed + 1, { lo: -3, hi: 3, specials: [...specials, 2, -2, 0.5, 3], every: 5 }),
    ),
  };
}

describe('property: binary ops, judged by float64', () => {
  it('every binary op: broadcasting (ranks, 1s on either side), float32 and int32, NaN / ±Inf / ±0', async () => {
    await checkProperty({
      name: 'binary',
      params: fc.record({
        op: fc.constantFrom(...Object.keys(BINARY)),
        shapes: broadcastPair,
        int: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      // Small ints (products stay exact) with zeros (floorDiv / mod by 0); floats with integer values
      // now and then, so that pow / floorDiv / mod meet their exact cases.
      program: (p) => () => {
        const x = binaryInputs(p);
        return BINARY[p.op].run(tf.tensor(x.a, p.shapes.a, x.dtype), tf.tensor(x.b, p.shapes.b, x.dtype));
      },
      float64: (p) => {
        const x = binaryInputs(p);
        const ref = BINARY64[p.op];
        const bools = p.op === 'logicalAnd' || p.op === 'logicalOr';
        return [binary64(x.a, p.shapes.a, x.b, p.shapes.b, bools ? 'bool' : (ref.out ?? x.dtype), ref.f)];
      },
      judge: (p) => ({ ulps: BINARY[p.op].ulps, scale: BINARY[p.op].rel ? 2 ** -126 : 1 }),
      runs: 160,
    });
  });
});

describe('property: softmax and reductions, judged by float64', () => {
  it('softmax / logSoftmax over the last axis (large logits, -Inf logits)', async () => {
    const input = (p: { shape: number[]; scale: number; negInf: boolean; seed: number }) =>
      randVals(p.shape, p.seed, { lo: -p.scale, hi: p.scale, specials: p.negInf ? [-Infinity] : [], every: 7 });
    await checkProperty({
      name: 'softmax',
      params: fc.record({
        shape: shape.map((s) => (s.length === 0 ? [3] : s)),
        log: fc.boolean(),
        scale: fc.constantFrom(1, 10, 60),
        negInf: fc.boolean(),
        seed,
      }),
      program: (p) => () => {
        const x = tf.tensor(input(p), p.shape, 'float32');
        return p.log ? tf.logSoftmax(x) : tf.softmax(x);
      },
      float64: (p) => [softmax64(input(p), p.shape, p.log)],
      // Lanes' exp approximation (2e-6) on every term, relative to the probability itself (which
      // flushes to 0 below float32's normal range); the sum of the exponentials grows with the row.
      judge: (p) => ({ ulps: 64, scale: p.log ? 1 : 2 ** -126, abs: 2 ** -126, signedZero: false }),
      runs: 60,
    });
  });

  const REDUCE: Record<string, (x: tf.Tensor, axis: number[], keep: boolean) => tf.Tensor> = {
    sum: (x, a, k) => tf.sum(x, a, k),
    mean: (x, a, k) => tf.mean(x, a, k),
    max: (x, a, k) => tf.max(x, a, k),
    min: (x, a, k) => tf.min(x, a, k),
    prod: (x, a, k) => tf.prod(x, a, k),
    logSumExp: (x, a, k) => tf.logSumExp(x, a, k),
    any: (x, a, k) => tf.any(tf.cast(x, 'bool'), a, k),
    all: (x, a, k) => tf.all(tf.cast(x, 'bool'), a, k),
  };
  interface ReduceCase {
    op: string;
    shape: number[];
    axes: number;
    keep: boolean;
    int: boolean;
    specials: boolean;
    seed: number;
  }
  const reduceAxes = (p: ReduceCase) => p.shape.map((_, i) => i).filter((i) => (p.axes >> i) & 1);
  /** int32 input (logSumExp: float32 only). */
  const isInt = (p: ReduceCase) => p.int && p.op !== 'logSumExp';
  const reduceInput = (p: ReduceCase) =>
    isInt(p)
      ? intVals(p.shape, p.seed, { lo: -3, hi: 3 })
      : Array.from(
          randVals(p.shape, p.seed, {
            lo: p.op === 'prod' ? 0.5 : -1,
            hi: p.op === 'prod' ? 1.5 : 1,
            specials: p.specials ? SPECIALS : [],
            every: 9,
          }),
        );
  /** An empty reduction: one with a 0 among the reduced dims (no axes: all of them). */
  const emptyReduction = (p: ReduceCase) =>
    (reduceAxes(p).length === 0 ? p.shape : reduceAxes(p).map((a) => p.shape[a]!)).some((d) => d === 0) &&
    reduceAxes(p).length > 0;

  it('sum / mean / max / min / prod / logSumExp / any / all over random axes, keepDims, NaN / ±Inf, int32', async () => {
    await checkProperty({
      name: 'reduce',
      params: fc.record({
        op: fc.constantFrom(...Object.keys(REDUCE)),
        shape,
        axes: fc.nat(15),
        keep: fc.boolean(),
        int: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      program: (p) => () =>
        REDUCE[p.op](tf.tensor(reduceInput(p), p.shape, isInt(p) ? 'int32' : 'float32'), reduceAxes(p), p.keep),
      float64: (p) => {
        const dtype = p.op === 'any' || p.op === 'all' ? 'bool' : isInt(p) ? 'int32' : 'float32';
        return [reduce64(p.op, reduceInput(p), p.shape, reduceAxes(p), p.keep, dtype)];
      },
      // logSumExp: Lanes' exp approximation on each term.
      judge: (p) => (p.op === 'logSumExp' ? { ulps: 34, scale: 1, signedZero: false } : { signedZero: false }),
      runs: 90,
      cpuDefects: [
        {
          name: 'emptyReduction',
          when: (p) => emptyReduction(p) && ['max', 'min', 'mean', 'all', 'logSumExp'].includes(p.op),
        },
      ],
    });
  });

  it('argMax / argMin over each axis (ties, NaN / ±Inf)', async () => {
    const input = (p: { shape: number[]; ties: boolean; specials: boolean; seed: number }) => {
      const x = randVals(p.shape, p.seed, { lo: -3, hi: 3, specials: p.specials ? SPECIALS : [], every: 9 });
      return p.ties ? Array.from(x, roundHalfEven) : Array.from(x);
    };
    await checkProperty({
      name: 'argMinMax',
      params: fc.record({
        shape: shape.map((s) => (s.length === 0 ? [4] : s)),
        axis: fc.nat(3),
        min: fc.boolean(),
        ties: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      // Rounded values tie often: the first index must win.
      program: (p) => () => {
        const x = tf.tensor(input(p), p.shape, 'float32');
        const axis = p.axis % p.shape.length;
        return p.min ? tf.argMin(x, axis) : tf.argMax(x, axis);
      },
      float64: (p) => [argMinMax64(input(p), p.shape, p.axis % p.shape.length, p.min)],
      judge: {},
      runs: 60,
    });
  });

  it('cumsum / cumprod: axis (negative too), exclusive, reverse', async () => {
    interface CumCase {
      shape: number[];
      axis: number;
      exclusive: boolean;
      reverse: boolean;
      prod: boolean;
      int: boolean;
      specials: boolean;
      seed: number;
    }
    const input = (p: CumCase) =>
      p.int
        ? intVals(p.shape, p.seed, { lo: -2, hi: 2 })
        : Array.from(
            randVals(p.shape, p.seed, {
              lo: p.prod ? 0.8 : -1,
              hi: p.prod ? 1.2 : 1,
              specials: p.specials ? SPECIALS : [],
              every: 11,
            }),
          );
    /** An axis in [-rank, rank). */
    const axisOf = (p: CumCase) => (p.axis % (2 * p.shape.length)) - p.shape.length;
    await checkProperty({
      name: 'cumulative',
      params: fc.record({
        shape: shape.map((s) => (s.length === 0 ? [5] : s)),
        axis: fc.nat(7),
        exclusive: fc.boolean(),
        reverse: fc.boolean(),
        prod: fc.boolean(),
        int: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      program: (p) => () => {
        const x = tf.tensor(input(p), p.shape, p.int ? 'int32' : 'float32');
        const axis = axisOf(p);
        return p.prod ? tf.cumprod(x, axis, p.exclusive, p.reverse) : tf.cumsum(x, axis, p.exclusive, p.reverse);
      },
      float64: (p) => {
        const axis = (axisOf(p) + p.shape.length) % p.shape.length;
        return [cumulative64(input(p), p.shape, axis, p.exclusive, p.reverse, p.prod, p.int ? 'int32' : 'float32')];
      },
      judge: { signedZero: false },
      runs: 60,
      cpuDefects: [{ name: 'cumulativeNegativeAxis', when: (p) => axisOf(p) < 0 }],
    });
  });
});

describe('property: integer ops at large magnitudes, judged by float64', () => {
  interface IntCase {
    op: string;
    shape: number[];
    big: number;
    seed: number;
  }
  const INT_SPECIALS = [-2147483648, 2147483647, -1, 0, 1, 16777217, -16777217, 2147483520];
  /** int32 values spread over ±2^big, with the range's edges and float32's first gaps sprinkled in. */
  const intInput = (p: IntCase, seed: number) => {
    const lim = 2 ** p.big;
    const v = Array.from(randValues(p.shape, seed, { lo: -lim, hi: lim }), (x) => toInt32(Math.trunc(x)));
    return v.map((x, i) => ((i * 7 + seed) % 5 === 0 ? INT_SPECIALS[(i + seed) % INT_SPECIALS.length]! : x));
  };
  /** float32 dividends up to ±10^big-ish and divisors mixing small fractions, integers and 0. */
  const floatInput = (p: IntCase, seed: number, divisor: boolean) =>
    Array.from(
      divisor
        ? randValues(p.shape, seed, { lo: -10, hi: 10, specials: [0.1, 3, -0.5, 7, 0, NaN, Infinity], every: 4 })
        : randValues(p.shape, seed, { lo: -(2 ** p.big), hi: 2 ** p.big, specials: SPECIALS, every: 9 }),
    );
  const OPS: Record<string, { run: (p: IntCase) => tf.Tensor; ref: (p: IntCase) => Ref }> = {
    floorDiv: {
      run: (p) =>
        tf.floorDiv(
          tf.tensor(floatInput(p, p.seed, false), p.shape),
          tf.tensor(floatInput(p, p.seed + 1, true), p.shape),
        ),
      ref: (p) =>
        binary64(
          floatInput(p, p.seed, false),
          p.shape,
          floatInput(p, p.seed + 1, true),
          p.shape,
          'int32',
          BINARY64.floorDiv!.f,
        ),
    },
    mod: {
      run: (p) =>
        tf.mod(tf.tensor(floatInput(p, p.seed, false), p.shape), tf.tensor(floatInput(p, p.seed + 1, true), p.shape)),
      ref: (p) =>
        binary64(floatInput(p, p.seed, false), p.shape, floatInput(p, p.seed + 1, true), p.shape, 'float32', mod64),
    },
    floorDivInt: {
      run: (p) =>
        tf.floorDiv(
          tf.tensor(intInput(p, p.seed), p.shape, 'int32'),
          tf.tensor(intInput(p, p.seed + 1), p.shape, 'int32'),
        ),
      ref: (p) =>
        binary64(intInput(p, p.seed), p.shape, intInput(p, p.seed + 1), p.shape, 'int32', BINARY64.floorDiv!.f),
    },
    modInt: {
      run: (p) =>
        tf.mod(tf.tensor(intInput(p, p.seed), p.shape, 'int32'), tf.tensor(intInput(p, p.seed + 1), p.shape, 'int32')),
      ref: (p) => binary64(intInput(p, p.seed), p.shape, intInput(p, p.seed + 1), p.shape, 'int32', mod64),
    },
    castToInt: {
      run: (p) => tf.cast(tf.tensor(floatInput(p, p.seed, false), p.shape), 'int32'),
      ref: (p) => map64(floatInput(p, p.seed, false), p.shape, 'int32', (v) => v),
    },
    castToFloat: {
      run: (p) => tf.cast(tf.tensor(intInput(p, p.seed), p.shape, 'int32'), 'float32'),
      ref: (p) => map64(intInput(p, p.seed), p.shape, 'float32', (v) => v),
    },
    castToBool: {
      run: (p) => tf.cast(tf.tensor(floatInput(p, p.seed, false), p.shape), 'bool'),
      ref: (p) => map64(floatInput(p, p.seed, false), p.shape, 'bool', (v) => +(v !== 0)),
    },
  };

  it('floorDiv / mod (float32 and int32) and cast (float32 ↔ int32, → bool) up to ±2^40: ToInt32 wraps, exact floors', async () => {
    await checkProperty({
      name: 'intOps',
      params: fc.record({
        op: fc.constantFrom(...Object.keys(OPS)),
        shape,
        big: fc.integer({ min: 0, max: 40 }),
        seed,
      }),
      program: (p) => () => OPS[p.op]!.run(p),
      float64: (p) => [OPS[p.op]!.ref(p)],
      judge: {},
      runs: 80,
      // Only where an int32 is past float32's integers (2^24) does the missing rounding show.
      cpuDefects: [{ name: 'castInt32ToFloat32', when: (p) => p.op === 'castToFloat' }],
    });
  });
});

describe('regressions found by the properties', () => {
  it("maximum / minimum of +0 and -0 give Math.max / Math.min's zero on every build, in vector bodies and tails", async () => {
    // 9 pairs: two 4-lane vectors and a scalar tail; the scalar path had max(0, -0) = -0.
    const a = [0, -0, 0, -0, 0, -0, 0, -0, 0],
      b = [-0, 0, 0, -0, -0, 0, -0, 0, -0];
    const signs = (v: ArrayLike<number>) => Array.from(v, (x) => (Object.is(x, -0) ? '-0' : String(x)));
    const program = () => [tf.maximum(tf.tensor1d(a), tf.tensor1d(b)), tf.minimum(tf.tensor1d(a), tf.tensor1d(b))];
    for (const backend of LANES_BACKENDS) {
      const got = await runOn(backend, program);
      expect(signs(got.values[0]), backend).toEqual(signs(a.map((x, k) => Math.max(x, b[k]))));
      expect(signs(got.values[1]), backend).toEqual(signs(a.map((x, k) => Math.min(x, b[k]))));
    }
  });

  it('floorDiv of float32 tensors is int32 on lanes, as on cpu (NaN / ±Inf quotients 0, ToInt32 wrap)', async () => {
    const run = () => {
      const y = tf.floorDiv(
        tf.tensor1d([7, -7, 1, 0, 1, NaN, 3e9, 5.5, -0.5]),
        tf.tensor1d([2, 2, 0, 0, -0, 1, 1, 1, 1]),
      );
      return { dtype: y.dtype, values: Array.from(y.dataSync()) };
    };
    await tf.setBackend('lanes');
    const got = run();
    await tf.setBackend('cpu');
    const want = run();
    expect(got).toEqual(want);
    expect(got).toEqual({ dtype: 'int32', values: [3, -4, 0, 0, 0, 0, 3e9 - 2 ** 32, 5, -1] });
  });
});
