import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { LANES_BACKENDS, runOn } from './backends.js';
import { CPU_DEFECTS, type CpuDefectName } from './cpu_defects.js';

// Each listed defect of tfjs-backend-cpu with its smallest example: the float64 answer (worked out
// by hand in the comment), which every Lanes build gives, and what cpu gives instead.

interface Example {
  program: () => tf.Tensor;
  /** The float64 answer (exact here: every value is representable in float32). */
  shape: number[];
  values: number[];
  /** What cpu returns, or 'throws'. */
  cpu: { shape: number[]; values: number[] } | 'throws';
}

const range = (n: number) => tf.range(0, n, 1, 'float32');

const EXAMPLES: Partial<Record<CpuDefectName, Example>> = {
  // max / min / mean / all / logSumExp of nothing: -Inf, +Inf, 0/0, true, log(0) = -Inf.
  emptyReduction: {
    program: () =>
      tf.stack([
        tf.max(tf.zeros([2, 0]), 1),
        tf.min(tf.zeros([2, 0]), 1),
        tf.mean(tf.zeros([2, 0]), 1),
        tf.cast(tf.all(tf.zeros([2, 0], 'bool'), 1), 'float32'),
        tf.logSumExp(tf.zeros([2, 0]), 1),
      ]),
    shape: [5, 2],
    values: [-Infinity, -Infinity, Infinity, Infinity, NaN, NaN, 1, 1, -Infinity, -Infinity],
    cpu: { shape: [5, 2], values: [NaN, NaN, NaN, NaN, 0, 0, 0, 0, NaN, NaN] },
  },
  // cumsum of [[0,1,2],[3,4,5]] along axis -1: [[0,1,3],[3,7,12]].
  cumulativeNegativeAxis: {
    program: () => tf.cumsum(range(6).reshape([2, 3]), -1),
    shape: [2, 3],
    values: [0, 1, 3, 3, 7, 12],
    cpu: { shape: [undefined as unknown as number, 2], values: [] },
  },
  // a[0,0] = 1 pairs with b[0,0] = 10 and b[0,1] = 20; a[1,0] = 2 with b[1,0] = 30, b[1,1] = 40.
  matMulBroadcastBatch: {
    program: () => tf.matMul(tf.tensor4d([1, 2], [2, 1, 1, 1]), tf.tensor4d([10, 20, 30, 40], [2, 2, 1, 1])),
    shape: [2, 2, 1, 1],
    values: [10, 20, 60, 80],
    cpu: { shape: [2, 2, 1, 1], values: [10, 40, 30, 80] },
  },
  // NCHW x [1,2,1,2] = channel 0: [1,2], channel 1: [3,4]; 1×1 filter, weights 10 and 100.
  depthwiseNCHW: {
    program: () =>
      tf.depthwiseConv2d(
        tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]),
        tf.tensor4d([10, 100], [1, 1, 2, 1]),
        1,
        'valid',
        'NCHW',
      ),
    shape: [1, 2, 1, 2],
    values: [10, 20, 300, 400],
    cpu: { shape: [1, 2, 1, 2], values: [10, 200, 30, 400] },
  },
  // float32 holds 16777216 and 16777218 around 16777217 (ties to even).
  castInt32ToFloat32: {
    program: () => tf.cast(tf.tensor1d([16777217, 16777219], 'int32'), 'float32'),
    shape: [2],
    values: [16777216, 16777220],
    cpu: { shape: [2], values: [16777217, 16777219] },
  },
  stridedSliceEmpty: {
    program: () => tf.stridedSlice(tf.tensor1d([1, 2]), [1], [0], [1]),
    shape: [0],
    values: [],
    cpu: 'throws',
  },
  // x = range(14) as [7,2]; x[2] = [4, 5].
  stridedSliceShrink: {
    program: () => tf.stridedSlice(range(14).reshape([7, 2]), [2], [0], [2], 0, 0, 0, 0, 1),
    shape: [2],
    values: [4, 5],
    cpu: { shape: [2], values: [2, 4] },
  },
  gatherBatchDimsEmpty: {
    program: () => tf.gather(tf.zeros([7, 0, 1]), tf.zeros([7, 0, 0], 'int32'), 2, 2),
    shape: [7, 0, 0],
    values: [],
    cpu: 'throws',
  },
  // pad [1] with -0 on the left: [-0, 1] (the sign shows as 1 / v = -Inf).
  padNegativeZero: {
    program: () => tf.div(1, tf.pad(tf.tensor1d([1]), [[1, 0]], -0)),
    shape: [2],
    values: [-Infinity, 1],
    cpu: { shape: [2], values: [Infinity, 1] },
  },
  // 2×3 image resized to 2×3 (identity map): the gradient of the sum is all ones, shape [1,2,3,1].
  bilinearGradShape: {
    program: () =>
      tf
        .engine()
        .runKernel(
          'ResizeBilinearGrad',
          { images: tf.zeros([1, 2, 3, 1]), dy: tf.ones([1, 2, 3, 1]) },
          { alignCorners: false, halfPixelCenters: false },
        ) as tf.Tensor,
    shape: [1, 2, 3, 1],
    values: [1, 1, 1, 1, 1, 1],
    cpu: { shape: [1, 3, 2, 1], values: [1, 1, 1, 1, 1, 1] },
  },
  // 3 -> 2 with half-pixel centres samples at 0.25 and 1.75: per axis weights [.75, .5, .75].
  bilinearGradHalfPixel: {
    program: () =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, [2, 2], false, true)))(
        tf.ones([1, 3, 3, 1]),
      ),
    shape: [1, 3, 3, 1],
    values: [0.5625, 0.375, 0.5625, 0.375, 0.25, 0.375, 0.5625, 0.375, 0.5625],
    cpu: { shape: [1, 3, 3, 1], values: [1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.5, 0.25, 0.25] },
  },
  // Two 1×1 images, each copied to 1×2: image 0's gradient is 1 + 2, image 1's 10 + 20.
  nearestGradBatch: {
    program: () =>
      tf
        .engine()
        .runKernel(
          'ResizeNearestNeighborGrad',
          { images: tf.zeros([2, 1, 1, 1]), dy: tf.tensor4d([1, 2, 10, 20], [2, 1, 2, 1]) },
          { alignCorners: false, halfPixelCenters: false },
        ) as tf.Tensor,
    shape: [2, 1, 1, 1],
    values: [3, 30],
    cpu: { shape: [2, 1, 1, 1], values: [3, 12] },
  },
  // 3 -> 2 with half-pixel centres copies rows / columns 0 and 2 (floor(1.5 · (i + 0.5))).
  nearestGradHalfPixel: {
    program: () =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [2, 2], false, true)))(
        tf.ones([1, 3, 3, 1]),
      ),
    shape: [1, 3, 3, 1],
    values: [1, 0, 1, 0, 0, 0, 1, 0, 1],
    cpu: { shape: [1, 3, 3, 1], values: [1, 1, 0, 1, 1, 0, 0, 0, 0] },
  },
};

const same = (got: ArrayLike<number>, want: number[]) =>
  expect(Array.from(got, (v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
    want.map((v) => (Object.is(v, -0) ? '-0' : String(v))),
  );

describe("tfjs-backend-cpu's listed defects: float64 (and every Lanes build) vs cpu", () => {
  for (const [name, ex] of Object.entries(EXAMPLES) as Array<[CpuDefectName, Example]>) {
    it(`${name}: ${CPU_DEFECTS[name]}`, async () => {
      for (const backend of LANES_BACKENDS) {
        const got = await runOn(backend, ex.program);
        expect(got.shapes[0], backend).toEqual(ex.shape);
        same(got.values[0]!, ex.values);
      }
      if (ex.cpu === 'throws') {
        await expect(runOn('cpu', ex.program)).rejects.toThrow();
        return;
      }
      const cpu = await runOn('cpu', ex.program);
      expect(cpu.shapes[0]).toEqual(ex.cpu.shape);
      same(cpu.values[0]!, ex.cpu.values);
    });
  }

  it('every listed defect has an example here', () => {
    const missing = Object.keys(CPU_DEFECTS).filter((k) => !(k in EXAMPLES));
    expect(missing).toEqual(['negativeOutputShape', 'nearestGradHangs']);
  });

  it(`negativeOutputShape: ${CPU_DEFECTS.negativeOutputShape}`, async () => {
    // A 3×1 filter on a 3×1 input with numeric pad 0: width 1 - 3 + 1 = -1.
    const program = () => tf.conv2d(tf.zeros([0, 3, 1, 1]) as tf.Tensor4D, tf.zeros([3, 1, 1, 1]) as tf.Tensor4D, 1, 0);
    for (const backend of LANES_BACKENDS)
      await expect(runOn(backend, program), backend).rejects.toThrow(/invalid output shape \[0,1,-1,1\]/);
    expect((await runOn('cpu', program)).shapes[0]).toEqual([0, 1, -1, 1]);
  });

  it('nearestGradHangs: with alignCorners and an input side of 1, every dy row maps to row 0 (Lanes returns)', async () => {
    // cpu's search window is infinite here (1 / 0 scale) and its loop never ends, so it is not run.
    for (const backend of LANES_BACKENDS) {
      const got = await runOn(
        backend,
        () =>
          tf
            .engine()
            .runKernel(
              'ResizeNearestNeighborGrad',
              { images: tf.zeros([1, 1, 2, 1]), dy: tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 3, 2, 1]) },
              { alignCorners: true, halfPixelCenters: false },
            ) as tf.Tensor,
      );
      same(got.values[0]!, [1 + 3 + 5, 2 + 4 + 6]);
    }
  });
});
