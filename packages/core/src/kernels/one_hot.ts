// OneHot of int32 indices into float32 or int32.
import { OneHot, util, type KernelFunc, type OneHotAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { floatBits } from './shared/float_bits.js';
import type { LanesKernel } from './shared/kernel_config.js';

/** The 32-bit pattern tfjs-cpu ends up storing for `v` in a `dtype` tensor (it goes through a Float32Array). */
function wordOf(v: number, dtype: 'float32' | 'int32'): number {
  return dtype === 'float32' ? floatBits(v) : new Int32Array(new Float32Array([v]))[0];
}

const oneHot = (): KernelFunc => {
  const fallback = cpuKernel(OneHot);
  return (args) => {
    const indices = args.inputs.indices as TensorInfo;
    const { dtype, depth, onValue, offValue } = args.attrs as unknown as OneHotAttrs;
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

export const oneHotKernels: LanesKernel[] = [{ kernelName: OneHot, kernelFunc: oneHot() }];
