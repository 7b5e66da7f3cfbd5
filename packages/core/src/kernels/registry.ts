import { registerKernel } from '@tensorflow/tfjs-core';
import { withOwnLayouts } from './shared/cast.js';
import { cpuFallbackConfigs } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';
import { unaryKernels } from './unary.js';
import { binaryKernels } from './binary.js';
import { reduceKernels } from './reduce.js';
import { matmulKernels } from './matmul.js';
import { identityKernels } from './identity.js';
import { castKernels } from './cast.js';
import { lstmKernels } from './lstm.js';
import { gruKernels } from './gru.js';
import { conv2dKernels } from './conv2d.js';
import { conv2dBackpropKernels } from './conv2d_backprop.js';
import { depthwiseKernels } from './depthwise.js';
import { transposeKernels } from './transpose.js';
import { concatKernels } from './concat.js';
import { sliceKernels } from './slice.js';
import { splitKernels } from './split.js';
import { reverseKernels } from './reverse.js';
import { tileKernels } from './tile.js';
import { padKernels } from './pad.js';
import { gatherKernels } from './gather.js';
import { resizeKernels } from './resize.js';
import { fillKernels } from './fill.js';
import { poolKernels } from './pool.js';
import { batchNormKernels } from './batchnorm.js';
import { softmaxKernels } from './softmax.js';
import { compareKernels } from './compare.js';
import { argMinMaxKernels } from './argminmax.js';
import { cumulativeKernels } from './cumulative.js';
import { selectKernels } from './select.js';
import { activationGradKernels } from './activation_grad.js';
import { oneHotKernels } from './one_hot.js';
import { unsortedSegmentSumKernels } from './unsorted_segment_sum.js';

/** Kernels implemented in wasm (each falls back per call for dtypes it does not cover). */
export const nativeKernels: LanesKernel[] = [
  ...identityKernels,
  ...castKernels,
  ...unaryKernels,
  ...binaryKernels,
  ...reduceKernels,
  ...matmulKernels,
  ...lstmKernels,
  ...gruKernels,
  ...conv2dKernels,
  ...conv2dBackpropKernels,
  ...depthwiseKernels,
  ...transposeKernels,
  ...concatKernels,
  ...sliceKernels,
  ...splitKernels,
  ...reverseKernels,
  ...tileKernels,
  ...padKernels,
  ...gatherKernels,
  ...resizeKernels,
  ...fillKernels,
  ...poolKernels,
  ...batchNormKernels,
  ...softmaxKernels,
  ...compareKernels,
  ...argMinMaxKernels,
  ...cumulativeKernels,
  ...selectKernels,
  ...activationGradKernels,
  ...oneHotKernels,
  ...unsortedSegmentSumKernels,
];

/** Registers every 'lanes' kernel: the native ones, then tfjs-backend-cpu's for the rest. */
export function registerLanesKernels(backendName: string): void {
  const native = new Set(nativeKernels.map((k) => k.kernelName));
  for (const k of nativeKernels) registerKernel({ ...k, backendName, kernelFunc: withOwnLayouts(k.kernelFunc) });
  for (const k of cpuFallbackConfigs(backendName, native)) registerKernel(k);
}
