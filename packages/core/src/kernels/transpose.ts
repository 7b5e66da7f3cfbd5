import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { gatherStrided, movable, rowMajorStrides } from './strided.js';

/** x transposed by `perm` into a new tensor (any rank; 4x4 SIMD tiles when the inner dim moves). */
export function transpose(backend: LanesBackend, x: TensorInfo, perm: readonly number[]): TensorInfo {
  const xStrides = rowMajorStrides(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  return gatherStrided(
    backend,
    x,
    0,
    outShape,
    perm.map((p) => xStrides[p]),
    outShape,
  );
}

const fallback = cpuKernel('Transpose');

const transposeKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return fallback(args);
  return transpose(args.backend as LanesBackend, x, args.attrs!.perm as number[]);
};

export const transposeKernels: KernelConfig[] = [
  { kernelName: 'Transpose', backendName: 'lanes', kernelFunc: transposeKernel },
];
