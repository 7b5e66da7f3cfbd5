// Softmax along one axis (tfjs passes dim = -1 or the last axis; any axis works here).
import { Softmax, util, type KernelFunc, type TensorInfo, type SoftmaxAttrs } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { axisView } from './shared/axis.js';
import type { LanesKernel } from './shared/kernel_config.js';

const softmax = (): KernelFunc => {
  const fallback = cpuKernel(Softmax);
  return (args) => {
    const logits = args.inputs.logits as TensorInfo;
    if (logits.dtype !== 'float32') return fallback(args);
    const backend = args.backend as LanesBackend;
    const dim = (args.attrs as unknown as Partial<SoftmaxAttrs> | undefined)?.dim ?? -1;
    const out = backend.makeOutputInfo(logits.shape.slice(), 'float32');
    if (util.sizeFromShape(logits.shape) === 0) return out;
    const axis = util.parseAxisParam(dim, logits.shape)[0];
    const { outer, n, inner } = axisView(logits.shape, axis);
    // Across columns (inner > 1) the kernel takes 4 adjacent columns of a row in vector form and
    // the row's last inner % 4 in scalar form, which round differently: chunks must start where
    // that grouping does (a multiple of 4 within a row, or a row start) for thread-count-free results.
    const align = inner % 4 === 0 ? 4 : inner;
    backend.parallel('softmax_f32', [backend.ptr(logits), backend.ptr(out), n, inner], outer * inner, 8 * n, align);
    return out;
  };
};

export const softmaxKernels: LanesKernel[] = [{ kernelName: Softmax, kernelFunc: softmax() }];
