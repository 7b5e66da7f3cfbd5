import {
  BatchMatMul,
  _FusedMatMul,
  type BatchMatMulAttrs,
  type KernelFunc,
  type TensorInfo,
  type _FusedMatMulAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { batchMatMul } from './shared/gemm.js';
import type { LanesKernel } from './shared/kernel_config.js';

const batchMatMulKernel = (): KernelFunc => {
  const fallback = cpuKernel(BatchMatMul);
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    return batchMatMul(args.backend as LanesBackend, a, b, transposeA, transposeB);
  };
};

const fusedMatMulKernel = (): KernelFunc => {
  const fallback = cpuKernel(_FusedMatMul);
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return fallback(args);
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as _FusedMatMulAttrs;
    return batchMatMul(
      args.backend as LanesBackend,
      a!,
      b!,
      transposeA,
      transposeB,
      bias,
      activation,
      preluActivationWeights,
      leakyreluAlpha,
    );
  };
};

export const matmulKernels: LanesKernel[] = [
  { kernelName: BatchMatMul, kernelFunc: batchMatMulKernel() },
  { kernelName: _FusedMatMul, kernelFunc: fusedMatMulKernel() },
];
