import { Transpose, type KernelFunc, type TensorInfo, type TransposeAttrs } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { movable, transpose } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const fallback = cpuKernel(Transpose);

const transposeKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return fallback(args);
  return transpose(args.backend as LanesBackend, x, (args.attrs as unknown as TransposeAttrs).perm);
};

export const transposeKernels: LanesKernel[] = [{ kernelName: Transpose, kernelFunc: transposeKernel }];
