import { ReduceOp, type ReduceOpCode } from '@lanes/kernels-wasm';
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { transpose } from './transpose.js';
import { reduceInt32 } from './reduce_int.js';
import { castTo } from './cast.js';

function makeKernel(name: string, op: ReduceOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  const kernel: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const backend = args.backend as LanesBackend;
    if (name === 'Mean' && x.dtype === 'int32') {
      // tfjs's mean of int32 is float32: the mean of the values cast to float32 (an empty one is 0 / 0 = NaN).
      const xf = castTo(backend, x, 'float32');
      try {
        return kernel({ ...args, inputs: { x: xf } });
      } finally {
        backend.disposeIntermediateTensorInfo(xf);
      }
    }
    if (x.dtype !== 'float32') return reduceInt32(name, args) ?? fallback(args);
    const attrs = args.attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    const axis = attrs.axis ?? attrs.reductionIndices!;
    const keepDims = attrs.keepDims;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape);
    const perm = backend_util.getAxesPermutation(axes, rank);
    let input = x;
    let reduceAxes = axes;
    if (perm != null) {
      // Move the reduced axes innermost so each output reads one contiguous run.
      input = transpose(backend, x, perm);
      reduceAxes = backend_util.getInnerMostAxes(axes.length, rank);
    }
    const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(input.shape, reduceAxes);
    const n = util.sizeFromShape(reduceShape);
    const out = backend.makeOutputInfo(outShape, 'float32');
    backend.parallel('reduce_f32', [op, backend.ptr(input), backend.ptr(out), n], util.sizeFromShape(outShape), n);
    if (input !== x) backend.disposeIntermediateTensorInfo(input);
    if (keepDims) out.shape = backend_util.expandShapeToKeepDim(outShape, axes);
    return out;
  };
  return kernel;
}

const specs: Array<[string, ReduceOpCode]> = [
  ['Sum', ReduceOp.SUM],
  ['Mean', ReduceOp.MEAN],
  ['Max', ReduceOp.MAX],
  ['Min', ReduceOp.MIN],
  ['Prod', ReduceOp.PROD],
];

export const reduceKernels: KernelConfig[] = specs.map(([name, op]) => ({
  kernelName: name,
  backendName: 'lanes',
  kernelFunc: makeKernel(name, op),
}));
