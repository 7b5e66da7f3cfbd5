// Property tests of the elementwise and reduction kernels against tfjs-backend-cpu: unary ops and
// activation gradients, binary ops with broadcasting, comparisons, softmax / logSoftmax,
// reductions, argMax / argMin, cumsum / cumprod. NaN, ±Inf and -0 are in the inputs wherever the
// op defines what they give. See prop_harness.ts for how cases run and what a failure prints.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkProperty, fc, rand, reportCounts, SPECIALS, type Tolerance } from './prop_harness.js';
import { LANES_BACKENDS, runOn } from './backends.js';

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
   * |lanes - cpu| / max(scale, |cpu|): 0 for one correctly rounded operation, 1e-6 where cpu rounds
   * a float64 libm call, 2e-6 for Lanes' vectorised exp-based approximations (as unary.test.ts).
   */
  tol: number;
  /** Error relative to |cpu| even below 1 (results whose small values matter). */
  rel?: boolean;
}

const UNARY: Record<string, UnaryOp> = {
  abs: { run: tf.abs, domain: [-5, 5], tol: 0 },
  neg: { run: tf.neg, domain: [-5, 5], tol: 0 },
  exp: { run: tf.exp, domain: [-90, 88], tol: 2e-6, rel: true },
  log: { run: tf.log, domain: [1e-6, 100], tol: 1e-6 },
  sqrt: { run: tf.sqrt, domain: [0, 100], tol: 0 },
  rsqrt: { run: tf.rsqrt, domain: [1e-3, 100], tol: 1e-6 },
  square: { run: tf.square, domain: [-5, 5], tol: 0 },
  relu: { run: tf.relu, domain: [-5, 5], tol: 0 },
  relu6: { run: tf.relu6, domain: [-3, 9], tol: 0 },
  sigmoid: { run: tf.sigmoid, domain: [-90, 20], tol: 2e-6, rel: true },
  tanh: { run: tf.tanh, domain: [-10, 10], tol: 2e-6, rel: true },
  elu: { run: tf.elu, domain: [-10, 5], tol: 2e-6 },
  selu: { run: tf.selu, domain: [-10, 5], tol: 2e-6 },
  softplus: { run: tf.softplus, domain: [-20, 20], tol: 2e-6 },
  // cpu multiplies by alpha as a float64 (0.3); Lanes by float32(0.3), as TensorFlow's float attr: 1 ulp.
  leakyRelu: { run: (x) => tf.leakyRelu(x, 0.3), domain: [-5, 5], tol: 1.2e-7, rel: true },
  clipByValue: { run: (x) => tf.clipByValue(x, -1.5, 2.25), domain: [-5, 5], tol: 0 },
  floor: { run: tf.floor, domain: [-5, 5], tol: 0 },
  ceil: { run: tf.ceil, domain: [-5, 5], tol: 0 },
  round: { run: tf.round, domain: [-5, 5], tol: 0 },
  sign: { run: tf.sign, domain: [-5, 5], tol: 0 },
  reciprocal: { run: tf.reciprocal, domain: [-5, 5], tol: 0 },
  step: { run: (x) => tf.step(x, 0.25), domain: [-5, 5], tol: 0 },
  expm1: { run: tf.expm1, domain: [-10, 10], tol: 1e-6 },
  log1p: { run: tf.log1p, domain: [-0.999, 100], tol: 1e-6 },
  sin: { run: tf.sin, domain: [-10, 10], tol: 1e-6 },
  cos: { run: tf.cos, domain: [-10, 10], tol: 1e-6 },
  tan: { run: tf.tan, domain: [-1.5, 1.5], tol: 1e-6 },
  asin: { run: tf.asin, domain: [-1, 1], tol: 1e-6 },
  acos: { run: tf.acos, domain: [-1, 1], tol: 1e-6 },
  atan: { run: tf.atan, domain: [-10, 10], tol: 1e-6 },
  sinh: { run: tf.sinh, domain: [-10, 10], tol: 1e-6 },
  cosh: { run: tf.cosh, domain: [-10, 10], tol: 1e-6 },
  asinh: { run: tf.asinh, domain: [-10, 10], tol: 1e-6 },
  acosh: { run: tf.acosh, domain: [1, 10], tol: 1e-6 },
  atanh: { run: tf.atanh, domain: [-0.999, 0.999], tol: 1e-6 },
  erf: { run: tf.erf, domain: [-3, 3], tol: 1e-6 },
};

describe('property: unary ops vs tfjs-cpu', () => {
  it('every unary op: random shapes, NaN / ±Inf / ±0 in the input, signs of zero', async () => {
    await checkProperty({
      name: 'unary',
      params: fc.record({ op: fc.constantFrom(...Object.keys(UNARY)), shape, specials: fc.boolean(), seed }),
      program: (p) => () => {
        const u = UNARY[p.op];
        return u.run(
          rand(p.shape, p.seed, { lo: u.domain[0], hi: u.domain[1], specials: p.specials ? SPECIALS : [], every: 6 }),
        );
      },
      tolerance: (p): Tolerance => ({ tol: UNARY[p.op].tol, scale: UNARY[p.op].rel ? 1e-37 : 1 }),
      runs: 80,
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

  it('activation gradients (EluGrad, relu/sigmoid/tanh… through their gradient kernels), zeros at the kinks', async () => {
    await checkProperty({
      name: 'activationGrad',
      params: fc.record({ op: fc.constantFrom(...Object.keys(ACTIVATIONS)), shape, kinks: fc.boolean(), seed }),
      program: (p) => () => {
        const x = rand(p.shape, p.seed, { lo: -4, hi: 4, specials: p.kinks ? [0, -0, 6, -0.5, 0.7] : [], every: 5 });
        const dy = rand(p.shape, p.seed + 1);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ACTIVATIONS[p.op](t), dy)))(x);
      },
      tolerance: { tol: 4e-6, signedZero: false },
      runs: 40,
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
  tol: number;
  rel?: boolean;
  int?: boolean;
}
const BINARY: Record<string, BinaryOp> = {
  add: { run: tf.add, tol: 0, int: true },
  sub: { run: tf.sub, tol: 0, int: true },
  mul: { run: tf.mul, tol: 0, int: true },
  div: { run: tf.div, tol: 0 },
  maximum: { run: tf.maximum, tol: 0, int: true },
  minimum: { run: tf.minimum, tol: 0, int: true },
  pow: { run: tf.pow, tol: 2e-6 },
  // cpu squares the float64 difference; Lanes rounds the difference to float32 first (≤ 2 ulps).
  squaredDifference: { run: tf.squaredDifference, tol: 2.5e-7, rel: true, int: true },
  floorDiv: { run: tf.floorDiv, tol: 0, int: true },
  mod: { run: tf.mod, tol: 1e-6, int: true },
  atan2: { run: tf.atan2, tol: 1e-6 },
  prelu: { run: tf.prelu, tol: 0 },
  equal: { run: tf.equal, tol: 0, int: true },
  notEqual: { run: tf.notEqual, tol: 0, int: true },
  less: { run: tf.less, tol: 0, int: true },
  lessEqual: { run: tf.lessEqual, tol: 0, int: true },
  greater: { run: tf.greater, tol: 0, int: true },
  greaterEqual: { run: tf.greaterEqual, tol: 0, int: true },
  logicalAnd: { run: (a, b) => tf.logicalAnd(tf.cast(a, 'bool'), tf.cast(b, 'bool')), tol: 0 },
  logicalOr: { run: (a, b) => tf.logicalOr(tf.cast(a, 'bool'), tf.cast(b, 'bool')), tol: 0 },
};

describe('property: binary ops vs tfjs-cpu', () => {
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
      program: (p) => () => {
        const op = BINARY[p.op];
        if (p.int && op.int) {
          // Small ints (so products stay exact), zeros included (floorDiv / mod by 0).
          const a = tf.cast(tf.round(rand(p.shapes.a, p.seed, { lo: -20, hi: 20 })), 'int32');
          const b = tf.cast(tf.round(rand(p.shapes.b, p.seed + 1, { lo: -6, hi: 6 })), 'int32');
          return op.run(a, b);
        }
        const specials = p.specials ? SPECIALS : [];
        // Integer-valued floats now and then, so that pow / floorDiv / mod meet their exact cases.
        const a = rand(p.shapes.a, p.seed, { lo: -3, hi: 3, specials: [...specials, 2, -2, 1], every: 5 });
        const b = rand(p.shapes.b, p.seed + 1, { lo: -3, hi: 3, specials: [...specials, 2, -2, 0.5, 3], every: 5 });
        return op.run(a, b);
      },
      tolerance: (p) => ({ tol: BINARY[p.op].tol, scale: BINARY[p.op].rel ? 1e-37 : 1 }),
      runs: 80,
    });
  });
});

describe('property: softmax and reductions vs tfjs-cpu', () => {
  it('softmax / logSoftmax over the last axis (large logits, -Inf logits)', async () => {
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
        const x = rand(p.shape, p.seed, { lo: -p.scale, hi: p.scale, specials: p.negInf ? [-Infinity] : [], every: 7 });
        return p.log ? tf.logSoftmax(x) : tf.softmax(x);
      },
      // exp approximations and a sum in another order; relative to the probability itself.
      tolerance: (p) => ({ tol: 4e-6, scale: p.log ? 1 : 1e-30, signedZero: false }),
      runs: 40,
    });
  });

  const REDUCE: Record<string, (x: tf.Tensor, axis: number[], keep: boolean) => tf.Tensor> = {
    sum: (x, a, k) => tf.sum(x, a, k),
    mean: (x, a, k) => tf.mean(x, a, k),
    max: (x, a, k) => tf.max(x, a, k),
    min: (x, a, k) => tf.min(x, a, k),
    prod: (x, a, k) => tf.prod(x, a, k),
    any: (x, a, k) => tf.any(tf.cast(x, 'bool'), a, k),
    all: (x, a, k) => tf.all(tf.cast(x, 'bool'), a, k),
  };

  it('sum / mean / max / min / prod / any / all over random axes, keepDims, NaN / ±Inf, int32', async () => {
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
      program: (p) => () => {
        const axes = p.shape.map((_, i) => i).filter((i) => (p.axes >> i) & 1);
        const x = p.int
          ? tf.cast(tf.round(rand(p.shape, p.seed, { lo: -3, hi: 3 })), 'int32')
          : rand(p.shape, p.seed, {
              lo: p.op === 'prod' ? 0.5 : -1,
              hi: p.op === 'prod' ? 1.5 : 1,
              specials: p.specials ? SPECIALS : [],
              every: 9,
            });
        return REDUCE[p.op](x, axes, p.keep);
      },
      // tfjs-backend-cpu's max / min of an empty run read past it (undefined → NaN) and its mean is
      // 0; Lanes returns TensorFlow's -Inf / +Inf / NaN (0 / 0) (reduce.test.ts): the reference fills those in.
      reference: (p) => () => {
        const axes = p.shape.map((_, i) => i).filter((i) => (p.axes >> i) & 1);
        const empty = (axes.length === 0 ? p.shape : axes.map((a) => p.shape[a])).some((d) => d === 0);
        const out = tf.sum(tf.zeros(p.shape), axes, p.keep);
        if (empty && (p.op === 'max' || p.op === 'min' || (p.op === 'mean' && !p.int)) && out.size > 0) {
          const fill = tf.fill(out.shape, p.op === 'max' ? -Infinity : p.op === 'min' ? Infinity : NaN);
          return p.int ? tf.cast(fill, 'int32') : fill;
        }
        const x = p.int
          ? tf.cast(tf.round(rand(p.shape, p.seed, { lo: -3, hi: 3 })), 'int32')
          : rand(p.shape, p.seed, {
              lo: p.op === 'prod' ? 0.5 : -1,
              hi: p.op === 'prod' ? 1.5 : 1,
              specials: p.specials ? SPECIALS : [],
              every: 9,
            });
        return REDUCE[p.op](x, axes, p.keep);
      },
      // Sums of up to ~4 000 terms in another order.
      tolerance: { tol: 1e-5, signedZero: false },
      runs: 50,
    });
  });

  it('argMax / argMin over each axis (ties, NaN / ±Inf)', async () => {
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
      program: (p) => () => {
        const axis = p.axis % p.shape.length;
        // Rounded values tie often: the first index must win as on cpu.
        let x = rand(p.shape, p.seed, { lo: -3, hi: 3, specials: p.specials ? SPECIALS : [], every: 9 });
        if (p.ties) x = tf.round(x);
        return p.min ? tf.argMin(x, axis) : tf.argMax(x, axis);
      },
      tolerance: { tol: 0 },
      runs: 40,
    });
  });

  it('cumsum / cumprod: axis, exclusive, reverse', async () => {
    await checkProperty({
      name: 'cumulative',
      params: fc.record({
        shape: shape.map((s) => (s.length === 0 ? [5] : s)),
        axis: fc.nat(3),
        exclusive: fc.boolean(),
        reverse: fc.boolean(),
        prod: fc.boolean(),
        int: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      program: (p) => () => {
        const axis = p.axis % p.shape.length;
        const x = p.int
          ? tf.cast(tf.round(rand(p.shape, p.seed, { lo: -2, hi: 2 })), 'int32')
          : rand(p.shape, p.seed, {
              lo: p.prod ? 0.8 : -1,
              hi: p.prod ? 1.2 : 1,
              specials: p.specials ? SPECIALS : [],
              every: 11,
            });
        return p.prod ? tf.cumprod(x, axis, p.exclusive, p.reverse) : tf.cumsum(x, axis, p.exclusive, p.reverse);
      },
      tolerance: { tol: 1e-6, signedZero: false },
      runs: 40,
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
