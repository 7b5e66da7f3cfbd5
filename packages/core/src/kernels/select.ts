// Select (tf.where), OneHot and UnsortedSegmentSum.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';

const select = (): KernelFunc => {
  const fallback = cpuKernel('Select');
  return (args) => {
    const { condition, t, e } = args.inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
    const size = util.sizeFromShape(t.shape);
    const condSize = util.sizeFromShape(condition.shape);
    const width = t.dtype === 'bool' ? 1 : t.dtype === 'float32' || t.dtype === 'int32' ? 4 : 0;
    // Elementwise, or one condition per leading row (TF's rank-1 condition rule).
    const rowwise = condition.shape.length === 1 && t.shape.length > 1 && condSize === t.shape[0];
    if (
      condition.dtype !== 'bool' ||
      t.dtype !== e.dtype ||
      width === 0 ||
      !util.arraysEqual(t.shape, e.shape) ||
      (condSize !== size && !rowwise)
    )
      return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(t.shape.slice(), t.dtype);
    if (size === 0) return out;
    const inner = condSize === size ? 1 : size / condSize;
    const total = inner === 1 ? size : condSize;
    backend.parallel(
      width === 4 ? 'select_32' : 'select_8',
      [backend.ptr(condition), backend.ptr(t), backend.ptr(e), backend.ptr(out), inner],
      total,
      inner,
    );
    return out;
  };
};

/** The 32-bit pattern tfjs-cpu ends up storing for `v` in a `dtype` tensor (it goes through a Float32Array). */
function wordOf(v: number, dtype: 'float32' | 'int32'): number {
  const f = new Float32Array([v]);
  return dtype === 'float32' ? new Int32Array(f.buffer)[0] : new Int32Array(f)[0];
}

const oneHot = (): KernelFunc => {
  const fallback = cpuKernel('OneHot');
  return (args) => {
    const indices = args.inputs.indices as TensorInfo;
    const { dtype, depth, onValue, offValue } = args.attrs as {
      dtype: string;
      depth: number;
      onValue: number;
      offValue: number;
    };
    if (indices.dtype !== 'int32' || (dtype !== 'float32' && dtype !== 'int32')) return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo([...indices.shape, depth], dtype);
    const n = util.sizeFromShape(indices.shape);
    if (n * depth === 0) return out;
    backend.parallel(
      'one_hot_32',
      [backend.ptr(indices), backend.ptr(out), depth, wordOf(onValue, dtype), wordOf(offValue, dtype)],
      n,
      depth,
    );
    return out;
  };
};

const unsortedSegmentSum = (): KernelFunc => {
  const fallback = cpuKernel('UnsortedSegmentSum');
  return (args) => {
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = args.attrs!.numSegments as number;
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

export const selectKernels: KernelConfig[] = [
  { kernelName: 'Select', backendName: 'lanes', kernelFunc: select() },
  { kernelName: 'OneHot', backendName: 'lanes', kernelFunc: oneHot() },
  { kernelName: 'UnsortedSegmentSum', backendName: 'lanes', kernelFunc: unsortedSegmentSum() },
];
