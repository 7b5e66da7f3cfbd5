import { Cast, type CastAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { inWasm } from '../tensor_data.js';
import { castTo } from './shared/cast.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import type { LanesKernel } from './shared/kernel_config.js';

const fallback = cpuKernel(Cast);

/**
 * Cast. tfjs-backend-cpu shares the input's values when a cast loses nothing (int32 → float32,
 * bool → int32): a typed array reads right as either dtype. Here a block's bytes are what the
 * wasm kernels read, so a float32 tensor must own float32 bytes: a dtype change always converts.
 */
export const castKernels: LanesKernel[] = [
  {
    kernelName: Cast,
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      const { dtype } = args.attrs as unknown as CastAttrs;
      const backend = args.backend as LanesBackend;
      if (!inWasm(x.dtype) || !inWasm(dtype)) return fallback(args);
      const record = backend.data.get(x.dataId)!;
      if (record.dtype === dtype) {
        backend.incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype };
      }
      return castTo(backend, x, dtype);
    },
  },
];
