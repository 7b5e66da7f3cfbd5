import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import { refActivation, refConv, toNCHW, type Pad } from './conv_reference.js';

// Tolerance: float32 sums of at most a few hundred products of values in [-1, 1], compared
// relative to max(1, |reference|); reassociation alone stays near 1e-6.
const TOL = 1e-4;

interface Case {
  n: number;
  h: number;
  w: number;
  ic: number;
  oc: number;
  fh: number;
  fw: number;
  s: [number, number];
  d: [number, number];
  pad: Pad;
}

function run(c: Case, format: 'NHWC' | 'NCHW' = 'NHWC'): { got: Float32Array; want: Float32Array } {
  const xShape = [c.n, c.h, c.w, c.ic];
  const wShape = [c.fh, c.fw, c.ic, c.oc];
  const x = randomFloats(c.n * c.h * c.w * c.ic, c.h * 7 + c.ic * 13 + c.n);
  const w = randomFloats(c.fh * c.fw * c.ic * c.oc, c.oc * 5 + c.fh + 11);
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    wShape as [number, number, number, number],
    c.s,
    c.d,
    c.pad,
  );
  let want = refConv(x, xShape, w, wShape, info);
  const xt =
    format === 'NHWC'
      ? tf.tensor4d(x, xShape as [number, number, number, number])
      : tf.tensor4d(toNCHW(x, xShape), [c.n, c.ic, c.h, c.w]);
  const pad =
    format === 'NCHW' && Array.isArray(c.pad)
      ? ([c.pad[0], c.pad[3], c.pad[1], c.pad[2]] as backend_util.ExplicitPadding)
      : c.pad;
  const y = tf.conv2d(xt, tf.tensor4d(w, wShape as [number, number, number, number]), c.s, pad as 'same', format, c.d);
  if (format === 'NCHW') want = toNCHW(want, info.outShape);
  const got = y.dataSync() as Float32Array;
  expect(y.shape).toEqual(format === 'NHWC' ? info.outShape : [c.n, c.oc, info.outHeight, info.outWidth]);
  return { got, want };
}

/** Deterministic variety: every tile remainder, stride, dilation and padding mode over the cases. */
function cases(): Case[] {
  const out: Case[] = [];
  const pads: Pad[] = [
    'same',
    'valid',
    1,
    [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  ];
  let i = 0;
  for (let ic = 1; ic <= 9; ic++)
    for (const oc of [1, 3, 4, 7, 8, 9, 16, 17]) {
      const fh = 1 + (i % 3),
        fw = 1 + ((i + 1) % 3);
      const s: [number, number] = [1 + (i % 3), 1 + ((i >> 1) % 2)];
      const d: [number, number] = s[0] === 1 && s[1] === 1 ? [1 + (i % 2), 1 + ((i >> 2) % 2)] : [1, 1];
      out.push({
        n: i % 3 === 0 ? 2 : 1,
        h: 3 + (i % 7),
        w: 2 + ((i * 5) % 9),
        ic,
        oc,
        fh,
        fw,
        s,
        d,
        pad: pads[i % 4],
      });
      i++;
    }
  return out;
}

describe('Conv2D (implicit GEMM, 4x8 tiles)', () => {
  beforeAll(lanes);

  it('matches the direct reference over channel counts 1..9, tile remainders, strides, dilations and paddings (NHWC)', () => {
    for (const c of cases()) {
      const { got, want } = tf.tidy(() => run(c));
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it('matches the direct reference in NCHW', () => {
    for (const c of cases().filter((_, i) => i % 3 === 0)) {
      const { got, want } = tf.tidy(() => run(c, 'NCHW'));
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it('handles larger filters, wide segments and filters larger than the padded input', () => {
    const more: Case[] = [
      { n: 1, h: 9, w: 11, ic: 5, oc: 12, fh: 5, fw: 5, s: [1, 1], d: [1, 1], pad: 'same' },
      { n: 2, h: 7, w: 7, ic: 3, oc: 8, fh: 7, fw: 7, s: [2, 2], d: [1, 1], pad: 'same' },
      { n: 1, h: 4, w: 4, ic: 2, oc: 5, fh: 3, fw: 3, s: [1, 1], d: [2, 2], pad: 'same' },
      { n: 1, h: 2, w: 3, ic: 4, oc: 6, fh: 3, fw: 5, s: [1, 1], d: [1, 1], pad: 2 },
      { n: 3, h: 6, w: 6, ic: 32, oc: 33, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'same' },
      { n: 1, h: 5, w: 5, ic: 64, oc: 8, fh: 1, fw: 1, s: [1, 1], d: [1, 1], pad: 'valid' },
      // Few input channels go through explicit im2col rows, 4 MB of rows at a time: several pieces.
      { n: 4, h: 130, w: 126, ic: 2, oc: 10, fh: 5, fw: 5, s: [1, 1], d: [1, 1], pad: 'same' },
      { n: 2, h: 30, w: 31, ic: 3, oc: 5, fh: 3, fw: 3, s: [2, 1], d: [1, 1], pad: 'valid' },
    ];
    for (const c of more) {
      const { got, want } = tf.tidy(() => run(c));
      expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it('returns empty outputs for batch 0 and zeros for zero input channels', () => {
    const y = tf.conv2d(tf.zeros([0, 4, 4, 3]) as tf.Tensor4D, tf.ones([3, 3, 3, 2]) as tf.Tensor4D, 1, 'same');
    expect(y.shape).toEqual([0, 4, 4, 2]);
    const z = tf.conv2d(tf.zeros([1, 3, 3, 0]) as tf.Tensor4D, tf.zeros([2, 2, 0, 3]) as tf.Tensor4D, 1, 'valid');
    expect(z.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual(new Array(12).fill(0));
  });
});

describe('FusedConv2D epilogue', () => {
  beforeAll(lanes);
  const activations = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  const c: Case = { n: 2, h: 5, w: 6, ic: 3, oc: 9, fh: 3, fw: 3, s: [1, 1], d: [1, 1], pad: 'same' };

  // tfjs-core accepts only scalar or 1-D biases in NCHW; its PReLU shape check there assumes NHWC,
  // so 3-D weights only pass on square shapes (covered by the fixed cases below).
  const combos = [
    ...(['none', 'channel', 'scalar', 'full'] as const).map((b) => ['NHWC', b, ['channel', 'scalar', 'full']] as const),
    ...(['none', 'channel', 'scalar'] as const).map((b) => ['NCHW', b, ['channel', 'scalar']] as const),
  ];
  for (const [format, biasKind, preluKinds] of combos)
    it(`bias ${biasKind}, every activation (${format})`, () => {
      const xShape = [c.n, c.h, c.w, c.ic],
        wShape = [c.fh, c.fw, c.ic, c.oc];
      const x = randomFloats(c.n * c.h * c.w * c.ic, 3).map((v) => v * 3);
      const w = randomFloats(c.fh * c.fw * c.ic * c.oc, 4);
      const info = backend_util.computeConv2DInfo(
        xShape as [number, number, number, number],
        wShape as [number, number, number, number],
        1,
        1,
        'same',
      );
      const conv = refConv(x, xShape, w, wShape, info);
      const [oh, ow, oc] = [info.outHeight, info.outWidth, c.oc];
      const biasVals = randomFloats(biasKind === 'full' ? oh * ow * oc : oc, 9);
      const slopes = randomFloats(oc, 10).map((v) => v * 0.5);
      for (const activation of activations)
        for (const preluKind of activation === 'prelu' ? preluKinds : (['channel'] as const)) {
          const preluVals = preluKind === 'full' ? randomFloats(oh * ow * oc, 12) : slopes;
          const want = new Float32Array(conv.length);
          for (let p = 0; p < conv.length; p++) {
            const o = p % oc,
              pix = Math.floor(p / oc) % (oh * ow);
            const b =
              biasKind === 'none'
                ? 0
                : biasKind === 'scalar'
                  ? biasVals[0]
                  : biasKind === 'full'
                    ? biasVals[pix * oc + o]
                    : biasVals[o];
            const slope =
              preluKind === 'scalar' ? slopes[0] : preluKind === 'full' ? preluVals[pix * oc + o] : slopes[o];
            want[p] = refActivation(conv[p] + b, activation, 0.15, slope);
          }
          const nchw = format === 'NCHW';
          const operand = (vals: Float32Array, kind: string): tf.Tensor | undefined => {
            if (kind === 'none') return undefined;
            if (kind === 'scalar') return tf.tensor1d([vals[0]]);
            if (kind === 'channel') return tf.tensor1d(vals);
            const t = tf.tensor3d(vals, [oh, ow, oc]);
            return nchw ? tf.transpose(t, [2, 0, 1]) : t;
          };
          const got = tf.tidy(
            () =>
              tf.fused
                .conv2d({
                  x: nchw
                    ? tf.tensor4d(toNCHW(x, xShape), [c.n, c.ic, c.h, c.w])
                    : tf.tensor4d(x, xShape as [number, number, number, number]),
                  filter: tf.tensor4d(w, wShape as [number, number, number, number]),
                  strides: 1,
                  pad: 'same',
                  dataFormat: format,
                  bias: operand(biasVals, biasKind),
                  activation,
                  leakyreluAlpha: 0.15,
                  preluActivationWeights: activation === 'prelu' ? operand(preluVals, preluKind) : undefined,
                })
                .dataSync() as Float32Array,
          );
          const expected = nchw ? toNCHW(want, [c.n, oh, ow, oc]) : want;
          expect(maxRelError(got, expected), `${activation} prelu=${preluKind}`).toBeLessThan(TOL);
        }
    });

  it('NCHW with full [C,H,W] PReLU weights (the tfjs-core case)', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const w = tf.tensor4d([-1, -1, -2, -2], [1, 1, 2, 2]);
    const alpha = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const y = tf.fused.conv2d({
      x,
      filter: w,
      strides: 1,
      pad: 0,
      dataFormat: 'NCHW',
      activation: 'prelu',
      preluActivationWeights: alpha,
    });
    expect(Array.from(y.dataSync())).toEqual([-11, -28, -51, -80, -55, -84, -119, -160]);
    const c11 = tf.fused.conv2d({
      x,
      filter: w,
      strides: 1,
      pad: 0,
      dataFormat: 'NCHW',
      activation: 'prelu',
      preluActivationWeights: tf.tensor3d([1, 10], [2, 1, 1]),
    });
    expect(Array.from(c11.dataSync())).toEqual([-11, -14, -17, -20, -110, -140, -170, -200]);
  });
});
