import { Identity, Reshape, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import type { LanesKernel } from './shared/kernel_config.js';

// Identity and Reshape share the input's block: a new TensorInfo over the same data id.
export const identityKernels: LanesKernel[] = [
  {
    kernelName: Identity,
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as TensorInfo;
      (backend as LanesBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  },
  {
    kernelName: Reshape,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const x = inputs.x as TensorInfo;
      const size = util.sizeFromShape(x.shape);
      const shape = util.inferFromImplicitShape(attrs!.shape as number[], size);
      util.assert(
        size === util.sizeFromShape(shape),
        () =>
          `The new shape (${shape}) has ${util.sizeFromShape(shape)} elements and the old shape ` +
          `(${x.shape}) has ${size} elements. The new shape and old shape must have the same number of elements.`,
      );
      (backend as LanesBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape, dtype: x.dtype };
    },
  },
];
