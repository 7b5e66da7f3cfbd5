import { Tile, type KernelFunc, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { gatherStrided, movable, rowMajorStrides } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const fallback = cpuKernel(Tile);

// Tile as a strided copy of twice the rank: output dim d splits into (reps[d], shape[d]), and
// the reps half reads the input with stride 0.
const tileKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return fallback(args);
  const { reps } = args.attrs as unknown as TileAttrs;
  const xStrides = rowMajorStrides(x.shape);
  const outShape = x.shape.map((n, d) => n * reps[d]);
  const shape: number[] = [],
    inStrides: number[] = [];
  x.shape.forEach((n, d) => {
    shape.push(reps[d], n);
    inStrides.push(0, xStrides[d]);
  });
  return gatherStrided(args.backend as LanesBackend, x, 0, shape, inStrides, outShape);
};

export const tileKernels: LanesKernel[] = [{ kernelName: Tile, kernelFunc: tileKernel }];
