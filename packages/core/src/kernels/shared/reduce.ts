// Reductions over any axes: the reduced axes are moved innermost (one transpose, as tfjs-cpu
// does), so each output reads one contiguous run, then a reduce kernel runs over the outputs.
import type { KernelName, ReduceOpCode } from '@lanes/kernels-wasm';
import { backend_util, util, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import { transpose } from './strided.js';

type KernelArgs = Parameters<KernelFunc>[0];
type ReduceKernel = Extract<KernelName, 'reduce_f32' | 'reduce_i32' | 'reduce_u8'>;

/**
 * Reduction `op` of `args.inputs.x` over `args.attrs.axis` (or `reductionIndices`), with
 * `keepDims`; the output has x's dtype.
 */
export function reduceAlongAxes(args: KernelArgs, kernel: ReduceKernel, op: ReduceOpCode): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const backend = args.backend as LanesBackend;
  const attrs = args.attrs as unknown as SumAttrs & { reductionIndices?: number | number[] };
  const axes = util.parseAxisParam(attrs.axis ?? attrs.reductionIndices!, x.shape);
  const rank = x.shape.length;
  const perm = backend_util.getAxesPermutation(axes, rank);
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
