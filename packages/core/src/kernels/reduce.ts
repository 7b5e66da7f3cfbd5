// The reductions: Sum, Mean, Max, Min and Prod over float32 and int32, Any and All over bool;
// other dtypes fall back to tfjs-backend-cpu.
import { ReduceOp, type ReduceOpCode } from '@lanes/kernels-wasm';
import { All, Any, Max, Mean, Min, Prod, Sum, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { castTo } from './shared/cast.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';
import { reduceAlongAxes } from './shared/reduce.js';

/** Reductions with an int32 kernel (Mean of int32 is float32: see numericKernel). */
const int32Ops = new Set<string>([Sum, Max, Min, Prod]);

function numericKernel(name: string, op: ReduceOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  const kernel: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (name === Mean && x.dtype === 'int32') {
      // tfjs's mean of int32 is float32: the mean of the values cast to float32 (an empty one is 0 / 0 = NaN).
      const backend = args.backend as LanesBackend;
      const xf = castTo(backend, x, 'float32');
      try {
        return kernel({ ...args, inputs: { x: xf } });
      } finally {
        backend.disposeIntermediateTensorInfo(xf);
      }
    }
    if (x.dtype === 'float32') return reduceAlongAxes(args, 'reduce_f32', op);
    if (x.dtype === 'int32' && int32Ops.has(name)) return reduceAlongAxes(args, 'reduce_i32', op);
    return fallback(args);
  };
  return kernel;
}

function boolKernel(name: string, op: ReduceOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) =>
    (args.inputs.x as TensorInfo).dtype === 'bool' ? reduceAlongAxes(args, 'reduce_u8', op) : fallback(args);
}

export const reduceKernels: LanesKernel[] = [
  { kernelName: Sum, kernelFunc: numericKernel(Sum, ReduceOp.SUM) },
  { kernelName: Mean, kernelFunc: numericKernel(Mean, ReduceOp.MEAN) },
  { kernelName: Max, kernelFunc: numericKernel(Max, ReduceOp.MAX) },
  { kernelName: Min, kernelFunc: numericKernel(Min, ReduceOp.MIN) },
  { kernelName: Prod, kernelFunc: numericKernel(Prod, ReduceOp.PROD) },
  { kernelName: Any, kernelFunc: boolKernel(Any, ReduceOp.ANY) },
  { kernelName: All, kernelFunc: boolKernel(All, ReduceOp.ALL) },
];
