// MaxPool / AvgPool (NHWC), their gradients and MaxPoolWithArgmax on the wasm pooling kernels.
// Geometry (output size, padding incl. explicit pads and dimRoundingMode) comes from tfjs's own
// computePool2DInfo, exactly as tfjs-backend-cpu computes it.
import { PoolAttr, attrWords } from '@lanes/kernels-wasm';
import {
  AvgPool,
  AvgPoolGrad,
  MaxPool,
  MaxPoolGrad,
  MaxPoolWithArgmax,
  backend_util,
  util,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  type MaxPoolAttrs,
  type MaxPoolWithArgmaxAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';

type Shape4 = [number, number, number, number];

function assertRank4(x: TensorInfo, kernel: string): void {
  // tfjs-cpu fails on other ranks too (inside its loops); this says why.
  util.assert(x.shape.length === 4, () => `Error in ${kernel}: x must be rank 4, got rank ${x.shape.length}.`);
}

function poolInfo(x: TensorInfo, attrs: NamedAttrMap | undefined, withRounding = true): backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolAttrs;
  return backend_util.computePool2DInfo(
    x.shape as Shape4,
    filterSize,
    strides,
    1,
    pad,
    withRounding ? dimRoundingMode : undefined,
  );
}

/** The pooling kernels' attribute block (PoolAttr); `dy` for the gradients. */
function geometry(ci: backend_util.Conv2DInfo, dy?: TensorInfo): number[] {
  return attrWords(PoolAttr, {
    BATCH: ci.batchSize,
    IN_H: ci.inHeight,
    IN_W: ci.inWidth,
    C: ci.inChannels,
    OUT_H: ci.outHeight,
    OUT_W: ci.outWidth,
    FILTER_H: ci.filterHeight,
    FILTER_W: ci.filterWidth,
    STRIDE_H: ci.strideHeight,
    STRIDE_W: ci.strideWidth,
    PAD_TOP: ci.padInfo.top,
    PAD_LEFT: ci.padInfo.left,
    DY_H: dy ? dy.shape[1] : ci.outHeight,
    DY_W: dy ? dy.shape[2] : ci.outWidth,
  });
}

/**
 * Whether dy can be read as the gradient kernels read it: tfjs's pooling gradients drop
 * dimRoundingMode, so dy may have more rows/columns than the recomputed windows. Fewer would
 * be an inconsistent call: left to tfjs-cpu.
 */
function dyFits(dy: TensorInfo, ci: backend_util.Conv2DInfo): boolean {
  return (
    dy.shape.length === 4 &&
    dy.shape[0] === ci.batchSize &&
    dy.shape[1] >= ci.outHeight &&
    dy.shape[2] >= ci.outWidth &&
    dy.shape[3] === ci.inChannels
  );
}

/** tfjs-cpu returns its input unchanged for a 1x1 window that keeps the shape (NaN included). */
function isIdentity(ci: backend_util.Conv2DInfo): boolean {
  return ci.filterHeight === 1 && ci.filterWidth === 1 && util.arraysEqual(ci.inShape, ci.outShape);
}

function forward(name: typeof MaxPool | typeof AvgPool): KernelFunc {
  const fallback = cpuKernel(name);
  const kernel = name === MaxPool ? 'max_pool_f32' : 'avg_pool_f32';
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return fallback(args);
    assertRank4(x, name);
    const backend = args.backend as LanesBackend;
    const ci = poolInfo(x, args.attrs);
    if (isIdentity(ci)) {
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }
    const out = backend.makeOutputInfo(ci.outShape, 'float32');
    if (util.sizeFromShape(ci.outShape) === 0) return out;
    const perRow = ci.outWidth * ci.inChannels * ci.filterHeight * ci.filterWidth;
    backend.parallel(
      kernel,
      [backend.ptr(x), backend.ptr(out), backend.attrs(geometry(ci))],
      ci.batchSize * ci.outHeight,
      perRow,
    );
    return out;
  };
}

const maxPoolGrad = (): KernelFunc => {
  const fallback = cpuKernel(MaxPoolGrad);
  return (args) => {
    const { dy, input: x } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    assertRank4(x, MaxPoolGrad);
    const backend = args.backend as LanesBackend;
    const ci = poolInfo(x, args.attrs);
    if (!dyFits(dy, ci)) return fallback(args);
    const dx = backend.makeOutputInfo(x.shape.slice(), 'float32');
    const outSize = util.sizeFromShape(ci.outShape);
    if (util.sizeFromShape(x.shape) === 0) return dx;
    // Where each window's maximum sits (recomputed from x, as tfjs-cpu does), then a gather.
    const posBytes = Math.max(4, outSize * 4);
    const pos = backend.storage.alloc(posBytes);
    try {
      const attr = backend.attrs(geometry(ci, dy));
      const taps = ci.filterHeight * ci.filterWidth;
      backend.parallel(
        'max_pool_argmax_f32',
        [backend.ptr(x), 0, pos, attr, 0],
        ci.batchSize * ci.outHeight,
        ci.outWidth * ci.inChannels * taps,
      );
      backend.parallel(
        'max_pool_grad_f32',
        [backend.ptr(dy), pos, backend.ptr(dx), attr],
        ci.batchSize * ci.inHeight,
        ci.inWidth * ci.inChannels * taps,
      );
    } finally {
      backend.storage.release(pos, posBytes);
    }
    return dx;
  };
};

const avgPoolGrad = (): KernelFunc => {
  const fallback = cpuKernel(AvgPoolGrad);
  return (args) => {
    const { dy, input: x } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    assertRank4(x, AvgPoolGrad);
    const backend = args.backend as LanesBackend;
    // tfjs-cpu ignores dimRoundingMode here and scales by 1 / (filter area) even at the borders.
    const ci = poolInfo(x, args.attrs, false);
    if (!dyFits(dy, ci)) return fallback(args);
    const dx = backend.makeOutputInfo(x.shape.slice(), 'float32');
    if (util.sizeFromShape(x.shape) === 0) return dx;
    const scale = 1 / (ci.filterHeight * ci.filterWidth);
    backend.parallel(
      'avg_pool_grad_f32',
      [backend.ptr(dy), backend.ptr(dx), backend.attrs(geometry(ci, dy)), scale],
      ci.batchSize * ci.inHeight,
      ci.inWidth * ci.inChannels * ci.filterHeight * ci.filterWidth,
    );
    return dx;
  };
};

const maxPoolWithArgmax = (): KernelFunc => {
  const fallback = cpuKernel(MaxPoolWithArgmax);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return fallback(args);
    assertRank4(x, MaxPoolWithArgmax);
    const backend = args.backend as LanesBackend;
    const { filterSize, strides, pad, includeBatchInIndex } = args.attrs as unknown as MaxPoolWithArgmaxAttrs;
    const ci = backend_util.computePool2DInfo(x.shape as Shape4, filterSize, strides, [1, 1], pad);
    const out = backend.makeOutputInfo(ci.outShape, 'float32');
    const idx = backend.makeOutputInfo(ci.outShape.slice(), 'int32');
    if (util.sizeFromShape(ci.outShape) > 0) {
      backend.parallel(
        'max_pool_argmax_f32',
        [backend.ptr(x), backend.ptr(out), backend.ptr(idx), backend.attrs(geometry(ci)), includeBatchInIndex ? 2 : 1],
        ci.batchSize * ci.outHeight,
        ci.outWidth * ci.inChannels * ci.filterHeight * ci.filterWidth,
      );
    }
    return [out, idx];
  };
};

export const poolKernels: LanesKernel[] = [
  { kernelName: MaxPool, kernelFunc: forward(MaxPool) },
  { kernelName: AvgPool, kernelFunc: forward(AvgPool) },
  { kernelName: MaxPoolGrad, kernelFunc: maxPoolGrad() },
  { kernelName: AvgPoolGrad, kernelFunc: avgPoolGrad() },
  { kernelName: MaxPoolWithArgmax, kernelFunc: maxPoolWithArgmax() },
];
