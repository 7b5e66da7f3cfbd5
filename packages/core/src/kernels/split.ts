import {
  SplitV,
  Unpack,
  backend_util,
  util,
  type KernelFunc,
  type TensorInfo,
  type UnpackAttrs,
  type SplitVAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { movable, slice } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const unpackFallback = cpuKernel(Unpack);

// Unstack: output i is the slice at position i of `axis`, without that axis.
const unpackKernel: KernelFunc = (args) => {
  const value = args.inputs.value as TensorInfo;
  if (!movable(value.dtype)) return unpackFallback(args);
  const backend = args.backend as LanesBackend;
  const rank = value.shape.length;
  let { axis } = args.attrs as unknown as UnpackAttrs;
  if (axis < 0) axis += rank;
  const outShape = value.shape.filter((_, d) => d !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = value.shape.slice();
  size[axis] = 1;
  const outs: TensorInfo[] = [];
  for (let i = 0; i < value.shape[axis]; i++) {
    begin[axis] = i;
    const t = slice(backend, value, begin, size);
    outs.push({ dataId: t.dataId, shape: outShape, dtype: t.dtype });
  }
  return outs;
};

const splitVFallback = cpuKernel(SplitV);

const splitVKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return splitVFallback(args);
  const backend = args.backend as LanesBackend;
  const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
  const $axis = util.parseAxisParam(axis, x.shape)[0];
  const splitSizes = backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  const size = x.shape.slice();
  return splitSizes.map((s) => {
    size[$axis] = s;
    const t = slice(backend, x, begin, size.slice());
    begin[$axis] += s;
    return t;
  });
};

export const splitKernels: LanesKernel[] = [
  { kernelName: Unpack, kernelFunc: unpackKernel },
  { kernelName: SplitV, kernelFunc: splitVKernel },
];
