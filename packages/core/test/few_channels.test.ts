// Convolutions with few channels (a network's first layer, a generator's last): the input gradient's
// column path (GEMM into column rows, then col2im), the forward im2col path (patches packed straight
// into GEMM panels) and the filter gradient, held to tfjs-backend-cpu and to the plain references at
// awkward sizes, on 1 and 2 threads.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { BUILD_ORDER, supportsBuild } from '@lanes/kernels-wasm';
import { setThreadsCount } from '../src/index.js';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';
import { conv2dBackpropInputCol2im, conv2dBackpropInputIgemm } from '../src/kernels/conv2d_backprop.js';
import { conv2dForward } from '../src/kernels/conv2d.js';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import { nchwPad, refConv, refConvBackpropInput, toNCHW, type ConvCase as Case, type Pad } from './conv_reference.js';

// Same tolerance as the other convolution tests: sums of at most a few thousand products of
// values in [-1, 1], relative to max(1, |reference|).
const TOL = 1e-4;

type Shape4 = [number, number, number, number];

/** Channels 1, 2, 3, 5, 7 and 8 (the first that takes the general path) over strides, pads, filter sizes. */
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
    [
      [0, 0],
      [0, 3],
      [0, 0],
      [0, 0],
    ],
  ];
  let i = 0;
  for (const ic of [1, 2, 3, 5, 7, 8])
    for (const oc of [1, 3, 8, 13, 32]) {
      for (let rep = 0; rep < 2; rep++) {
        const fh = 1 + (i % 5),
          fw = 1 + ((i * 3 + rep) % 5);
        out.push({
          n: i % 2 === 0 ? 1 : 3,
          h: 5 + ((i * 2) % 9),
          w: 5 + ((i * 4) % 11),
          ic,
          oc,
          fh,
          fw,
          s: [1 + (i % 3), 1 + ((i + rep) % 3)],
          pad: pads[i % pads.length],
        });
        i++;
      }
    }
  return out;
}

interface Run {
  dy: Float32Array;
  w: Float32Array;
  info: backend_util.Conv2DInfo;
  xShape: Shape4;
  wShape: Shape4;
}

function prepare(c: Case): Run {
  const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
    wShape: Shape4 = [c.fh, c.fw, c.ic, c.oc];
  const info = backend_util.computeConv2DInfo(xShape, wShape, c.s, 1, c.pad);
  const dy = randomFloats(
    info.outShape.reduce((a, b) => a * b, 1),
    c.ic * 7 + c.oc + c.h,
  );
  const w = randomFloats(c.fh * c.fw * c.ic * c.oc, c.fw * 13 + c.w);
  return { dy, w, info, xShape, wShape };
}

/** Conv2DBackpropInput through the registered kernel of the current backend. */
function backpropInput(c: Case, r: Run, format: 'NHWC' | 'NCHW'): Float32Array {
  return tf.tidy(() => {
    const nchw = format === 'NCHW';
    const { outHeight: oh, outWidth: ow } = r.info;
    const dyT = nchw
      ? tf.tensor4d(toNCHW(r.dy, r.info.outShape), [c.n, c.oc, oh, ow])
      : tf.tensor4d(r.dy, r.info.outShape);
    const inputShape = nchw ? [c.n, c.ic, c.h, c.w] : r.xShape;
    const out = tf
      .engine()
      .runKernel(
        'Conv2DBackpropInput',
        { dy: dyT, filter: tf.tensor4d(r.w, r.wShape) },
        { inputShape, strides: c.s, pad: nchw ? nchwPad(c.pad) : c.pad, dataFormat: format },
      ) as tf.Tensor;
    expect(out.shape).toEqual(inputShape);
    return out.dataSync() as Float32Array;
  });
}

async function onCpu<T>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend('lanes');
  }
}

/** Calls a dx implementation directly on lanes tensors and reads the result. */
function direct(
  be: LanesBackend,
  impl: (b: LanesBackend, dy: TensorInfo, f: TensorInfo, i: backend_util.Conv2DInfo) => TensorInfo,
  r: Run,
): Float32Array {
  return tf.tidy(() => {
    const dyT = tf.tensor4d(r.dy, r.info.outShape),
      wT = tf.tensor4d(r.w, r.wShape);
    return tf
      .engine()
      .makeTensorFromTensorInfo(impl(be, dyT, wT, r.info))
      .dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropInput with few channels (column path below 6, implicit GEMM from 6)', () => {
  let be: LanesBackend;
  beforeAll(async () => {
    be = await lanes();
  });
  afterAll(async () => {
    await setThreadsCount(2);
  });

  for (const format of ['NHWC', 'NCHW'] as const)
    it(`matches tfjs-backend-cpu for channels 1, 2, 3, 5, 7, 8, strides 1-3, every padding, filters 1x1..5x5 (${format})`, async () => {
      for (const c of cases()) {
        const r = prepare(c);
        const want = await onCpu(() => backpropInput(c, r, format));
        const got = backpropInput(c, r, format);
        expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
      }
    });

  it('matches the reference with dilation 2 and with pieces cut down to single images and single rows', () => {
    const configs: Array<{ c: Case; d: [number, number] }> = [
      { c: { n: 3, h: 9, w: 11, ic: 1, oc: 5, fh: 3, fw: 3, s: [1, 1], pad: 'same' }, d: [2, 2] },
      { c: { n: 1, h: 13, w: 7, ic: 3, oc: 8, fh: 2, fw: 4, s: [1, 1], pad: 'valid' }, d: [2, 1] },
      { c: { n: 3, h: 10, w: 9, ic: 7, oc: 4, fh: 5, fw: 3, s: [2, 3], pad: 1 }, d: [2, 2] },
      { c: { n: 3, h: 15, w: 15, ic: 2, oc: 9, fh: 4, fw: 4, s: [2, 2], pad: 'same' }, d: [1, 1] },
    ];
    for (const { c, d } of configs) {
      const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
        wShape: Shape4 = [c.fh, c.fw, c.ic, c.oc];
      const info = backend_util.computeConv2DInfo(xShape, wShape, c.s, d, c.pad);
      const r: Run = { ...prepare(c), info };
      r.dy = randomFloats(
        info.outShape.reduce((a, b) => a * b, 1),
        5,
      );
      const want = refConvBackpropInput(r.dy, r.w, wShape, info);
      const rowBytes = info.outWidth * c.fh * c.fw * c.ic * 4;
      // Whole batch in one piece, one image per piece, then one dx row (a few dy rows) per piece.
      for (const piece of [4 << 20, info.outHeight * rowBytes, 1]) {
        const got = direct(be, (b, dy, f, i) => conv2dBackpropInputCol2im(b, dy, f, i, piece), r);
        expect(maxRelError(got, want), `${JSON.stringify(c)} d=${d} piece=${piece}`).toBeLessThan(TOL);
      }
      const old = direct(be, conv2dBackpropInputIgemm, r);
      expect(maxRelError(old, want), `igemm ${JSON.stringify(c)} d=${d}`).toBeLessThan(TOL);
    }
  });

  it('gives the same bits on 1 and 2 threads', async () => {
    const run = (): Float32Array[] =>
      cases()
        .filter((c) => c.ic < 8)
        .map((c) => backpropInput(c, prepare(c), 'NHWC'));
    const big: Case = { n: 3, h: 28, w: 28, ic: 1, oc: 32, fh: 4, fw: 4, s: [2, 2], pad: 'same' };
    const runBig = (): Float32Array[] => [
      backpropInput(big, prepare(big), 'NHWC'),
      direct(be, (b, dy, f, i) => conv2dBackpropInputCol2im(b, dy, f, i, 1), prepare(big)),
    ];
    await setThreadsCount(1);
    const one = [...run(), ...runBig()];
    expect(await setThreadsCount(2)).toBe(2);
    const two = [...run(), ...runBig()];
    two.forEach((a, i) => expect(Array.from(a), `output ${i}`).toEqual(Array.from(one[i])));
  });
});

/** Conv2DBackpropFilter through the registered kernel of the current backend. */
function backpropFilter(c: Case, format: 'NHWC' | 'NCHW', d: [number, number] = [1, 1]): Float32Array {
  return tf.tidy(() => {
    const nchw = format === 'NCHW';
    const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
      wShape: Shape4 = [c.fh, c.fw, c.ic, c.oc];
    const info = backend_util.computeConv2DInfo(xShape, wShape, c.s, d, c.pad);
    const xv = randomFloats(c.n * c.h * c.w * c.ic, c.ic * 11 + c.w),
      dyv = randomFloats(
        info.outShape.reduce((a, b) => a * b, 1),
        c.oc + 5,
      );
    const x = nchw ? tf.tensor4d(toNCHW(xv, xShape), [c.n, c.ic, c.h, c.w]) : tf.tensor4d(xv, xShape);
    const { outHeight: oh, outWidth: ow } = info;
    const dy = nchw ? tf.tensor4d(toNCHW(dyv, info.outShape), [c.n, c.oc, oh, ow]) : tf.tensor4d(dyv, info.outShape);
    const out = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { filterShape: wShape, strides: c.s, pad: nchw ? nchwPad(c.pad) : c.pad, dataFormat: format, dilations: d },
      ) as tf.Tensor;
    expect(out.shape).toEqual(wShape);
    return out.dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropFilter with few channels (4 filter rows adjacent in x)', () => {
  beforeAll(lanes);
  afterAll(async () => {
    await setThreadsCount(2);
  });

  for (const format of ['NHWC', 'NCHW'] as const)
    it(`matches tfjs-backend-cpu for channels 1, 2, 3, 5, 7, 8, strides 1-3, every padding, filters 1x1..5x5 (${format})`, async () => {
      for (const c of cases()) {
        const want = await onCpu(() => backpropFilter(c, format));
        expect(maxRelError(backpropFilter(c, format), want), JSON.stringify(c)).toBeLessThan(TOL);
      }
    });

  it('gives the same bits on 1 and 2 threads, also over several pixel chunks', async () => {
    const big: Case = { n: 3, h: 28, w: 28, ic: 1, oc: 32, fh: 4, fw: 4, s: [2, 2], pad: 'same' };
    const run = (): Float32Array[] => [...cases().filter((c) => c.ic < 8), big].map((c) => backpropFilter(c, 'NHWC'));
    await setThreadsCount(1);
    const one = run();
    expect(await setThreadsCount(2)).toBe(2);
    const two = run();
    two.forEach((a, i) => expect(Array.from(a), `output ${i}`).toEqual(Array.from(one[i])));
  });
});

interface ForwardCase extends Case {
  d: [number, number];
  fused?: { activation: 'relu' | 'prelu' | 'leakyrelu' | 'linear' };
}

/** Channels 1..8 over strides, dilation 2, every padding, filters 1x1..5x5; some with a fused epilogue. */
function forwardCases(): ForwardCase[] {
  const acts = ['relu', 'prelu', 'leakyrelu', 'linear'] as const;
  return cases().map((c, i) => {
    const d: [number, number] = i % 4 === 1 ? [2, 1 + (i % 3 === 0 ? 1 : 0)] : [1, 1];
    const fc: ForwardCase = { ...c, s: d[0] > 1 ? [1, 1] : c.s, d };
    if (i % 3 === 2) fc.fused = { activation: acts[i % 4] };
    return fc;
  });
}

/** Conv2D / FusedConv2D through the registered kernels of the current backend. */
function forward(c: ForwardCase, format: 'NHWC' | 'NCHW'): Float32Array {
  return tf.tidy(() => {
    const nchw = format === 'NCHW';
    const xShape: Shape4 = [c.n, c.h, c.w, c.ic];
    const xv = randomFloats(c.n * c.h * c.w * c.ic, c.ic * 5 + c.h + c.oc);
    const x = nchw ? tf.tensor4d(toNCHW(xv, xShape), [c.n, c.ic, c.h, c.w]) : tf.tensor4d(xv, xShape);
    const filter = tf.tensor4d(randomFloats(c.fh * c.fw * c.ic * c.oc, c.fh + 3 * c.oc), [c.fh, c.fw, c.ic, c.oc]);
    const pad = (nchw ? nchwPad(c.pad) : c.pad) as 'same';
    if (!c.fused) return tf.conv2d(x, filter, c.s, pad, format, c.d).dataSync() as Float32Array;
    const bias = tf.tensor1d(randomFloats(c.oc, 77));
    const preluActivationWeights = c.fused.activation === 'prelu' ? tf.tensor1d(randomFloats(c.oc, 78)) : undefined;
    return tf.fused
      .conv2d({
        x,
        filter,
        strides: c.s,
        pad,
        dataFormat: format,
        dilations: c.d,
        bias,
        activation: c.fused.activation,
        preluActivationWeights,
        leakyreluAlpha: 0.3,
      })
      .dataSync() as Float32Array;
  });
}

describe('Conv2D with few channels (im2col into packed GEMM panels)', () => {
  let be: LanesBackend;
  beforeAll(async () => {
    be = await lanes();
  });
  afterAll(async () => {
    await setThreadsCount(2);
  });

  for (const format of ['NHWC', 'NCHW'] as const)
    it(`matches tfjs-backend-cpu for channels 1, 2, 3, 5, 7, 8, strides 1-3, dilation 2, every padding, fused epilogues (${format})`, async () => {
      for (const c of forwardCases()) {
        const want = await onCpu(() => forward(c, format));
        const got = forward(c, format);
        expect(maxRelError(got, want), JSON.stringify(c)).toBeLessThan(TOL);
      }
    });

  it('matches the reference over several pieces, and the rows path gives the same values', () => {
    // K = 48 floats a pixel: 4 MB pieces hold 21845 pixels, so 80000 output pixels take four.
    const c = { n: 2, h: 200, w: 200, ic: 3, oc: 3, fh: 4, fw: 4 };
    const xShape: Shape4 = [c.n, c.h, c.w, c.ic],
      wShape: Shape4 = [c.fh, c.fw, c.ic, c.oc];
    const info = backend_util.computeConv2DInfo(xShape, wShape, 1, 1, 'same');
    const xv = randomFloats(c.n * c.h * c.w * c.ic, 91),
      wv = randomFloats(c.fh * c.fw * c.ic * c.oc, 92);
    const want = refConv(xv, xShape, wv, wShape, info);
    const run = (how: 'packed' | 'rows'): Float32Array =>
      tf.tidy(
        () =>
          tf
            .engine()
            .makeTensorFromTensorInfo(
              conv2dForward(be, tf.tensor4d(xv, xShape), tf.tensor4d(wv, wShape), info, undefined, how),
            )
            .dataSync() as Float32Array,
      );
    const packed = run('packed');
    expect(maxRelError(packed, want)).toBeLessThan(TOL);
    expect(maxRelError(run('rows'), want)).toBeLessThan(TOL);
  });

  it('gives the same bits on 1 and 2 threads', async () => {
    const run = (): Float32Array[] =>
      forwardCases()
        .filter((c) => c.ic < 8)
        .map((c) => forward(c, 'NHWC'));
    const big: ForwardCase = {
      n: 3,
      h: 28,
      w: 28,
      ic: 1,
      oc: 32,
      fh: 3,
      fw: 3,
      s: [1, 1],
      d: [1, 1],
      pad: 'same',
      fused: { activation: 'relu' },
    };
    await setThreadsCount(1);
    const one = [...run(), forward(big, 'NHWC')];
    expect(await setThreadsCount(2)).toBe(2);
    const two = [...run(), forward(big, 'NHWC')];
    two.forEach((a, i) => expect(Array.from(a), `output ${i}`).toEqual(Array.from(one[i])));
  });
});

// The scalar build has its own GEMM tile (MR = 4) and the plain SIMD build MR = 5: every path of
// every build this runtime validates, against the references.
for (const build of BUILD_ORDER.filter((b) => supportsBuild(b, false))) {
  it(`few-channel paths and their references agree on the ${build} build`, async () => {
    const name = `lanes-few-${build}`;
    tf.registerBackend(name, () => LanesBackend.create({ build, threads: 1 }));
    registerLanesKernels(name);
    await tf.setBackend(name);
    const be = tf.backend() as LanesBackend;
    expect(be.buildInfo().build).toBe(build);
    const shapes: Array<{ x: Shape4; f: Shape4; s: number; d: number; pad: Pad }> = [
      { x: [3, 11, 9, 1], f: [4, 4, 1, 13], s: 2, d: 1, pad: 'same' },
      { x: [2, 13, 17, 1], f: [3, 3, 1, 11], s: 1, d: 1, pad: 'same' },
      { x: [1, 10, 13, 5], f: [3, 5, 5, 8], s: 1, d: 2, pad: 'valid' },
      { x: [2, 7, 7, 9], f: [3, 3, 9, 5], s: 3, d: 1, pad: 1 },
    ];
    for (const c of shapes) {
      const info = backend_util.computeConv2DInfo(c.x, c.f, c.s, c.d, c.pad);
      const x = randomFloats(
          c.x.reduce((a, b) => a * b),
          1,
        ),
        w = randomFloats(
          c.f.reduce((a, b) => a * b),
          2,
        );
      const dy = randomFloats(
        info.outShape.reduce((a, b) => a * b),
        3,
      );
      const outputs = tf.tidy(() => {
        const xt = tf.tensor4d(x, c.x),
          wt = tf.tensor4d(w, c.f),
          dyt = tf.tensor4d(dy, info.outShape);
        const read = (t: TensorInfo): Float32Array =>
          tf.engine().makeTensorFromTensorInfo(t).dataSync() as Float32Array;
        return {
          packed: read(conv2dForward(be, xt, wt, info, undefined, 'packed')),
          rows: read(conv2dForward(be, xt, wt, info, undefined, 'rows')),
          col2im: read(conv2dBackpropInputCol2im(be, dyt, wt, info, 600)),
          igemm: read(conv2dBackpropInputIgemm(be, dyt, wt, info)),
        };
      });
      const fwd = refConv(x, c.x, w, c.f, info),
        dx = refConvBackpropInput(dy, w, c.f, info);
      expect(maxRelError(outputs.packed, fwd), `${build} packed ${JSON.stringify(c)}`).toBeLessThan(TOL);
      expect(maxRelError(outputs.rows, fwd), `${build} rows`).toBeLessThan(TOL);
      expect(maxRelError(outputs.col2im, dx), `${build} col2im`).toBeLessThan(TOL);
      expect(maxRelError(outputs.igemm, dx), `${build} igemm`).toBeLessThan(TOL);
    }
    await tf.setBackend('cpu');
    tf.removeBackend(name);
  });
}
