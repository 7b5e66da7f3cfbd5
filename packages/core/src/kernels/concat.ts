import {
  Concat,
  Pack,
  backend_util,
  util,
  type KernelFunc,
  type TensorInfo,
  type ConcatAttrs,
  type PackAttrs,
} from '@tensorflow/tfjs-core';
import { ConcatAttr, headedWords } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { bytesPerElement } from '../tensor_data.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { movable, shareAs } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

/** Inputs per kernel call: (pointer, width) pairs must fit the 4 KiB attribute block. */
const MAX_INPUTS_PER_CALL = 500;

/**
 * Concatenates non-empty inputs of one dtype viewed as [outer, inner_i] along their columns into
 * a new [outer, Σ inner_i] tensor with shape `outShape`.
 */
function concat2d(backend: LanesBackend, inputs: TensorInfo[], outer: number, outShape: number[]): TensorInfo {
  const dtype = inputs[0].dtype;
  const out = backend.makeOutputInfo(outShape, dtype);
  const inners = inputs.map((t) => util.sizeFromShape(t.shape) / outer);
  const outInner = inners.reduce((a, b) => a + b, 0);
  const kernel = bytesPerElement(dtype) === 1 ? 'concat_x8' : 'concat_x32';
  let col = 0;
  for (let i = 0; i < inputs.length; i += MAX_INPUTS_PER_CALL) {
    const chunk = inputs.slice(i, i + MAX_INPUTS_PER_CALL);
    const pairs = chunk.flatMap((t, k) => [backend.ptr(t), inners[i + k]]);
    const words = headedWords(
      ConcatAttr,
      'INPUTS',
      { COUNT: chunk.length, OUT_INNER: outInner, COL_OFFSET: col },
      pairs,
    );
    const chunkInner = inners.slice(i, i + chunk.length).reduce((a, b) => a + b, 0);
    backend.parallel(kernel, [backend.ptr(out), backend.attrs(words)], outer, chunkInner);
    col += chunkInner;
  }
  return out;
}

const concatFallback = cpuKernel(Concat);

const concatKernel: KernelFunc = (args) => {
  const inputs = args.inputs as unknown as TensorInfo[];
  const backend = args.backend as LanesBackend;
  const dtype = inputs[0].dtype;
  if (!movable(dtype) || inputs.some((t) => t.dtype !== dtype)) return concatFallback(args);
  const axis = util.parseAxisParam((args.attrs as unknown as ConcatAttrs).axis, inputs[0].shape)[0];
  backend_util.assertParamsConsistent(
    inputs.map((t) => t.shape),
    axis,
  );
  const outShape = backend_util.computeOutShape(
    inputs.map((t) => t.shape),
    axis,
  );
  if (util.sizeFromShape(outShape) === 0) return backend.makeOutputInfo(outShape, dtype);
  const nonEmpty = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (nonEmpty.length === 1) return shareAs(backend, nonEmpty[0], nonEmpty[0].shape);
  const outer = util.sizeFromShape(outShape.slice(0, axis));
  return concat2d(
    backend,
    nonEmpty,
    outer,
    backend_util.computeOutShape(
      nonEmpty.map((t) => t.shape),
      axis,
    ),
  );
};

const packFallback = cpuKernel(Pack);

// Stack = concat of the inputs with a new unit axis: each input is [outer, inner] in place.
const packKernel: KernelFunc = (args) => {
  const inputs = args.inputs as unknown as TensorInfo[];
  const backend = args.backend as LanesBackend;
  const shape = inputs[0].shape;
  const dtype = inputs[0].dtype;
  if (!movable(dtype)) return packFallback(args);
  const rank = shape.length;
  let { axis } = args.attrs as unknown as PackAttrs;
  if (axis < 0) {
    util.assert(-(rank + 1) <= axis, () => `Axis must be in the interval [${-(rank + 1)}, ${rank}]`);
    axis += rank + 1;
  }
  const expanded = shape.slice();
  expanded.splice(axis, 0, 1);
  if (inputs.length === 1) return shareAs(backend, inputs[0], expanded);
  inputs.forEach((t) => {
    util.assertShapesMatch(shape, t.shape, 'All tensors passed to stack must have matching shapes');
    util.assert(dtype === t.dtype, () => 'All tensors passed to stack must have matching dtypes');
  });
  const outShape = shape.slice();
  outShape.splice(axis, 0, inputs.length);
  if (util.sizeFromShape(outShape) === 0) return backend.makeOutputInfo(outShape, dtype);
  return concat2d(backend, inputs, util.sizeFromShape(shape.slice(0, axis)), outShape);
};

export const concatKernels: LanesKernel[] = [
  { kernelName: Concat, kernelFunc: concatKernel },
  { kernelName: Pack, kernelFunc: packKernel },
];
