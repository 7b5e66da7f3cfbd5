// ArgMax / ArgMin along one axis (float32 or int32 input, int32 indices), no transpose needed:
// the kernel walks the axis with a stride.
import {
  ArgMax,
  ArgMin,
  backend_util,
  util,
  type KernelFunc,
  type TensorInfo,
  type ArgMaxAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { axisView } from './shared/axis.js';
import type { LanesKernel } from './shared/kernel_config.js';

function makeKernel(name: typeof ArgMax | typeof ArgMin): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return fallback(args);
    const axes = util.parseAxisParam((args.attrs as unknown as ArgMaxAttrs).axis, x.shape);
    if (axes.length !== 1) return fallback(args); // tfjs-cpu rejects these with its own error
    const backend = args.backend as LanesBackend;
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const out = backend.makeOutputInfo(outShape, 'int32');
    const { outer, n, inner } = axisView(x.shape, axes[0]);
    const kernel = x.dtype === 'float32' ? 'arg_reduce_f32' : 'arg_reduce_i32';
    backend.parallel(kernel, [backend.ptr(x), backend.ptr(out), n, inner, name === ArgMin ? 1 : 0], outer * inner, n);
    return out;
  };
}

export const argMinMaxKernels: LanesKernel[] = [
  { kernelName: ArgMax, kernelFunc: makeKernel(ArgMax) },
  { kernelName: ArgMin, kernelFunc: makeKernel(ArgMin) },
];
