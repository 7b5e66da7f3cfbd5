// Select (tf.where): elementwise, or one condition per leading row.
import { Select, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';

const select = (): KernelFunc => {
  const fallback = cpuKernel(Select);
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

export const selectKernels: LanesKernel[] = [{ kernelName: Select, kernelFunc: select() }];
