// Activation gradients that tfjs registers as kernels: EluGrad (the others are composed of ops).
import { EluGrad, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';

const eluGrad = (): KernelFunc => {
  const fallback = cpuKernel(EluGrad);
  return (args) => {
    const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
    if (dy.dtype !== 'float32' || y.dtype !== 'float32') return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(y.shape.slice(), 'float32');
    backend.parallel('elu_grad_f32', [backend.ptr(dy), backend.ptr(y), backend.ptr(out)], util.sizeFromShape(y.shape));
    return out;
  };
};

export const activationGradKernels: LanesKernel[] = [{ kernelName: EluGrad, kernelFunc: eluGrad() }];
