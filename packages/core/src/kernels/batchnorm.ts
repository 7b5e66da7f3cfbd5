// FusedBatchNorm: out = offset + (x - mean) * scale / sqrt(variance + eps), parameters indexed
// modulo their own lengths as tfjs-backend-cpu does (which is broadcasting over trailing axes).
import {
  FusedBatchNorm,
  util,
  type KernelFunc,
  type TensorInfo,
  type FusedBatchNormAttrs,
} from '@tensorflow/tfjs-core';
import { BatchnormLens, attrWords } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Row length for the kernel: a multiple of every parameter length (so a row starts at parameter
 * index 0), a multiple of 4 and at least 256 long so loops run long; or n when that is shorter.
 */
export function batchNormPeriod(lengths: number[], n: number): number {
  let p = 1;
  for (const l of lengths) {
    p = (p / gcd(p, l)) * l;
    if (p >= n) return n;
  }
  const lanes = 4 / gcd(p, 4);
  const reps = Math.ceil(256 / (p * lanes)) * lanes;
  return Math.min(n, p * reps);
}

const batchNorm = (): KernelFunc => {
  const fallback = cpuKernel(FusedBatchNorm);
  return (args) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const params = [mean!, variance!, offset, scale].filter((t): t is TensorInfo => t !== undefined);
    if (x!.dtype !== 'float32' || params.some((t) => t.dtype !== 'float32')) return fallback(args);
    const lens = [mean!, variance!, offset, scale].map((t) => (t ? util.sizeFromShape(t.shape) : 1));
    const n = util.sizeFromShape(x!.shape);
    if (n > 0 && lens.some((l) => l === 0)) return fallback(args);
    // Same checks and error text as tfjs-cpu.
    util.assert(
      mean!.shape.length === variance!.shape.length,
      () => 'Batch normalization gradient requires mean and variance to have equal ranks.',
    );
    util.assert(
      offset == null || mean!.shape.length === offset.shape.length,
      () => 'Batch normalization gradient requires mean and offset to have equal ranks.',
    );
    util.assert(
      scale == null || mean!.shape.length === scale.shape.length,
      () => 'Batch normalization gradient requires mean and scale to have equal ranks.',
    );
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(x!.shape.slice(), 'float32');
    if (n === 0) return out;
    const eps = (args.attrs as unknown as Partial<FusedBatchNormAttrs> | undefined)?.varianceEpsilon ?? 0.001;
    const P = batchNormPeriod(lens, n);
    // batchnorm_table_f32's layout: 48 bytes (4 means, 4 scales, 4 offsets) per 4 positions.
    const tabBytes = Math.ceil(P / 4) * 48;
    const tab = backend.storage.alloc(tabBytes);
    try {
      backend.wasm.batchnorm_table_f32(
        backend.ptr(mean!),
        backend.ptr(variance!),
        offset ? backend.ptr(offset) : 0,
        scale ? backend.ptr(scale) : 0,
        backend.attrs(attrWords(BatchnormLens, { MEAN: lens[0], VARIANCE: lens[1], OFFSET: lens[2], SCALE: lens[3] })),
        eps,
        tab,
        P,
      );
      backend.parallel('batchnorm_f32', [backend.ptr(x!), tab, backend.ptr(out), P, n], Math.ceil(n / P), P);
    } finally {
      backend.storage.release(tab, tabBytes);
    }
    return out;
  };
};

export const batchNormKernels: LanesKernel[] = [{ kernelName: FusedBatchNorm, kernelFunc: batchNorm() }];
