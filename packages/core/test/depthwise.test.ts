import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import {
  refActivation,
  refConv,
  refConvBackpropFilter,
  refConvBackpropInput,
  toNCHW,
  type Pad,
} from './conv_reference.js';

// Tolerance relative to max(1, |reference|): float32 sums of at most a few hundred products.
const TOL = 1e-4;

type Shape4 = [number, number, number, number];

interface Case {
  n: number;
  h: number;
  w: number;
  c: number;
  m: number;
  fh: number;
  fw: number;
  s: [number, number];
  d: [number, number];
  pad: Pad;
}

/** Channels 1..9 (the scalar path below 4, the shifted last vector above), multipliers 1-3, strides or dilations. */
function cases(): Case[] {
  const out: Case[] = [];
  const pads: Pad[] = [
    'same',
    'valid',
    2,
    [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ],
  ];
  let i = 0;
  for (let c = 1; c <= 9; c++)
    for (const m of [1, 2, 3])
      for (const k of [0, 1]) {
        const strided = (i + k) % 2 === 0;
        out.push({
          n: [1, 2, 0, 1][i % 4] || (k ? 1 : 0),
          h: 3 + (i % 6),
          w: 2 + ((i * 5) % 9),
          c,
          m,
          fh: 1 + (i % 3),
          fw: 1 + ((i + k) % 3),
          s: strided ? [1 + (i % 3), 1 + ((i >> 1) % 3)] : [1, 1],
          d: strided ? [1, 1] : [1 + (i % 2), 1 + ((i >> 1) % 2)],
          pad: pads[(i + k) % 4],
        });
        i++;
      }
  return out;
}

function infoOf(c: Case): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo([c.n, c.h, c.w, c.c], [c.fh, c.fw, c.c, c.m], c.s, c.d, c.pad, undefined, true);
}

describe('DepthwiseConv2dNative (direct, 4-pixel tiles)', () => {
  beforeAll(lanes);

  it('matches the direct reference over channels 1..9, multipliers 1-3, strides, dilations, paddings (NHWC)', () => {
    for (const c of cases()) {
      const xShape: Shape4 = [c.n, c.h, c.w, c.c],
        wShape: Shape4 = [c.fh, c.fw, c.c, c.m];
      const info = infoOf(c);
      const x = randomFloats(c.n * c.h * c.w * c.c, c.c * 7 + c.m);
      const w = randomFloats(c.fh * c.fw * c.c * c.m, c.fh + 3 * c.fw + c.m);
      const want = refConv(x, xShape, w, wShape, info, true);
      const got = tf.tidy(() => {
        const y = tf.depthwiseConv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, wShape), c.s, c.pad as 'same', 'NHWC', c.d);
        expect(y.shape).toEqual(info.outShape);
        return y.dataSync() as Float32Array;
      });
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it('computes NCHW as NCHW (tfjs-backend-cpu ignores the format here; TensorFlow does not)', () => {
    const c: Case = { n: 2, h: 5, w: 7, c: 6, m: 2, fh: 3, fw: 3, s: [2, 1], d: [1, 1], pad: 'same' };
    const xShape: Shape4 = [c.n, c.h, c.w, c.c],
      wShape: Shape4 = [3, 3, 6, 2];
    const info = infoOf(c);
    const x = randomFloats(c.n * c.h * c.w * c.c, 1),
      w = randomFloats(3 * 3 * 6 * 2, 2);
    const want = toNCHW(refConv(x, xShape, w, wShape, info, true), info.outShape);
    const got = tf.tidy(() =>
      tf
        .depthwiseConv2d(tf.tensor4d(toNCHW(x, xShape), [2, 6, 5, 7]), tf.tensor4d(w, wShape), c.s, 'same', 'NCHW')
        .dataSync(),
    );
    expect(maxRelError(got, want)).toBeLessThan(TOL);
  });

  it('handles wide rows (interior and border tiles), 5x5 filters and 96 channels', () => {
    for (const c of [
      { n: 2, h: 9, w: 23, c: 96, m: 1, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'same' },
      { n: 1, h: 11, w: 13, c: 13, m: 1, fh: 5, fw: 5, s: [2, 2], d: [1, 1], pad: 'same' },
      { n: 1, h: 8, w: 17, c: 8, m: 4, fh: 3, fw: 3, s: [1, 1], d: [2, 2], pad: 'valid' },
      // The sliding 3x3 paths (column stride 1 and 2), border tiles, channel remainders.
      { n: 2, h: 7, w: 37, c: 6, m: 1, fh: 3, fw: 3, s: [2, 2], d: [1, 1], pad: 'same' },
      { n: 1, h: 6, w: 29, c: 13, m: 1, fh: 3, fw: 3, s: [1, 2], d: [1, 1], pad: 'valid' },
      { n: 1, h: 5, w: 30, c: 5, m: 2, fh: 3, fw: 3, s: [2, 1], d: [1, 1], pad: 1 },
      {
        n: 1,
        h: 4,
        w: 21,
        c: 4,
        m: 1,
        fh: 3,
        fw: 3,
        s: [1, 1],
        d: [1, 1],
        pad: [
          [0, 0],
          [0, 2],
          [2, 1],
          [0, 0],
        ],
      },
    ] as Case[]) {
      const xShape: Shape4 = [c.n, c.h, c.w, c.c],
        wShape: Shape4 = [c.fh, c.fw, c.c, c.m];
      const x = randomFloats(c.n * c.h * c.w * c.c, 3),
        w = randomFloats(c.fh * c.fw * c.c * c.m, 4);
      const want = refConv(x, xShape, w, wShape, infoOf(c), true);
      const got = tf.tidy(() =>
        tf
          .depthwiseConv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, wShape), c.s, c.pad as 'same', 'NHWC', c.d)
          .dataSync(),
      );
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });
});

describe('FusedDepthwiseConv2D epilogue', () => {
  beforeAll(lanes);
  for (const biasKind of ['none', 'channel', 'scalar', 'full'] as const)
    it(`bias ${biasKind}, every activation, channels 5 x multiplier 2`, () => {
      const c: Case = { n: 2, h: 5, w: 6, c: 5, m: 2, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'same' };
      const xShape: Shape4 = [c.n, c.h, c.w, c.c],
        wShape: Shape4 = [3, 3, 5, 2];
      const info = infoOf(c);
      const oc = 10,
        pix = info.outHeight * info.outWidth;
      const x = randomFloats(c.n * c.h * c.w * c.c, 11).map((v) => v * 3),
        w = randomFloats(90, 12);
      const conv = refConv(x, xShape, w, wShape, info, true);
      const biasVals = randomFloats(biasKind === 'full' ? pix * oc : oc, 13);
      const slopes = randomFloats(oc, 14);
      for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const)
        for (const preluKind of activation === 'prelu'
          ? (['channel', 'scalar', 'full'] as const)
          : (['channel'] as const)) {
          const preluVals = preluKind === 'full' ? randomFloats(pix * oc, 15) : slopes;
          const want = conv.map((v, p) => {
            const o = p % oc,
              q = Math.floor(p / oc) % pix;
            const b =
              biasKind === 'none'
                ? 0
                : biasKind === 'scalar'
                  ? biasVals[0]
                  : biasKind === 'full'
                    ? biasVals[q * oc + o]
                    : biasVals[o];
            const slope = preluKind === 'scalar' ? slopes[0] : preluKind === 'full' ? preluVals[q * oc + o] : slopes[o];
            return refActivation(v + b, activation, 0.3, slope);
          });
          const operand = (vals: Float32Array, kind: string): tf.Tensor | undefined =>
            kind === 'none'
              ? undefined
              : kind === 'scalar'
                ? tf.scalar(vals[0])
                : kind === 'channel'
                  ? tf.tensor1d(vals)
                  : tf.tensor3d(vals, [info.outHeight, info.outWidth, oc]);
          const got = tf.tidy(
            () =>
              tf.fused
                .depthwiseConv2d({
                  x: tf.tensor4d(x, xShape),
                  filter: tf.tensor4d(w, wShape),
                  strides: 1,
                  pad: 'same',
                  bias: operand(biasVals, biasKind),
                  activation,
                  leakyreluAlpha: 0.3,
                  preluActivationWeights: activation === 'prelu' ? operand(preluVals, preluKind) : undefined,
                })
                .dataSync() as Float32Array,
          );
          expect(maxRelError(got, want), `${activation} prelu=${preluKind}`).toBeLessThan(TOL);
        }
    });
});

describe('DepthwiseConv2dNative 3x3 sliding rows (stride 1 and 2)', () => {
  beforeAll(lanes);

  it('matches the reference at the row edges, for odd channel counts, paddings and fused bias + relu6', () => {
    const pads: Pad[] = [
      'same',
      'valid',
      // Wider than the window: whole columns left and right of the source.
      3,
      [
        [0, 0],
        [2, 0],
        [0, 3],
        [0, 0],
      ],
    ];
    for (const s of [1, 2])
      for (const c of [4, 5, 13])
        for (const w of [1, 2, 3, 4, 7, 12])
          for (const pad of pads) {
            const k: Case = { n: 2, h: 6, w, c, m: 1, fh: 3, fw: 3, s: [s, s], d: [1, 1], pad };
            const info = infoOf(k);
            if (info.outHeight <= 0 || info.outWidth <= 0) continue;
            const xShape: Shape4 = [k.n, k.h, k.w, c],
              wShape: Shape4 = [3, 3, c, 1];
            const x = randomFloats(k.n * k.h * w * c, 31 + w),
              f = randomFloats(9 * c, 7 + c),
              bias = randomFloats(c, 5).map((v) => 2 * v);
            const plain = refConv(x, xShape, f, wShape, info, true);
            const want = plain.map((v, i) => refActivation(v + bias[i % c], 'relu6', 0, 0));
            const [gotPlain, gotFused] = tf.tidy(() => {
              const xt = tf.tensor4d(x, xShape),
                ft = tf.tensor4d(f, wShape);
              return [
                tf.depthwiseConv2d(xt, ft, s, pad as 'same').dataSync() as Float32Array,
                tf.fused
                  .depthwiseConv2d({
                    x: xt,
                    filter: ft,
                    strides: s,
                    pad: pad as 'same',
                    bias: tf.tensor1d(bias),
                    activation: 'relu6',
                  })
                  .dataSync() as Float32Array,
              ];
            });
            const label = JSON.stringify({ s, c, w, pad });
            expect(maxRelError(gotPlain, plain), label).toBeLessThan(TOL);
            expect(maxRelError(gotFused, want), label).toBeLessThan(TOL);
          }
  });
});

describe('FusedDepthwiseConv2D 3x3 rows with relu / relu6 clamped as stored', () => {
  beforeAll(lanes);

  it('matches the reference over wide rows (stride 2 in row segments), channel remainders and a NaN', () => {
    for (const s of [1, 2])
      for (const c of [4, 50, 96])
        for (const w of [23, 61])
          for (const pad of ['same', 'valid'] as const)
            for (const activation of ['relu', 'relu6'] as const) {
              const k: Case = { n: 2, h: 5, w, c, m: 1, fh: 3, fw: 3, s: [s, s], d: [1, 1], pad };
              const info = infoOf(k);
              const xShape: Shape4 = [k.n, k.h, w, c],
                wShape: Shape4 = [3, 3, c, 1];
              // Scaled so that relu6 clamps a share of the outputs at 6; one NaN spreads to its window.
              const x = randomFloats(k.n * k.h * w * c, 3 + w + c).map((v) => 4 * v);
              x[(w + 7) * c + (c >> 1)] = NaN;
              const f = randomFloats(9 * c, 11 + c),
                bias = randomFloats(c, 13 + c);
              const want = refConv(x, xShape, f, wShape, info, true).map((v, i) =>
                refActivation(v + bias[i % c], activation, 0, 0),
              );
              expect(want.some((v) => Number.isNaN(v))).toBe(true);
              if (activation === 'relu6') expect(want.some((v) => v === 6)).toBe(true);
              const got = tf.tidy(
                () =>
                  tf.fused
                    .depthwiseConv2d({
                      x: tf.tensor4d(x, xShape),
                      filter: tf.tensor4d(f, wShape),
                      strides: s,
                      pad,
                      bias: tf.tensor1d(bias),
                      activation,
                    })
                    .dataSync() as Float32Array,
              );
              expect(maxRelError(got, want), JSON.stringify({ s, c, w, pad, activation })).toBeLessThan(TOL);
            }
  });
});

describe('DepthwiseConv2dNative gradients', () => {
  beforeAll(lanes);
  it('BackpropInput matches the scatter reference (phases for strides, dilations, multipliers)', () => {
    const wide: Case[] = [
      { n: 2, h: 6, w: 27, c: 7, m: 1, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'same' },
      { n: 1, h: 5, w: 33, c: 12, m: 2, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'valid' },
      { n: 1, h: 9, w: 31, c: 5, m: 1, fh: 3, fw: 3, s: [2, 2], d: [1, 1], pad: 'same' },
    ];
    for (const c of [...cases(), ...wide]) {
      const wShape: Shape4 = [c.fh, c.fw, c.c, c.m];
      const info = infoOf(c);
      const dy = randomFloats(
        info.outShape.reduce((a, b) => a * b, 1),
        c.c + c.m * 3,
      );
      const w = randomFloats(c.fh * c.fw * c.c * c.m, 21);
      const want = refConvBackpropInput(dy, w, wShape, info, true);
      const got = tf.tidy(
        () =>
          (
            tf
              .engine()
              .runKernel(
                'DepthwiseConv2dNativeBackpropInput',
                { dy: tf.tensor4d(dy, info.outShape), filter: tf.tensor4d(w, wShape) },
                { inputShape: [c.n, c.h, c.w, c.c], strides: c.s, dilations: c.d, pad: c.pad },
              ) as tf.Tensor
          ).dataSync() as Float32Array,
      );
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it('BackpropFilter matches the reference (padding, multipliers, chunks of pixels)', () => {
    for (const c of [
      ...cases(),
      { n: 3, h: 15, w: 14, c: 7, m: 1, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'same' } as Case,
    ]) {
      const xShape: Shape4 = [c.n, c.h, c.w, c.c],
        wShape: Shape4 = [c.fh, c.fw, c.c, c.m];
      const info = infoOf(c);
      const x = randomFloats(c.n * c.h * c.w * c.c, c.h * 3 + c.m);
      const dy = randomFloats(
        info.outShape.reduce((a, b) => a * b, 1),
        c.c + 40,
      );
      const want = refConvBackpropFilter(x, dy, wShape, info, true);
      const got = tf.tidy(
        () =>
          (
            tf
              .engine()
              .runKernel(
                'DepthwiseConv2dNativeBackpropFilter',
                { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, info.outShape) },
                { filterShape: wShape, strides: c.s, dilations: c.d, pad: c.pad },
              ) as tf.Tensor
          ).dataSync() as Float32Array,
      );
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it('tf.grads on lanes equal tf.grads on cpu (plain and fused, multiplier 2, stride 2)', async () => {
    const xv = randomFloats(2 * 7 * 6 * 5, 31),
      fv = randomFloats(3 * 3 * 5 * 2, 32),
      bv = randomFloats(10, 33);
    const grads = (): Float32Array[] => {
      const loss = (x: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor1D): tf.Scalar => {
        const y = tf.depthwiseConv2d(x, f, 2, 'same');
        const z = tf.fused.depthwiseConv2d({
          x: y,
          filter: tf.slice(f, [0, 0, 0, 0], [3, 3, 5, 2]).reshape([3, 3, 10, 1]) as tf.Tensor4D,
          strides: 1,
          pad: 'valid',
          bias: b,
          activation: 'elu',
        });
        return tf.sum(tf.mul(z, tf.tensor(randomFloats(z.size, 34), z.shape)));
      };
      return tf
        .grads(loss as (...t: tf.Tensor[]) => tf.Tensor)([
          tf.tensor4d(xv, [2, 7, 6, 5]),
          tf.tensor4d(fv, [3, 3, 5, 2]),
          tf.tensor1d(bv),
        ])
        .map((g) => g.dataSync() as Float32Array);
    };
    await tf.setBackend('cpu');
    const want = tf.tidy(grads);
    await tf.setBackend('lanes');
    const got = tf.tidy(grads);
    for (let i = 0; i < 3; i++) expect(maxRelError(got[i], want[i]), `grad ${i}`).toBeLessThan(TOL);
  });
});
