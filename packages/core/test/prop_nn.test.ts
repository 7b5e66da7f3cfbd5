// Property tests of the dense kernels against tfjs-backend-cpu: matmul / batchMatMul / fused
// matmul, conv2d (+ both backprops, fused, gradients), depthwise (+ backprops), max/avg pooling
// (+ gradients), batchNorm. See prop_harness.ts for how cases run and what a failure prints.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { checkProperty, fc, rand, reportCounts, SPECIALS } from './prop_harness.js';

type Pad = 'same' | 'valid' | number | backend_util.ExplicitPadding;
type Act = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu' | 'prelu';
const ACTS: Act[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'];

/** A size, usually small, sometimes 0 or 1, now and then past a register tile. */
const dim = (max = 9) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1) },
    { weight: 1, arbitrary: fc.integer({ min: max, max: max * 3 }) },
  );
const seed = fc.integer({ min: 1, max: 1 << 30 });

reportCounts('prop_nn');

describe('property: matmul family vs tfjs-cpu', () => {
  interface MatMulCase {
    M: number;
    K: number;
    N: number;
    ta: boolean;
    tb: boolean;
    batch: Array<{ d: number; side: string }>;
    dropA: boolean;
    specials: boolean;
    seed: number;
  }
  function operands(p: MatMulCase): [tf.Tensor, tf.Tensor] {
    const ab = p.batch.map((b) => (b.side === 'a1' ? 1 : b.d)),
      bb = p.batch.map((b) => (b.side === 'b1' ? 1 : b.d));
    // A shorter batch on a broadcasts too (rank 2 against rank 3+).
    const aBatch = p.dropA && ab.length > 0 && ab[0] === 1 ? ab.slice(1) : ab;
    const specials = p.specials ? SPECIALS : [];
    return [
      rand([...aBatch, ...(p.ta ? [p.K, p.M] : [p.M, p.K])], p.seed, { specials, every: 16 }),
      rand([...bb, ...(p.tb ? [p.N, p.K] : [p.K, p.N])], p.seed + 1, { specials, every: 16 }),
    ];
  }

  it('batchMatMul: transposes, broadcast batch dims, NaN/±Inf', async () => {
    // Batch dims of a and b: each either shared, or 1 on one side (broadcast), ranks may differ.
    const batch = fc.array(
      fc.record({ d: fc.integer({ min: 1, max: 3 }), side: fc.constantFrom('both', 'a1', 'b1') }),
      { maxLength: 2 },
    );
    await checkProperty({
      name: 'batchMatMul',
      params: fc.record({
        M: dim(),
        K: dim(),
        N: dim(),
        ta: fc.boolean(),
        tb: fc.boolean(),
        batch,
        dropA: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      program: (p) => () => {
        const [a, b] = operands(p);
        return tf.matMul(a, b, p.ta, p.tb);
      },
      // tfjs-backend-cpu broadcasts a batch of rank 2+ wrongly: it flattens the batch dims and takes
      // the flat index modulo each side's flat size, so a [2,1,..] against b [2,2,..] pairs a[0]
      // with b[1,0] (a·b = [10,40,30,80] for a = [1,2], b = [10,20,30,40]; right: [10,20,60,80]).
      // The reference broadcasts explicitly first, which cpu gets right.
      reference: (p) => () => {
        const [a, b] = operands(p);
        const full = p.batch.map((x) => x.d);
        const widen = (t: tf.Tensor) => tf.broadcastTo(t, [...full, ...t.shape.slice(-2)]);
        return tf.matMul(widen(a), widen(b), p.ta, p.tb);
      },
      // Sums of K products of values in [-1, 1], in another order: errors grow with K.
      tolerance: (p) => ({ tol: 2e-7 * (p.K + 4), scale: Math.max(1, Math.sqrt(p.K)), signedZero: false }),
      runs: 40,
    });
  });

  it('fused matMul: bias (broadcast), activations', async () => {
    await checkProperty({
      name: 'fusedMatMul',
      params: fc.record({
        M: dim(),
        K: dim(),
        N: dim(),
        B: fc.integer({ min: 1, max: 2 }),
        ta: fc.boolean(),
        tb: fc.boolean(),
        bias: fc.constantFrom('none', 'n', '1'),
        act: fc.constantFrom(...ACTS),
        seed,
      }),
      program: (p) => () => {
        const a = rand([p.B, ...(p.ta ? [p.K, p.M] : [p.M, p.K])], p.seed);
        const b = rand([p.B, ...(p.tb ? [p.N, p.K] : [p.K, p.N])], p.seed + 1);
        const bias = p.bias === 'none' ? undefined : rand(p.bias === 'n' ? [p.N] : [1], p.seed + 2);
        const preluActivationWeights = p.act === 'prelu' ? rand([p.N], p.seed + 3) : undefined;
        return tf.fused.matMul({
          a,
          b,
          transposeA: p.ta,
          transposeB: p.tb,
          bias,
          activation: p.act,
          preluActivationWeights,
          leakyreluAlpha: 0.3,
        });
      },
      tolerance: (p) => ({ tol: 2e-7 * (p.K + 4), scale: Math.max(1, Math.sqrt(p.K)), signedZero: false }),
      runs: 25,
    });
  });

  it('matMul gradients', async () => {
    await checkProperty({
      name: 'matMulGrad',
      params: fc.record({ M: dim(6), K: dim(6), N: dim(6), ta: fc.boolean(), tb: fc.boolean(), seed }),
      program: (p) => () => {
        const a = rand(p.ta ? [p.K, p.M] : [p.M, p.K], p.seed),
          b = rand(p.tb ? [p.N, p.K] : [p.K, p.N], p.seed + 1);
        const dy = rand([p.M, p.N], p.seed + 2);
        return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, p.ta, p.tb), dy)))([a, b]);
      },
      tolerance: (p) => ({
        tol: 2e-7 * (Math.max(p.M, p.N) + 4),
        scale: Math.max(1, Math.sqrt(Math.max(p.M, p.N))),
        signedZero: false,
      }),
      runs: 15,
    });
  });
});

/** Conv geometry: input, filter, strides or dilations (tfjs allows one of them > 1), padding. */
interface ConvGeom {
  n: number;
  h: number;
  w: number;
  c: number;
  oc: number;
  fh: number;
  fw: number;
  s: [number, number];
  d: [number, number];
  pad: Pad;
  nchw: boolean;
  seed: number;
}

/**
 * Numeric pads: tfjs-core's computeConv2DInfo sizes both output dims with the filter's height
 * then, so a non-square filter can give a negative width; cpu throws (RangeError) and Lanes must
 * throw too (the harness checks that an error on cpu is an error on Lanes).
 */
function convGeom(opts: { dilations: boolean; numberPad: boolean; explicitPad?: boolean }): fc.Arbitrary<ConvGeom> {
  const padArb = fc.oneof(
    fc.constantFrom<Pad>('same', 'valid'),
    ...(opts.numberPad ? [fc.integer({ min: 0, max: 2 })] : []),
    ...(opts.explicitPad === false
      ? []
      : [
          fc
            .tuple(
              fc.integer({ min: 0, max: 2 }),
              fc.integer({ min: 0, max: 2 }),
              fc.integer({ min: 0, max: 2 }),
              fc.integer({ min: 0, max: 2 }),
            )
            .map(([t, b, l, r]): Pad => [
              [0, 0],
              [t, b],
              [l, r],
              [0, 0],
            ]),
        ]),
  );
  return fc
    .record({
      n: fc.constantFrom(0, 1, 1, 2, 3),
      h: fc.integer({ min: 1, max: 9 }),
      w: fc.integer({ min: 1, max: 9 }),
      c: dim(6),
      oc: dim(6),
      fh: fc.integer({ min: 1, max: 4 }),
      fw: fc.integer({ min: 1, max: 4 }),
      s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      d: opts.dilations
        ? fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }))
        : fc.constant<[number, number]>([1, 1]),
      pad: padArb,
      nchw: fc.boolean(),
      seed,
    })
    .map((g) => {
      // Strides and dilations are not both > 1 in tfjs; the input covers the (dilated) filter once padded.
      const d: [number, number] = g.s[0] > 1 || g.s[1] > 1 ? [1, 1] : g.d;
      const padH = Array.isArray(g.pad) ? g.pad[1][0] + g.pad[1][1] : typeof g.pad === 'number' ? 2 * g.pad : 0;
      const padW = Array.isArray(g.pad) ? g.pad[2][0] + g.pad[2][1] : typeof g.pad === 'number' ? 2 * g.pad : 0;
      const h = g.pad === 'same' ? g.h : Math.max(g.h, (g.fh - 1) * d[0] + 1 - padH);
      const w = g.pad === 'same' ? g.w : Math.max(g.w, (g.fw - 1) * d[1] + 1 - padW);
      return { ...g, d, h, w };
    });
}

/** NHWC explicit padding in the layout of `nchw`. */
function layoutPad(pad: Pad, nchw: boolean): Pad {
  return Array.isArray(pad) && nchw ? [pad[0], pad[3], pad[1], pad[2]] : pad;
}

function convInfo(g: ConvGeom, depthwise = false): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    [g.n, g.h, g.w, g.c],
    [g.fh, g.fw, g.c, g.oc],
    g.s,
    g.d,
    g.pad,
    undefined,
    depthwise,
  );
}

const xShape = (g: ConvGeom) => (g.nchw ? [g.n, g.c, g.h, g.w] : [g.n, g.h, g.w, g.c]);
function outShape(g: ConvGeom, depthwise = false): number[] {
  const i = convInfo(g, depthwise);
  return g.nchw ? [i.batchSize, i.outChannels, i.outHeight, i.outWidth] : i.outShape;
}

/** Sums of fh·fw·c products of values in [-1, 1]. */
const convTol = (g: ConvGeom, terms = g.fh * g.fw * g.c) => ({
  tol: 2e-7 * (terms + 4),
  scale: Math.max(1, Math.sqrt(terms)),
  signedZero: false,
});

describe('property: conv2d family vs tfjs-cpu', () => {
  it('conv2d: strides, paddings (incl. explicit), dilations, NHWC/NCHW, NaN/±Inf in x', async () => {
    await checkProperty({
      name: 'conv2d',
      params: fc.record({ g: convGeom({ dilations: true, numberPad: true }), specials: fc.boolean() }),
      program:
        ({ g, specials }) =>
        () => {
          const x = rand(xShape(g), g.seed, { specials: specials ? SPECIALS : [], every: 16 });
          const f = rand([g.fh, g.fw, g.c, g.oc], g.seed + 1);
          return tf.conv2d(
            x as tf.Tensor4D,
            f as tf.Tensor4D,
            g.s,
            layoutPad(g.pad, g.nchw) as 'same',
            g.nchw ? 'NCHW' : 'NHWC',
            g.d,
          );
        },
      tolerance: ({ g }) => convTol(g),
      runs: 40,
    });
  });

  it('Conv2DBackpropInput and Conv2DBackpropFilter', async () => {
    await checkProperty({
      name: 'conv2dBackprop',
      params: fc.record({
        g: convGeom({ dilations: false, numberPad: true }),
        which: fc.constantFrom('input', 'filter'),
      }),
      program:
        ({ g, which }) =>
        () => {
          const dy = rand(outShape(g), g.seed + 2);
          const format = g.nchw ? 'NCHW' : 'NHWC',
            pad = layoutPad(g.pad, g.nchw);
          if (which === 'input') {
            return tf
              .engine()
              .runKernel(
                'Conv2DBackpropInput',
                { dy, filter: rand([g.fh, g.fw, g.c, g.oc], g.seed + 1) },
                { inputShape: xShape(g), strides: g.s, pad, dataFormat: format },
              ) as tf.Tensor;
          }
          return tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: rand(xShape(g), g.seed), dy },
              { filterShape: [g.fh, g.fw, g.c, g.oc], strides: g.s, pad, dataFormat: format },
            ) as tf.Tensor;
        },
      // dW sums over every output pixel of every batch.
      tolerance: ({ g, which }) => {
        const i = convInfo(g);
        return convTol(g, which === 'input' ? g.fh * g.fw * g.oc : i.batchSize * i.outHeight * i.outWidth);
      },
      runs: 40,
    });
  });

  it('fused conv2d: bias, activations, NHWC/NCHW; and its gradients', async () => {
    await checkProperty({
      name: 'fusedConv2d',
      params: fc.record({
        g: convGeom({ dilations: true, numberPad: false }),
        act: fc.constantFrom(...ACTS),
        bias: fc.boolean(),
        grad: fc.boolean(),
      }),
      program:
        ({ g, act, bias, grad }) =>
        () => {
          const x = rand(xShape(g), g.seed),
            f = rand([g.fh, g.fw, g.c, g.oc], g.seed + 1);
          const b = bias ? rand([g.oc], g.seed + 2) : undefined;
          const alpha = act === 'prelu' ? rand([g.oc], g.seed + 3) : undefined;
          // Gradients: dilations 1, activations tfjs differentiates through (linear, relu... not prelu's weights).
          const conv = (xx: tf.Tensor, ff: tf.Tensor, bb?: tf.Tensor) =>
            tf.fused.conv2d({
              x: xx as tf.Tensor4D,
              filter: ff as tf.Tensor4D,
              strides: g.s,
              pad: layoutPad(g.pad, g.nchw) as 'same',
              dataFormat: g.nchw ? 'NCHW' : 'NHWC',
              dilations: grad ? 1 : g.d,
              bias: bb,
              activation: act,
              preluActivationWeights: alpha,
              leakyreluAlpha: 0.2,
            });
          if (
            !grad ||
            g.nchw ||
            act === 'prelu' ||
            act === 'sigmoid' ||
            act === 'leakyrelu' ||
            act === 'relu6' ||
            act === 'elu'
          )
            return conv(x, f, b);
          const dy = rand(outShape({ ...g, d: [1, 1] }), g.seed + 4);
          const inputs = b ? [x, f, b] : [x, f];
          return tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(conv(t[0], t[1], t[2]), dy)))(inputs);
        },
      tolerance: ({ g, grad }) => {
        const i = convInfo({ ...g, d: grad ? [1, 1] : g.d });
        return convTol(
          g,
          Math.max(g.fh * g.fw * Math.max(g.c, g.oc), grad ? i.batchSize * i.outHeight * i.outWidth : 0),
        );
      },
      runs: 30,
    });
  });
});

describe('property: depthwise family vs tfjs-cpu', () => {
  // NHWC only: tfjs-backend-cpu ignores dataFormat in depthwise (depthwise.test.ts checks NCHW against a reference).
  const geom = convGeom({ dilations: true, numberPad: false, explicitPad: false }).map((g) => ({
    ...g,
    nchw: false,
    oc: 1 + (g.oc % 3),
  }));

  it('depthwiseConv2d (+ fused: bias, activation): multipliers, strides, dilations', async () => {
    await checkProperty({
      name: 'depthwise',
      params: fc.record({ g: geom, fused: fc.boolean(), act: fc.constantFrom(...ACTS), specials: fc.boolean() }),
      program:
        ({ g, fused, act, specials }) =>
        () => {
          const x = rand(xShape(g), g.seed, { specials: specials ? SPECIALS : [], every: 16 });
          const f = rand([g.fh, g.fw, g.c, g.oc], g.seed + 1);
          if (!fused) return tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, g.s, g.pad as 'same', 'NHWC', g.d);
          return tf.fused.depthwiseConv2d({
            x: x as tf.Tensor4D,
            filter: f as tf.Tensor4D,
            strides: g.s,
            pad: g.pad as 'same',
            dilations: g.d,
            bias: rand([g.c * g.oc], g.seed + 2),
            activation: act,
            preluActivationWeights: act === 'prelu' ? rand([g.c * g.oc], g.seed + 3) : undefined,
            leakyreluAlpha: 0.2,
          });
        },
      tolerance: ({ g }) => convTol(g, g.fh * g.fw),
      runs: 30,
    });
  });

  // Dilations 1: tfjs-backend-cpu's depthwise backprops ignore dilations (their loops step by the
  // undilated filter), and tfjs-core's depthwise gradient refuses dilations > 1 anyway; Lanes'
  // dilated backprops are checked against a scatter reference in depthwise.test.ts.
  it('DepthwiseConv2dNativeBackpropInput / BackpropFilter', async () => {
    await checkProperty({
      name: 'depthwiseBackprop',
      params: fc.record({
        g: geom.map((g) => ({ ...g, d: [1, 1] as [number, number] })),
        which: fc.constantFrom('input', 'filter'),
      }),
      program:
        ({ g, which }) =>
        () => {
          const dy = rand(outShape(g, true), g.seed + 2);
          if (which === 'input') {
            return tf
              .engine()
              .runKernel(
                'DepthwiseConv2dNativeBackpropInput',
                { dy, filter: rand([g.fh, g.fw, g.c, g.oc], g.seed + 1) },
                { inputShape: xShape(g), strides: g.s, dilations: g.d, pad: g.pad },
              ) as tf.Tensor;
          }
          return tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: rand(xShape(g), g.seed), dy },
              { filterShape: [g.fh, g.fw, g.c, g.oc], strides: g.s, dilations: g.d, pad: g.pad },
            ) as tf.Tensor;
        },
      tolerance: ({ g, which }) => {
        const i = convInfo(g, true);
        return convTol(g, which === 'input' ? g.fh * g.fw * g.oc : i.batchSize * i.outHeight * i.outWidth);
      },
      runs: 30,
    });
  });
});

describe('property: pooling vs tfjs-cpu', () => {
  const geom = convGeom({ dilations: false, numberPad: true }).map((g) => ({ ...g, nchw: false }));

  it('maxPool / avgPool and their gradients', async () => {
    await checkProperty({
      name: 'pool',
      params: fc.record({ g: geom, kind: fc.constantFrom('max', 'avg'), grad: fc.boolean(), specials: fc.boolean() }),
      program:
        ({ g, kind, grad, specials }) =>
        () => {
          // ±Inf and -0 (max pooling's NaN handling is cpu's `>` scan; see the note in pool.test.ts).
          const x = rand(xShape(g), g.seed, {
            specials: specials && !grad ? [Infinity, -Infinity, -0] : [],
            every: 10,
          });
          const pool = (t: tf.Tensor) =>
            (kind === 'max' ? tf.maxPool : tf.avgPool)(t as tf.Tensor4D, [g.fh, g.fw], g.s, g.pad as 'same');
          if (!grad) return pool(x);
          const dy = rand(pool(x).shape, g.seed + 3);
          return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t), dy)))(x);
        },
      tolerance: (p) => ({ tol: 2e-7 * (p.g.fh * p.g.fw + 4), signedZero: p.kind === 'max' && !p.grad }),
      runs: 40,
    });
  });
});

describe('property: batchNorm vs tfjs-cpu', () => {
  it('batchNorm: ranks 1-4, per-channel or full-shape statistics, optional offset/scale', async () => {
    await checkProperty({
      name: 'batchNorm',
      params: fc.record({
        shape: fc.array(dim(7), { minLength: 1, maxLength: 4 }),
        full: fc.boolean(),
        offset: fc.boolean(),
        scale: fc.boolean(),
        eps: fc.constantFrom(1e-3, 1e-5, 0.1),
        specials: fc.boolean(),
        seed,
      }),
      program: (p) => () => {
        const c = p.shape[p.shape.length - 1];
        const s = p.full ? p.shape : [c];
        const x = rand(p.shape, p.seed, { specials: p.specials ? SPECIALS : [], every: 12 });
        return tf.batchNorm(
          x,
          rand(s, p.seed + 1),
          rand(s, p.seed + 2, { lo: 0, hi: 2 }),
          p.offset ? rand(s, p.seed + 3) : undefined,
          p.scale ? rand(s, p.seed + 4) : undefined,
          p.eps,
        );
      },
      // (x - mean) · scale / sqrt(var + eps): a few roundings, relative to the result's size.
      tolerance: { tol: 2e-6, signedZero: false },
      runs: 30,
    });
  });
});

describe('regressions found by the properties', () => {
  it('a conv geometry tfjs-core leaves with a negative output dim throws on lanes, as on cpu', async () => {
    // A numeric pad sizes both output dims with the filter's height: 3×1 filter on a 3×1 input → width -1.
    const run = () =>
      tf.tidy(() => tf.conv2d(tf.ones([2, 3, 1, 1]) as tf.Tensor4D, tf.ones([3, 1, 1, 1]) as tf.Tensor4D, 1, 0));
    await tf.setBackend('cpu');
    expect(run).toThrow();
    await tf.setBackend('lanes');
    const before = tf.memory().numTensors;
    expect(run).toThrow(/invalid output shape \[2,1,-1,1\]/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
