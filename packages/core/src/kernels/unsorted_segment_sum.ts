// UnsortedSegmentSum of float32 rows by int32 segment ids.
import {
  UnsortedSegmentSum,
  util,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';

const unsortedSegmentSum = (): KernelFunc => {
  const fallback = cpuKernel(UnsortedSegmentSum);
  return (args) => {
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
    if (
      x.dtype !== 'float32' ||
      segmentIds.dtype !== 'int32' ||
      segmentIds.shape.length !== 1 ||
      x.shape.length === 0 ||
      segmentIds.shape[0] !== x.shape[0]
    )
      return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo([numSegments, ...x.shape.slice(1)], 'float32');
    const rows = x.shape[0];
    const inner = util.sizeFromShape(x.shape.slice(1));
    if (numSegments * inner === 0) return out;
    backend.parallel(
      'unsorted_segment_sum_f32',
      [backend.ptr(x), backend.ptr(segmentIds), backend.ptr(out), rows, inner, numSegments],
      inner,
      rows,
    );
    return out;
  };
};

export const unsortedSegmentSumKernels: LanesKernel[] = [
  { kernelName: UnsortedSegmentSum, kernelFunc: unsortedSegmentSum() },
];
