import { util, type DataType, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { fillTensor, movable } from './strided.js';

const fillFallback = cpuKernel('Fill');

const fillKernel: KernelFunc = (args) => {
  const { shape, value, dtype } = args.attrs as { shape: number[]; value: number | string; dtype?: DataType };
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

export const fillKernels: KernelConfig[] = [
  { kernelName: 'Fill', backendName: 'lanes', kernelFunc: fillKernel },
  { kernelName: 'ZerosLike', backendName: 'lanes', kernelFunc: likeKernel('ZerosLike', 0) },
  { kernelName: 'OnesLike', backendName: 'lanes', kernelFunc: likeKernel('OnesLike', 1) },
];
