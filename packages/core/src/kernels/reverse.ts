import { Reverse, util, type KernelFunc, type TensorInfo, type ReverseAttrs } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { gatherStrided, movable, rowMajorStrides, shareAs } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const fallback = cpuKernel(Reverse);

// Reverse = a copy that starts at the last element of each reversed dim and walks it backwards.
const reverseKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return fallback(args);
  const backend = args.backend as LanesBackend;
  if (x.shape.length === 0) return shareAs(backend, x, x.shape);
  const dims = util.parseAxisParam((args.attrs as unknown as ReverseAttrs).dims, x.shape);
  const strides = rowMajorStrides(x.shape);
  // A dim listed twice is flipped twice, i.e. kept, as in tfjs-backend-cpu.
  const flip = x.shape.map(() => false);
  for (const d of dims) flip[d] = !flip[d];
  let offset = 0;
  flip.forEach((f, d) => {
    if (!f) return;
    offset += Math.max(0, x.shape[d] - 1) * strides[d];
    strides[d] = -strides[d];
  });
  return gatherStrided(backend, x, offset, x.shape, strides, x.shape);
};

export const reverseKernels: LanesKernel[] = [{ kernelName: Reverse, kernelFunc: reverseKernel }];
