import {
  GatherNd,
  GatherV2,
  ScatterNd,
  backend_util,
  util,
  type KernelFunc,
  type TensorInfo,
  type GatherV2Attrs,
  type ScatterNdAttrs,
} from '@tensorflow/tfjs-core';
import { GatherAttr, GatherNdAttr, ScatterNdAttr, attrWords, headedWords } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { bytesPerElement } from '../tensor_data.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { movable } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

// Indices are checked here with tfjs-backend-cpu's conditions and messages; the wasm kernels
// then trust them.

const gatherFallback = cpuKernel(GatherV2);

const gatherV2Kernel: KernelFunc = (args) => {
  const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
  if (!movable(x.dtype) || indices.dtype !== 'int32') return gatherFallback(args);
  const backend = args.backend as LanesBackend;
  const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
  const parsedAxis = util.parseAxisParam(axis, x.shape)[0];
  const idx = backend.data.get(indices.dataId)!.view() as Int32Array;
  const axisDim = x.shape[parsedAxis];
  for (let i = 0; i < idx.length; ++i) {
    const index = idx[i];
    util.assert(
      index <= axisDim - 1 && index >= 0,
      () => `GatherV2: the index value ${index} is not in [0, ${axisDim - 1}]`,
    );
  }
  const info = backend_util.segment_util.collectGatherOpShapeInfo(x, indices, parsedAxis, batchDims ?? 0);
  const out = backend.makeOutputInfo(info.outputShape, x.dtype);
  if (util.sizeFromShape(info.outputShape) === 0) return out;
  const nIdx = util.sizeFromShape(indices.shape) / info.batchSize;
  const rows = info.batchSize * info.outerSize * nIdx;
  const attrs = backend.attrs(
    attrWords(GatherAttr, { OUTER: info.outerSize, DIM_SIZE: info.dimSize, N_IDX: nIdx, SLICE: info.sliceSize }),
  );
  const kernel = bytesPerElement(x.dtype) === 1 ? 'gather_x8' : 'gather_x32';
  backend.parallel(kernel, [backend.ptr(x), backend.ptr(indices), backend.ptr(out), attrs], rows, info.sliceSize);
  return out;
};

const gatherNdFallback = cpuKernel(GatherNd);

const gatherNdKernel: KernelFunc = (args) => {
  const { params, indices } = args.inputs as { params: TensorInfo; indices: TensorInfo };
  if (!movable(params.dtype) || indices.dtype !== 'int32') return gatherNdFallback(args);
  const backend = args.backend as LanesBackend;
  const paramsSize = util.sizeFromShape(params.shape);
  const sliceRank = indices.shape[indices.shape.length - 1];
  const [resultShape, numSlices, sliceSize, strides] = backend_util.prepareAndValidate(params, indices);
  const out = backend.makeOutputInfo(resultShape, params.dtype);
  if (numSlices === 0) return out;
  const idx = backend.data.get(indices.dataId)!.view() as Int32Array;
  for (let i = 0; i < numSlices; i++) {
    let flat = 0;
    for (let j = 0; j < sliceRank; j++) flat += idx[i * sliceRank + j] * strides[j];
    if (flat < 0 || flat >= paramsSize / sliceSize) {
      const index = Array.from(idx.subarray(i * sliceRank, (i + 1) * sliceRank));
      throw new Error(`Invalid indices: ${index} does not index into ${params.shape}`);
    }
  }
  if (util.sizeFromShape(resultShape) === 0) return out;
  const attrs = backend.attrs(
    headedWords(GatherNdAttr, 'STRIDES', { SLICE_RANK: sliceRank, SLICE_SIZE: sliceSize }, strides),
  );
  const kernel = bytesPerElement(params.dtype) === 1 ? 'gather_nd_x8' : 'gather_nd_x32';
  backend.parallel(kernel, [backend.ptr(params), backend.ptr(indices), backend.ptr(out), attrs], numSlices, sliceSize);
  return out;
};

const scatterFallback = cpuKernel(ScatterNd);

const scatterNdKernel: KernelFunc = (args) => {
  const { indices, updates } = args.inputs as { indices: TensorInfo; updates: TensorInfo };
  if (!movable(updates.dtype) || indices.dtype !== 'int32') return scatterFallback(args);
  const backend = args.backend as LanesBackend;
  const { shape } = args.attrs as unknown as ScatterNdAttrs;
  const { sliceRank, numUpdates, sliceSize, strides, outputSize } = backend_util.calculateShapes(
    updates,
    indices,
    shape,
  );
  const out = backend.makeOutputInfo(shape, updates.dtype);
  if (outputSize === 0) return out;
  const idx = backend.data.get(indices.dataId)!.view() as Int32Array;
  for (let i = 0; i < numUpdates; i++) {
    let flat = 0;
    for (let j = 0; j < sliceRank; j++) flat += idx[i * sliceRank + j] * strides[j];
    if (flat < 0 || flat >= outputSize / sliceSize) {
      const index = Array.from(idx.subarray(i * sliceRank, (i + 1) * sliceRank));
      throw new Error(`Invalid indices: ${index} does not index into ${shape}`);
    }
  }
  const attrs = backend.attrs(
    headedWords(
      ScatterNdAttr,
      'STRIDES',
      { SLICE_RANK: sliceRank, SLICE_SIZE: sliceSize, NUM_UPDATES: numUpdates, OUT_ROWS: outputSize / sliceSize },
      strides,
    ),
  );
  const kernel =
    updates.dtype === 'float32' ? 'scatter_nd_f32' : updates.dtype === 'int32' ? 'scatter_nd_i32' : 'scatter_nd_u8';
  backend.parallel(
    kernel,
    [backend.ptr(indices), backend.ptr(updates), backend.ptr(out), attrs],
    sliceSize,
    numUpdates + outputSize / sliceSize,
  );
  return out;
};

export const gatherKernels: LanesKernel[] = [
  { kernelName: GatherV2, kernelFunc: gatherV2Kernel },
  { kernelName: GatherNd, kernelFunc: gatherNdKernel },
  { kernelName: ScatterNd, kernelFunc: scatterNdKernel },
];
