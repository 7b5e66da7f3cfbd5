// Activation gradients that tfjs registers as kernels: EluGrad (the others are composed of ops).
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';

const eluGrad = (): KernelFunc => {
  const fallback = cpuKernel('EluGrad');
  return (args) => {
    const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
    if (dy.dtype !== 'float32' || y.dtype !== 'float32') return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(y.shape.slice(), 'float32');
    backend.parallel('elu_grad_f32', [backend.ptr(dy), backend.ptr(y), backend.ptr(out)], util.sizeFromShape(y.shape));
    return out;
  };
};

export const activationGradKernels: KernelConfig[] = [
  { kernelName: 'EluGrad', backendName: 'lanes', kernelFunc: eluGrad() },
];
