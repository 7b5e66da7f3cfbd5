// int32 reductions (Sum, Max, Min, Prod) and the bool ones (Any, All): reduce.ts routes int32
// inputs here before falling back to tfjs-backend-cpu.
import { ReduceOp, type ReduceOpCode } from '@lanes/kernels-wasm';
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { transpose } from './transpose.js';

type KernelArgs = Parameters<KernelFunc>[0];

const int32Ops: Record<string, ReduceOpCode> = {
  Sum: ReduceOp.SUM,
  Max: ReduceOp.MAX,
  Min: ReduceOp.MIN,
  Prod: ReduceOp.PROD,
};

function reduceWith(args: KernelArgs, kernel: 'reduce_i32' | 'reduce_u8', op: ReduceOpCode): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const backend = args.backend as LanesBackend;
  const attrs = args.attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
  const axes = util.parseAxisParam(attrs.axis ?? attrs.reductionIndices!, x.shape);
  const rank = x.shape.length;
  const perm = backend_util.getAxesPermutation(axes, rank);
  // Reduced axes innermost, as tfjs-cpu does, so each output reads one contiguous run.
  const input = perm != null ? transpose(backend, x, perm) : x;
  const reduceAxes = perm != null ? backend_util.getInnerMostAxes(axes.length, rank) : axes;
  const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(input.shape, reduceAxes);
  const n = util.sizeFromShape(reduceShape);
  const out = backend.makeOutputInfo(outShape, x.dtype);
  backend.parallel(kernel, [op, backend.ptr(input), backend.ptr(out), n], util.sizeFromShape(outShape), Math.max(1, n));
  if (input !== x) backend.disposeIntermediateTensorInfo(input);
  if (attrs.keepDims) out.shape = backend_util.expandShapeToKeepDim(outShape, axes);
  return out;
}

/** Reduction `name` of an int32 input, or null when there is no int32 kernel for it. */
export function reduceInt32(name: string, args: KernelArgs): TensorInfo | null {
  const op = int32Ops[name];
  if (op === undefined || (args.inputs.x as TensorInfo).dtype !== 'int32') return null;
  return reduceWith(args, 'reduce_i32', op);
}

function boolKernel(name: 'Any' | 'All', op: ReduceOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) =>
    (args.inputs.x as TensorInfo).dtype === 'bool' ? reduceWith(args, 'reduce_u8', op) : fallback(args);
}

export const boolReduceKernels: KernelConfig[] = [
  { kernelName: 'Any', backendName: 'lanes', kernelFunc: boolKernel('Any', ReduceOp.ANY) },
  { kernelName: 'All', backendName: 'lanes', kernelFunc: boolKernel('All', ReduceOp.ALL) },
];
