// Property tests of the dense kernels, judged by float64 references (ref64_nn.ts): matmul /
// batchMatMul / fused matmul and their gradients, conv2d (+ both backprops, fused, gradients),
// depthwise (+ backprops), max/avg pooling (+ gradients), batchNorm. Each output may err by
// float32's rounding grown with the number of products it sums. See prop_harness.ts.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { checkProperty, fc, rand, randValues, reportCounts, SPECIALS, type Judge } from './prop_harness.js';
import { ref, transpose64, type Ref } from './ref64_core.js';
import {
  activation64,
  batchNorm64,
  conv64,
  convBackpropFilter64,
  convBackpropInput64,
  matMul64,
  pool64,
  relayout,
} from './ref64_nn.js';

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

describe('property: matmul family, judged by float64', () => {
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
  function operandShapes(p: MatMulCase): [number[], number[]] {
    const ab = p.batch.map((b) => (b.side === 'a1' ? 1 : b.d)),
      bb = p.batch.map((b) => (b.side === 'b1' ? 1 : b.d));
    // A shorter batch on a broadcasts too (rank 2 against rank 3+).
    const aBatch = p.dropA && ab.length > 0 && ab[0] === 1 ? ab.slice(1) : ab;
    return [
      [...aBatch, ...(p.ta ? [p.K, p.M] : [p.M, p.K])],
      [...bb, ...(p.tb ? [p.N, p.K] : [p.K, p.N])],
    ];
  }
  function operandValues(p: MatMulCase): [Float32Array, Float32Array] {
    const [as, bs] = operandShapes(p);
    const specials = p.specials ? SPECIALS : [];
    return [randValues(as, p.seed, { specials, every: 16 }), randValues(bs, p.seed + 1, { specials, every: 16 })];
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
        const [as, bs] = operandShapes(p);
        const [a, b] = operandValues(p);
        return tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), p.ta, p.tb);
      },
      float64: (p) => {
        const [as, bs] = operandShapes(p);
        const [a, b] = operandValues(p);
        return [matMul64(a, as, b, bs, p.ta, p.tb)];
      },
      judge: { signedZero: false },
      cpuDefects: [
        {
          // Only when the batch has 2+ dims and one side broadcasts a dim that is not its first.
          name: 'matMulBroadcastBatch',
          when: (p) => p.batch.length >= 2 && p.batch.some((b) => b.side !== 'both' && b.d > 1),
        },
      ],
      runs: 80,
    });
  });

  interface FusedCase {
    M: number;
    K: number;
    N: number;
    B: number;
    ta: boolean;
    tb: boolean;
    bias: string;
    act: Act;
    seed: number;
  }
  function fusedValues(p: FusedCase) {
    const aShape = [p.B, ...(p.ta ? [p.K, p.M] : [p.M, p.K])],
      bShape = [p.B, ...(p.tb ? [p.N, p.K] : [p.K, p.N])];
    return {
      aShape,
      bShape,
      a: randValues(aShape, p.seed),
      b: randValues(bShape, p.seed + 1),
      bias: p.bias === 'none' ? undefined : randValues(p.bias === 'n' ? [p.N] : [1], p.seed + 2),
      alpha: p.act === 'prelu' ? randValues([p.N], p.seed + 3) : undefined,
    };
  }

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
        const v = fusedValues(p);
        return tf.fused.matMul({
          a: tf.tensor(v.a, v.aShape),
          b: tf.tensor(v.b, v.bShape),
          transposeA: p.ta,
          transposeB: p.tb,
          bias: v.bias && tf.tensor(v.bias, p.bias === 'n' ? [p.N] : [1]),
          activation: p.act,
          preluActivationWeights: v.alpha && tf.tensor(v.alpha, [p.N]),
          leakyreluAlpha: 0.3,
        });
      },
      float64: (p) => {
        const v = fusedValues(p);
        const y = matMul64(v.a, v.aShape, v.b, v.bShape, p.ta, p.tb);
        const values = y.values.map((z, i) => {
          const n = i % p.N;
          const withBias = z + (v.bias ? v.bias[p.bias === 'n' ? n : 0]! : 0);
          return activation64(withBias, p.act, 0.3, v.alpha ? v.alpha[n]! : 0);
        });
        const mag = y.mag!.map((m, i) => m + (v.bias ? Math.abs(v.bias[p.bias === 'n' ? i % p.N : 0]!) : 0));
        return [ref(y.shape, 'float32', values, mag, p.K + 1)];
      },
      // The activations' own approximations (elu, sigmoid) on top of the sum; elu near 0 is exp(x) - 1
      // in float32, an absolute error (as the unary elu's).
      judge: { ulps: 34, scale: 1, signedZero: false },
      runs: 50,
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
      // d op(a) = dy · op(b)ᵀ, d op(b) = op(a)ᵀ · dy; transposed back where op transposes.
      float64: (p) => {
        const aShape = p.ta ? [p.K, p.M] : [p.M, p.K],
          bShape = p.tb ? [p.N, p.K] : [p.K, p.N];
        const a = randValues(aShape, p.seed),
          b = randValues(bShape, p.seed + 1),
          dy = randValues([p.M, p.N], p.seed + 2);
        const dOpA = matMul64(dy, [p.M, p.N], b, bShape, false, !p.tb); // [M, K]
        const dOpB = matMul64(a, aShape, dy, [p.M, p.N], !p.ta, false); // [K, N]
        const back = (r: Ref, t: boolean): Ref =>
          t
            ? {
                ...r,
                shape: [r.shape[1]!, r.shape[0]!],
                values: transpose64(r.values, r.shape, [1, 0]),
                mag: transpose64(r.mag!, r.shape, [1, 0]),
              }
            : r;
        return [back(dOpA, p.ta), back(dOpB, p.tb)];
      },
      judge: { signedZero: false },
      runs: 40,
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

/** NHWC shape of the input. */
const nhwc = (g: ConvGeom) => [g.n, g.h, g.w, g.c];

/** Conv geometry, refusing what tfjs-core leaves with a negative output dim (Lanes throws too). */
function checkedInfo(g: ConvGeom, depthwise = false): backend_util.Conv2DInfo {
  const info = convInfo(g, depthwise);
  if (info.outShape.some((d) => d < 0)) throw new Error(`invalid output shape [${info.outShape}]`);
  return info;
}

/** A float64 NHWC result in the case's layout. */
function inLayout(r: Ref, g: ConvGeom): Ref {
  if (!g.nchw) return r;
  const [n, h, w, c] = r.shape;
  return {
    ...r,
    shape: [n!, c!, h!, w!],
    values: relayout(r.values, r.shape, true),
    mag: r.mag && relayout(r.mag, r.shape, true),
  };
}
/** Values in the case's layout, as NHWC. */
const asNHWC = (v: ArrayLike<number>, g: ConvGeom, shape: number[]) => (g.nchw ? relayout(v, shape, false) : v);

const SUMS: Judge = { signedZero: false };

describe('property: conv2d family, judged by float64', () => {
  const xVals = (g: ConvGeom, specials = false) =>
    randValues(xShape(g), g.seed, { specials: specials ? SPECIALS : [], every: 16 });
  const fVals = (g: ConvGeom) => randValues([g.fh, g.fw, g.c, g.oc], g.seed + 1);

  it('conv2d: strides, paddings (incl. explicit), dilations, NHWC/NCHW, NaN/±Inf in x', async () => {
    await checkProperty({
      name: 'conv2d',
      params: fc.record({ g: convGeom({ dilations: true, numberPad: true }), specials: fc.boolean() }),
      program:
        ({ g, specials }) =>
        () =>
          tf.conv2d(
            tf.tensor4d(xVals(g, specials), xShape(g) as [number, number, number, number]),
            tf.tensor4d(fVals(g), [g.fh, g.fw, g.c, g.oc]),
            g.s,
            layoutPad(g.pad, g.nchw) as 'same',
            g.nchw ? 'NCHW' : 'NHWC',
            g.d,
          ),
      float64: ({ g, specials }) => {
        const info = checkedInfo(g);
        return [inLayout(conv64(asNHWC(xVals(g, specials), g, nhwc(g)), fVals(g), info), g)];
      },
      judge: SUMS,
      runs: 80,
      cpuDefects: [
        { name: 'negativeOutputShape', when: ({ g }) => g.n === 0 && convInfo(g).outShape.some((d) => d < 0) },
      ],
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
                { dy, filter: tf.tensor(fVals(g), [g.fh, g.fw, g.c, g.oc]) },
                { inputShape: xShape(g), strides: g.s, pad, dataFormat: format },
              ) as tf.Tensor;
          }
          return tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: tf.tensor(xVals(g), xShape(g)), dy },
              { filterShape: [g.fh, g.fw, g.c, g.oc], strides: g.s, pad, dataFormat: format },
            ) as tf.Tensor;
        },
      float64: ({ g, which }) => {
        const info = checkedInfo(g);
        const dy = asNHWC(randValues(outShape(g), g.seed + 2), g, info.outShape);
        if (which === 'input') return [inLayout(convBackpropInput64(dy, fVals(g), info), g)];
        return [convBackpropFilter64(asNHWC(xVals(g), g, nhwc(g)), dy, [g.fh, g.fw, g.c, g.oc], info)];
      },
      judge: SUMS,
      runs: 80,
    });
  });

  interface FusedConvCase {
    g: ConvGeom;
    act: Act;
    bias: boolean;
    grad: boolean;
  }
  /** Gradients: NHWC, dilations 1, activations tfjs differentiates through (linear, relu). */
  const differentiates = ({ g, act, grad }: FusedConvCase) => grad && !g.nchw && (act === 'linear' || act === 'relu');
  const fusedGeom = (p: FusedConvCase): ConvGeom => (differentiates(p) ? { ...p.g, d: [1, 1] } : p.g);

  it('fused conv2d: bias, activations, NHWC/NCHW; and its gradients', async () => {
    await checkProperty({
      name: 'fusedConv2d',
      params: fc.record({
        g: convGeom({ dilations: true, numberPad: false }),
        act: fc.constantFrom(...ACTS),
        bias: fc.boolean(),
        grad: fc.boolean(),
      }),
      program: (p) => () => {
        const g = fusedGeom(p);
        const x = tf.tensor(xVals(g), xShape(g)),
          f = tf.tensor(fVals(g), [g.fh, g.fw, g.c, g.oc]);
        const b = p.bias ? rand([g.oc], g.seed + 2) : undefined;
        const alpha = p.act === 'prelu' ? rand([g.oc], g.seed + 3) : undefined;
        const conv = (xx: tf.Tensor, ff: tf.Tensor, bb?: tf.Tensor) =>
          tf.fused.conv2d({
            x: xx as tf.Tensor4D,
            filter: ff as tf.Tensor4D,
            strides: g.s,
            pad: layoutPad(g.pad, g.nchw) as 'same',
            dataFormat: g.nchw ? 'NCHW' : 'NHWC',
            dilations: g.d,
            bias: bb,
            activation: p.act,
            preluActivationWeights: alpha,
            leakyreluAlpha: 0.2,
          });
        if (!differentiates(p)) return conv(x, f, b);
        const dy = rand(outShape(g), g.seed + 4);
        const inputs = b ? [x, f, b] : [x, f];
        return tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(conv(t[0], t[1], t[2]), dy)))(inputs);
      },
      float64: (p) => {
        const g = fusedGeom(p);
        const info = checkedInfo(g);
        const x = asNHWC(xVals(g), g, nhwc(g)),
          f = fVals(g);
        const bias = p.bias ? randValues([g.oc], g.seed + 2) : undefined;
        const alpha = p.act === 'prelu' ? randValues([g.oc], g.seed + 3) : undefined;
        const z = conv64(x, f, info);
        const pre = z.values.map((v, i) => v + (bias ? bias[i % g.oc]! : 0));
        const mag = z.mag!.map((m, i) => m + (bias ? Math.abs(bias[i % g.oc]!) : 0));
        if (!differentiates(p)) {
          const y = pre.map((v, i) => activation64(v, p.act, 0.2, alpha ? alpha[i % g.oc]! : 0));
          return [inLayout(ref(info.outShape, 'float32', y, mag, z.terms! + 1), g)];
        }
        // relu passes dy where its output is positive (tfjs: dy · step(y)).
        const dy = randValues(outShape(g), g.seed + 4).map((v, i) => (p.act === 'relu' && !(pre[i]! > 0) ? 0 : v));
        const dx = convBackpropInput64(dy, f, info),
          df = convBackpropFilter64(x, dy, [g.fh, g.fw, g.c, g.oc], info);
        if (!bias) return [dx, df];
        const db = new Float64Array(g.oc),
          dbMag = new Float64Array(g.oc);
        dy.forEach((v, i) => {
          db[i % g.oc] += v;
          dbMag[i % g.oc] += Math.abs(v);
        });
        return [dx, df, ref([g.oc], 'float32', db, dbMag, info.batchSize * info.outHeight * info.outWidth)];
      },
      judge: (p) => (differentiates(p) || p.act === 'linear' ? SUMS : { ulps: 34, scale: 1, signedZero: false }),
      runs: 60,
    });
  });
});

describe('property: depthwise family, judged by float64', () => {
  const geom = convGeom({ dilations: true, numberPad: false, explicitPad: false }).map((g) => ({
    ...g,
    oc: 1 + (g.oc % 3),
  }));
  const xVals = (g: ConvGeom, specials = false) =>
    randValues(xShape(g), g.seed, { specials: specials ? SPECIALS : [], every: 16 });
  const fVals = (g: ConvGeom) => randValues([g.fh, g.fw, g.c, g.oc], g.seed + 1);

  it('depthwiseConv2d (NHWC / NCHW; + fused, NHWC: bias, activation): multipliers, strides, dilations', async () => {
    interface DepthwiseCase {
      g: ConvGeom;
      fused: boolean;
      act: Act;
      specials: boolean;
    }
    const geomOf = (p: DepthwiseCase): ConvGeom => (p.fused ? { ...p.g, nchw: false } : p.g);
    await checkProperty({
      name: 'depthwise',
      params: fc.record({ g: geom, fused: fc.boolean(), act: fc.constantFrom(...ACTS), specials: fc.boolean() }),
      program: (p) => () => {
        const g = geomOf(p);
        const x = tf.tensor4d(xVals(g, p.specials), xShape(g) as [number, number, number, number]);
        const f = tf.tensor4d(fVals(g), [g.fh, g.fw, g.c, g.oc]);
        if (!p.fused) return tf.depthwiseConv2d(x, f, g.s, g.pad as 'same', g.nchw ? 'NCHW' : 'NHWC', g.d);
        return tf.fused.depthwiseConv2d({
          x,
          filter: f,
          strides: g.s,
          pad: g.pad as 'same',
          dilations: g.d,
          bias: rand([g.c * g.oc], g.seed + 2),
          activation: p.act,
          preluActivationWeights: p.act === 'prelu' ? rand([g.c * g.oc], g.seed + 3) : undefined,
          leakyreluAlpha: 0.2,
        });
      },
      float64: (p) => {
        const g = geomOf(p);
        const info = checkedInfo(g, true);
        const z = conv64(asNHWC(xVals(g, p.specials), g, nhwc(g)), fVals(g), info, true);
        if (!p.fused) return [inLayout(z, g)];
        const C = g.c * g.oc;
        const bias = randValues([C], g.seed + 2);
        const alpha = p.act === 'prelu' ? randValues([C], g.seed + 3) : undefined;
        const y = z.values.map((v, i) => activation64(v + bias[i % C]!, p.act, 0.2, alpha ? alpha[i % C]! : 0));
        const mag = z.mag!.map((m, i) => m + Math.abs(bias[i % C]!));
        return [ref(info.outShape, 'float32', y, mag, z.terms! + 1)];
      },
      judge: (p) => (p.fused && p.act !== 'linear' ? { ulps: 34, scale: 1, signedZero: false } : SUMS),
      runs: 60,
      cpuDefects: [{ name: 'depthwiseNCHW', when: (p) => !p.fused && p.g.nchw }],
    });
  });

  // Dilations 1: tfjs-core's depthwise gradient refuses dilations > 1; Lanes' dilated backprops are
  // checked against a scatter reference in depthwise.test.ts.
  it('DepthwiseConv2dNativeBackpropInput / BackpropFilter', async () => {
    await checkProperty({
      name: 'depthwiseBackprop',
      params: fc.record({
        g: geom.map((g) => ({ ...g, nchw: false, d: [1, 1] as [number, number] })),
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
                { dy, filter: tf.tensor(fVals(g), [g.fh, g.fw, g.c, g.oc]) },
                { inputShape: xShape(g), strides: g.s, dilations: g.d, pad: g.pad },
              ) as tf.Tensor;
          }
          return tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: tf.tensor(xVals(g), xShape(g)), dy },
              { filterShape: [g.fh, g.fw, g.c, g.oc], strides: g.s, dilations: g.d, pad: g.pad },
            ) as tf.Tensor;
        },
      float64: ({ g, which }) => {
        const info = checkedInfo(g, true);
        const dy = randValues(outShape(g, true), g.seed + 2);
        if (which === 'input') return [convBackpropInput64(dy, fVals(g), info, true)];
        return [convBackpropFilter64(xVals(g), dy, [g.fh, g.fw, g.c, g.oc], info, true)];
      },
      judge: SUMS,
      runs: 60,
    });
  });
});

describe('property: pooling, judged by float64', () => {
  const geom = convGeom({ dilations: false, numberPad: true }).map((g) => ({ ...g, nchw: false }));
  interface PoolCase {
    g: ConvGeom;
    kind: string;
    grad: boolean;
    specials: boolean;
  }
  const poolInfo = ({ g }: PoolCase) =>
    backend_util.computePool2DInfo([g.n, g.h, g.w, g.c], [g.fh, g.fw], g.s, 1, g.pad as 'same');
  // ±Inf and -0 (max pooling's NaN handling is cpu's `>` scan; see the note in pool.test.ts).
  const xVals = (p: PoolCase) =>
    randValues(xShape(p.g), p.g.seed, { specials: p.specials && !p.grad ? [Infinity, -Infinity, -0] : [], every: 10 });

  it('maxPool / avgPool and their gradients', async () => {
    await checkProperty({
      name: 'pool',
      params: fc.record({ g: geom, kind: fc.constantFrom('max', 'avg'), grad: fc.boolean(), specials: fc.boolean() }),
      program: (p) => () => {
        const { g } = p;
        const x = tf.tensor(xVals(p), xShape(g));
        const pool = (t: tf.Tensor) =>
          (p.kind === 'max' ? tf.maxPool : tf.avgPool)(t as tf.Tensor4D, [g.fh, g.fw], g.s, g.pad as 'same');
        if (!p.grad) return pool(x);
        const dy = rand(poolInfo(p).outShape, g.seed + 3);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t), dy)))(x);
      },
      float64: (p) => {
        const info = poolInfo(p);
        if (info.outShape.some((d) => d < 0)) throw new Error(`invalid output shape [${info.outShape}]`);
        const dy = p.grad ? randValues(info.outShape, p.g.seed + 3) : undefined;
        return [pool64(xVals(p), info, p.kind === 'max', dy)];
      },
      judge: (p) => ({ signedZero: p.kind === 'max' && !p.grad }),
      runs: 80,
    });
  });
});

describe('property: batchNorm, judged by float64', () => {
  it('batchNorm: ranks 1-4, per-channel or full-shape statistics, optional offset/scale', async () => {
    interface NormCase {
      shape: number[];
      full: boolean;
      offset: boolean;
      scale: boolean;
      eps: number;
      specials: boolean;
      seed: number;
    }
    const statShape = (p: NormCase) => (p.full ? p.shape : [p.shape[p.shape.length - 1]!]);
    const values = (p: NormCase) => {
      const s = statShape(p);
      return {
        x: randValues(p.shape, p.seed, { specials: p.specials ? SPECIALS : [], every: 12 }),
        mean: randValues(s, p.seed + 1),
        variance: randValues(s, p.seed + 2, { lo: 0, hi: 2 }),
        offset: p.offset ? randValues(s, p.seed + 3) : undefined,
        scale: p.scale ? randValues(s, p.seed + 4) : undefined,
      };
    };
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
        const v = values(p);
        const s = statShape(p);
        return tf.batchNorm(
          tf.tensor(v.x, p.shape),
          tf.tensor(v.mean, s),
          tf.tensor(v.variance, s),
          v.offset && tf.tensor(v.offset, s),
          v.scale && tf.tensor(v.scale, s),
          p.eps,
        );
      },
      float64: (p) => {
        const v = values(p);
        return [batchNorm64(v.x, p.shape, v, statShape(p), p.eps)];
      },
      // (x - mean) · scale / sqrt(var + eps): a few roundings, on the scale of the terms.
      judge: { ulps: 4, signedZero: false },
      runs: 60,
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
