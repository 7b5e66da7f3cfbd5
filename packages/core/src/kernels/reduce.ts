// The reductions: Sum, Mean, Max, Min and Prod over float32 (and int32 but Mean), Any and All over
// bool; other dtypes fall back to tfjs-backend-cpu.
import { ReduceOp, type ReduceOpCode } from '@lanes/kernels-wasm';
import { All, Any, Max, Mean, Min, Prod, Sum, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';
import { reduceAlongAxes } from './shared/reduce.js';

/** Reductions with an int32 kernel (Mean of int32 is tfjs-cpu's: it divides in float). */
const int32Ops = new Set<string>([Sum, Max, Min, Prod]);

function numericKernel(name: string, op: ReduceOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const dtype = (args.inputs.x as TensorInfo).dtype;
    if (dtype === 'float32') return reduceAlongAxes(args, 'reduce_f32', op);
    if (dtype === 'int32' && int32Ops.has(name)) return reduceAlongAxes(args, 'reduce_i32', op);
    return fallback(args);
  };
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
