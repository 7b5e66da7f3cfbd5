import {
  Fill,
  OnesLike,
  ZerosLike,
  util,
  type KernelFunc,
  type TensorInfo,
  type FillAttrs,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { fillTensor, movable } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const fillFallback = cpuKernel(Fill);

const fillKernel: KernelFunc = (args) => {
  const { shape, value, dtype } = args.attrs as unknown as FillAttrs;
  const $dtype = dtype || util.inferDtype(value);
  if (!movable($dtype)) return fillFallback(args);
  const backend = args.backend as LanesBackend;
  const out = backend.makeOutputInfo(shape.slice(), $dtype);
  fillTensor(backend, out, Number(value));
  return out;
};

function likeKernel(name: string, value: number): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (!movable(x.dtype)) return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(x.shape.slice(), x.dtype);
    fillTensor(backend, out, value);
    return out;
  };
}

export const fillKernels: LanesKernel[] = [
  { kernelName: Fill, kernelFunc: fillKernel },
  { kernelName: ZerosLike, kernelFunc: likeKernel(ZerosLike, 0) },
  { kernelName: OnesLike, kernelFunc: likeKernel(OnesLike, 1) },
];
