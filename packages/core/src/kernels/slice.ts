import {
  Slice,
  StridedSlice,
  slice_util,
  util,
  type KernelFunc,
  type TensorInfo,
  type SliceAttrs,
  type StridedSliceAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { gatherStrided, movable, rowMajorStrides, shareAs, slice } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const sliceFallback = cpuKernel(Slice);

const sliceKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return sliceFallback(args);
  const attrs = args.attrs as unknown as SliceAttrs;
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  slice_util.assertParamsValid(x, begin, size);
  return slice(args.backend as LanesBackend, x, begin, size);
};

const stridedSliceFallback = cpuKernel(StridedSlice);

// Walks the input with stride strides[d]·xStride[d] from `begin` over the processing shape
// (one dim per input dim; new and shrunk axes only add or drop size-1 dims of the result).
// Unlike tfjs-backend-cpu's general path, which indexes the input with the final (sparse) shape
// and so misreads slices that shrink an axis after a strided one, this follows TensorFlow.
const stridedSliceKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return stridedSliceFallback(args);
  const backend = args.backend as LanesBackend;
  const a = args.attrs as unknown as StridedSliceAttrs;
  const info = slice_util.sliceInfo(
    x.shape,
    a.begin,
    a.end,
    a.strides,
    a.beginMask,
    a.endMask,
    a.ellipsisMask,
    a.newAxisMask,
    a.shrinkAxisMask,
  );
  if (info.isIdentity) return shareAs(backend, x, info.finalShape);
  const shape = info.begin.map((b, d) => Math.max(0, Math.ceil((info.end[d] - b) / info.strides[d])));
  // Unknown (-1) dims cannot occur for concrete tensors; if the shapes ever disagree, defer to cpu.
  if (util.sizeFromShape(shape) !== util.sizeFromShape(info.finalShape)) return stridedSliceFallback(args);
  const xStrides = rowMajorStrides(x.shape);
  const inStrides = info.strides.map((s, d) => s * xStrides[d]);
  const offset = info.begin.reduce((acc, b, d) => acc + (shape[d] > 0 ? b * xStrides[d] : 0), 0);
  const out = gatherStrided(backend, x, offset, shape, inStrides, shape);
  out.shape = info.finalShape;
  return out;
};

export const sliceKernels: LanesKernel[] = [
  { kernelName: Slice, kernelFunc: sliceKernel },
  { kernelName: StridedSlice, kernelFunc: stridedSliceKernel },
];
