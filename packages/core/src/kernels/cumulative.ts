// Cumsum / Cumprod along one axis, exclusive and/or reversed (float32, or int32 wrapping).
import { Cumprod, Cumsum, util, type KernelFunc, type TensorInfo, type CumsumAttrs } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { axisView } from './shared/axis.js';
import type { LanesKernel } from './shared/kernel_config.js';

function makeKernel(name: typeof Cumsum | typeof Cumprod): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return fallback(args);
    const { axis, exclusive, reverse } = args.attrs as unknown as CumsumAttrs;
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(x.shape.slice(), x.dtype);
    if (util.sizeFromShape(x.shape) === 0) return out;
    const { outer, n, inner } = axisView(x.shape, axis);
    const flags = (name === Cumprod ? 1 : 0) | (exclusive ? 2 : 0) | (reverse ? 4 : 0);
    const kernel = x.dtype === 'float32' ? 'cumulative_f32' : 'cumulative_i32';
    backend.parallel(kernel, [backend.ptr(x), backend.ptr(out), n, inner, flags], outer * inner, n);
    return out;
  };
}

export const cumulativeKernels: LanesKernel[] = [
  { kernelName: Cumsum, kernelFunc: makeKernel(Cumsum) },
  { kernelName: Cumprod, kernelFunc: makeKernel(Cumprod) },
];
