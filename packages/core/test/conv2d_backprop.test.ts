import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import {
  nchwPad,
  refConvBackpropFilter,
  refConvBackpropInput,
  toNCHW,
  type ConvCase as Case,
  type Pad,
} from './conv_reference.js';

// Tolerances: gradients sum up to a few thousand products of values in [-1, 1] (dW reduces over
// every output pixel); relative to max(1, |reference|).
const TOL = 1e-4;

type Shape4 = [number, number, number, number];

function cases(): Case[] {
  const out: Case[] = [];
  const pads: Pad[] = [
    'same',
    'valid',
    1,
    [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  ];
  let i = 0;
  for (let ic = 1; ic <= 9; ic++)
    for (const oc of [1, 2, 4, 5, 8, 9, 13, 16]) {
      out.push({
        n: [1, 2, 1, 3][i % 4],
        h: 2 + (i % 7),
        w: 3 + ((i * 3) % 8),
        ic,
        oc,
        fh: 1 + (i % 3),
        fw: 1 + ((i >> 1) % 3),
        s: [1 + (i % 3), 1 + ((i >> 2) % 3)],
        pad: pads[i % 4],
      });
      i++;
    }
  return out;
}

describe('Conv2DBackpropInput (phase-split implicit GEMM)', () => {
  beforeAll(lanes);
  for (const format of ['NHWC', 'NCHW'] as const)
    it(`matches the scatter reference over channels 1..9, strides 1-3 and every padding (${format})`, () => {
      for (const c of cases()) {
        const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
          wShape: Shape4 = [c.fh, c.fw, c.ic, c.oc];
        const info = backend_util.computeConv2DInfo(xShape, wShape, c.s, 1, c.pad);
        const dy = randomFloats(
          info.outShape.reduce((a, b) => a * b, 1),
          c.ic * 3 + c.oc,
        );
        const w = randomFloats(c.fh * c.fw * c.ic * c.oc, c.h + 17);
        const want = refConvBackpropInput(dy, w, wShape, info);
        const nchw = format === 'NCHW';
        const got = tf.tidy(() => {
          const dyT = nchw
            ? tf.tensor4d(toNCHW(dy, info.outShape), [c.n, c.oc, info.outHeight, info.outWidth])
            : tf.tensor4d(dy, info.outShape);
          const inputShape = nchw ? [c.n, c.ic, c.h, c.w] : xShape;
          const r = tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: dyT, filter: tf.tensor4d(w, wShape) },
              { inputShape, strides: c.s, pad: nchw ? nchwPad(c.pad) : c.pad, dataFormat: format },
            ) as tf.Tensor;
          expect(r.shape).toEqual(inputShape);
          return r.dataSync() as Float32Array;
        });
        expect(maxRelError(got, nchw ? toNCHW(want, xShape) : want), JSON.stringify(c)).toBeLessThan(TOL);
      }
    });

  it('is conv2dTranspose (output shapes past the exact fit, strides 2 and 3)', () => {
    for (const [h, w, s, pad, out] of [
      [3, 4, 2, 'same', [6, 8]],
      [3, 3, 3, 'valid', [11, 10]],
      [4, 2, 2, 'valid', [10, 5]],
    ] as const) {
      const ic = 5,
        oc = 3,
        f = 3;
      const dy = randomFloats(2 * h * w * oc, h * w);
      const filter = randomFloats(f * f * ic * oc, 7);
      const xShape: Shape4 = [2, out[0], out[1], ic];
      const info = backend_util.computeConv2DInfo(xShape, [f, f, ic, oc], s, 1, pad);
      expect([info.outHeight, info.outWidth]).toEqual([h, w]);
      const want = refConvBackpropInput(dy, filter, [f, f, ic, oc], info);
      const got = tf.tidy(() =>
        tf
          .conv2dTranspose(tf.tensor4d(dy, [2, h, w, oc]), tf.tensor4d(filter, [f, f, ic, oc]), xShape, s, pad)
          .dataSync(),
      );
      expect(maxRelError(got, want)).toBeLessThan(TOL);
    }
  });

  it('reads only the output extent of a dy larger than the geometry implies (as tfjs-backend-cpu)', async () => {
    // tfjs-core's conv2dTranspose accepts dy [1,8,8,C] for outputShape [1,4,4,C] with f=8, 'same'.
    const dy = randomFloats(8 * 8 * 3, 41),
      w = randomFloats(8 * 8 * 2 * 3, 42);
    const run = (): Float32Array =>
      tf.tidy(
        () =>
          tf
            .conv2dTranspose(tf.tensor4d(dy, [1, 8, 8, 3]), tf.tensor4d(w, [8, 8, 2, 3]), [1, 4, 4, 2], 1, 'same')
            .dataSync() as Float32Array,
      );
    const got = run();
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('lanes');
    expect(maxRelError(got, want)).toBeLessThan(TOL);
  });
});

describe('Conv2DBackpropFilter (register-tiled reduction)', () => {
  beforeAll(lanes);
  for (const format of ['NHWC', 'NCHW'] as const)
    it(`matches the reference over channels 1..9, strides 1-3 and every padding (${format})`, () => {
      for (const c of cases()) {
        const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
          wShape: Shape4 = [c.fh, c.fw, c.ic, c.oc];
        const info = backend_util.computeConv2DInfo(xShape, wShape, c.s, 1, c.pad);
        const x = randomFloats(c.n * c.h * c.w * c.ic, c.ic + 5 * c.oc);
        const dy = randomFloats(
          info.outShape.reduce((a, b) => a * b, 1),
          c.w + 3,
        );
        const want = refConvBackpropFilter(x, dy, wShape, info);
        const nchw = format === 'NCHW';
        const got = tf.tidy(() => {
          const xT = nchw ? tf.tensor4d(toNCHW(x, xShape), [c.n, c.ic, c.h, c.w]) : tf.tensor4d(x, xShape);
          const dyT = nchw
            ? tf.tensor4d(toNCHW(dy, info.outShape), [c.n, c.oc, info.outHeight, info.outWidth])
            : tf.tensor4d(dy, info.outShape);
          const r = tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: xT, dy: dyT },
              { filterShape: wShape, strides: c.s, pad: nchw ? nchwPad(c.pad) : c.pad, dataFormat: format },
            ) as tf.Tensor;
          expect(r.shape).toEqual(wShape);
          return r.dataSync() as Float32Array;
        });
        expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
      }
    });

  it('reduces across pixel chunks (more than 256 output pixels) and empty batches', () => {
    const c: Case = { n: 3, h: 17, w: 19, ic: 6, oc: 11, fh: 3, fw: 3, s: [1, 1], pad: 'same' };
    const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
      wShape: Shape4 = [3, 3, 6, 11];
    const info = backend_util.computeConv2DInfo(xShape, wShape, 1, 1, 'same');
    const x = randomFloats(c.n * c.h * c.w * c.ic, 1),
      dy = randomFloats(c.n * c.h * c.w * c.oc, 2);
    const got = tf.tidy(() =>
      (
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, info.outShape) },
            { filterShape: wShape, strides: 1, pad: 'same', dataFormat: 'NHWC' },
          ) as tf.Tensor
      ).dataSync(),
    );
    expect(maxRelError(got, refConvBackpropFilter(x, dy, wShape, info))).toBeLessThan(TOL);
    const empty = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x: tf.zeros([0, 4, 4, 2]), dy: tf.zeros([0, 4, 4, 3]) },
        { filterShape: [3, 3, 2, 3], strides: 1, pad: 'same', dataFormat: 'NHWC' },
      ) as tf.Tensor;
    expect(Array.from(empty.dataSync())).toEqual(new Array(54).fill(0));
  });
});

/** Runs fn with 'cpu' as the backend and returns plain arrays. */
async function onCpu<T extends tf.TensorContainer>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return tf.tidy(fn);
  } finally {
    await tf.setBackend('lanes');
  }
}

describe('conv2d gradients: tf.grads on lanes equal tf.grads on cpu', () => {
  beforeAll(lanes);
  const configs: Array<{ x: Shape4; f: Shape4; s: number | [number, number]; pad: Pad; fmt: 'NHWC' | 'NCHW' }> = [
    { x: [2, 7, 6, 3], f: [3, 3, 3, 5], s: 1, pad: 'same', fmt: 'NHWC' },
    { x: [1, 9, 8, 4], f: [3, 2, 4, 8], s: 2, pad: 'valid', fmt: 'NHWC' },
    { x: [2, 5, 5, 6], f: [2, 2, 6, 9], s: [1, 3], pad: 1, fmt: 'NHWC' },
    { x: [2, 3, 6, 6], f: [3, 3, 3, 4], s: 2, pad: 'same', fmt: 'NCHW' },
    { x: [1, 7, 5, 3], f: [1, 1, 7, 2], s: 1, pad: 'valid', fmt: 'NCHW' },
  ];
  for (const cfg of configs)
    it(`conv2d x=${cfg.x} f=${cfg.f} s=${cfg.s} pad=${cfg.pad} ${cfg.fmt}`, async () => {
      const xv = randomFloats(
        cfg.x.reduce((a, b) => a * b, 1),
        3,
      );
      const fv = randomFloats(
        cfg.f.reduce((a, b) => a * b, 1),
        4,
      );
      const grads = (): Float32Array[] => {
        const x = tf.tensor4d(xv, cfg.x),
          f = tf.tensor4d(fv, cfg.f);
        const loss = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar => {
          const y = tf.conv2d(a, b, cfg.s, cfg.pad as 'same', cfg.fmt);
          return tf.sum(tf.mul(y, tf.tensor(randomFloats(y.size, 9), y.shape)));
        };
        return tf
          .grads(loss as (...t: tf.Tensor[]) => tf.Tensor)([x, f])
          .map((g) => g.dataSync() as Float32Array);
      };
      const want = await onCpu(grads);
      const got = tf.tidy(grads);
      expect(maxRelError(got[0], want[0]), 'dx').toBeLessThan(TOL);
      expect(maxRelError(got[1], want[1]), 'dW').toBeLessThan(TOL);
    });

  it('fused conv2d (bias + relu) and conv2dTranspose gradients', async () => {
    const xv = randomFloats(2 * 6 * 6 * 3, 5),
      fv = randomFloats(3 * 3 * 3 * 4, 6),
      bv = randomFloats(4, 7);
    const grads = (): Float32Array[] => {
      const loss = (x: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor1D): tf.Scalar => {
        const y = tf.fused.conv2d({ x, filter: f, strides: 2, pad: 'same', bias: b, activation: 'relu' });
        const t = tf.conv2dTranspose(y, f, [2, 6, 6, 3], 2, 'same');
        return tf.sum(tf.mul(t, tf.tensor(randomFloats(t.size, 8), t.shape)));
      };
      return tf
        .grads(loss as (...t: tf.Tensor[]) => tf.Tensor)([
          tf.tensor4d(xv, [2, 6, 6, 3]),
          tf.tensor4d(fv, [3, 3, 3, 4]),
          tf.tensor1d(bv),
        ])
        .map((g) => g.dataSync() as Float32Array);
    };
    const want = await onCpu(grads);
    const got = tf.tidy(grads);
    for (let i = 0; i < 3; i++) expect(maxRelError(got[i], want[i]), `grad ${i}`).toBeLessThan(TOL);
  });
});
