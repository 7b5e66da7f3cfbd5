// The convolution kernels of every build this runtime validates (the scalar build has its own
// code paths) against the direct references, on a few awkward shapes per kernel.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { BUILD_ORDER, supportsBuild } from '@lanes/kernels-wasm';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';
import { maxRelError, randomFloats } from './helpers.js';
import { refConv, refConvBackpropFilter, refConvBackpropInput } from './conv_reference.js';

const TOL = 1e-4;
type Shape4 = [number, number, number, number];

const shapes = [
  { x: [2, 5, 6, 3] as Shape4, f: [3, 3, 3, 9] as Shape4, s: 2, pad: 'same' as const },
  { x: [1, 4, 7, 6] as Shape4, f: [2, 3, 6, 4] as Shape4, s: 1, pad: 'valid' as const },
];
const dwShapes = [
  { x: [2, 6, 5, 3] as Shape4, f: [3, 3, 3, 2] as Shape4, s: 2, pad: 'same' as const },
  { x: [1, 5, 9, 6] as Shape4, f: [3, 2, 6, 1] as Shape4, s: 1, pad: 'valid' as const },
];

for (const build of BUILD_ORDER.filter((b) => supportsBuild(b, false))) {
  describe(`convolution kernels, ${build} build`, () => {
    const name = `lanes-conv-${build}`;
    it('Conv2D, FusedConv2D, Conv2DBackpropInput/Filter and the depthwise kernels match the references', async () => {
      tf.registerBackend(name, () => LanesBackend.create({ build, threads: 1 }));
      registerLanesKernels(name);
      await tf.setBackend(name);
      expect((tf.backend() as LanesBackend).buildInfo().build).toBe(build);
      for (const depthwise of [false, true])
        for (const c of depthwise ? dwShapes : shapes) {
          const info = backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad, undefined, depthwise);
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
          const [fwd, dx, dW, fused] = tf.tidy(() => {
            const xt = tf.tensor4d(x, c.x),
              wt = tf.tensor4d(w, c.f),
              dyt = tf.tensor4d(dy, info.outShape);
            const k = depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
            const y = depthwise ? tf.depthwiseConv2d(xt, wt, c.s, c.pad) : tf.conv2d(xt, wt, c.s, c.pad);
            const f = depthwise
              ? tf.fused.depthwiseConv2d({
                  x: xt,
                  filter: wt,
                  strides: c.s,
                  pad: c.pad,
                  bias: tf.scalar(0.5),
                  activation: 'relu',
                })
              : tf.fused.conv2d({
                  x: xt,
                  filter: wt,
                  strides: c.s,
                  pad: c.pad,
                  bias: tf.scalar(0.5),
                  activation: 'relu',
                });
            const gx = tf
              .engine()
              .runKernel(
                `${k}BackpropInput`,
                { dy: dyt, filter: wt },
                { inputShape: c.x, strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: 1 },
              ) as tf.Tensor;
            const gw = tf
              .engine()
              .runKernel(
                `${k}BackpropFilter`,
                { x: xt, dy: dyt },
                { filterShape: c.f, strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: 1 },
              ) as tf.Tensor;
            return [y, gx, gw, f].map((t) => t.dataSync() as Float32Array);
          });
          const ref = refConv(x, c.x, w, c.f, info, depthwise);
          expect(maxRelError(fwd, ref), `${build} forward`).toBeLessThan(TOL);
          expect(
            maxRelError(
              fused,
              ref.map((v) => Math.max(v + 0.5, 0)),
            ),
            `${build} fused`,
          ).toBeLessThan(TOL);
          expect(maxRelError(dx, refConvBackpropInput(dy, w, c.f, info, depthwise)), `${build} dx`).toBeLessThan(TOL);
          expect(maxRelError(dW, refConvBackpropFilter(x, dy, c.f, info, depthwise)), `${build} dW`).toBeLessThan(TOL);
        }
      await tf.setBackend('cpu');
      tf.removeBackend(name);
    });
  });
}
