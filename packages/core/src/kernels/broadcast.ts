// Runs a row-wise broadcasting kernel (binary_f32's attribute layout) for any element type.
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelName } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { planBroadcast } from './binary.js';

type BroadcastKernel = Extract<KernelName, 'compare_f32' | 'compare_i32' | 'compare_u8' | 'binary_i32'>;

/** out = a op b with broadcasting; `out` gets the broadcast shape and `dtype`. */
export function broadcastOp(
  backend: LanesBackend, kernel: BroadcastKernel, op: number, a: TensorInfo, b: TensorInfo, dtype: 'bool' | 'int32',
): TensorInfo {
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const out = backend.makeOutputInfo(outShape, dtype);
  const size = util.sizeFromShape(outShape);
  if (size === 0) return out;
  const plan = planBroadcast(a.shape, b.shape, outShape);
  const rank = plan.shape.length;
  const attr = backend.attrs([rank, ...plan.shape, ...plan.aStrides, ...plan.bStrides]);
  const n = plan.shape[rank - 1];
  backend.parallel(kernel, [op, backend.ptr(a), backend.ptr(b), backend.ptr(out), attr], size / n, n);
  return out;
}
