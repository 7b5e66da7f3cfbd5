// Runs a row-wise broadcasting kernel (binary_f32's attribute layout) for any element type.
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelName } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { planBroadcast } from './binary.js';
import { bytesPerElement } from '../tensor_data.js';

type BroadcastKernel = Extract<KernelName, 'compare_f32' | 'compare_i32' | 'compare_u8' | 'binary_i32'>;

/** A contiguous (or scalar-broadcast) run longer than this is cut into rows so threads can share it. */
const SPLIT_ROW = 1 << 14;

/** out = a op b with broadcasting; `out` gets the broadcast shape and `dtype`. */
export function broadcastOp(
  backend: LanesBackend,
  kernel: BroadcastKernel,
  op: number,
  a: TensorInfo,
  b: TensorInfo,
  dtype: 'bool' | 'int32',
): TensorInfo {
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const out = backend.makeOutputInfo(outShape, dtype);
  const size = util.sizeFromShape(outShape);
  if (size === 0) return out;
  const plan = planBroadcast(a.shape, b.shape, outShape);
  const rank = plan.shape.length;
  const pa = backend.ptr(a),
    pb = backend.ptr(b),
    po = backend.ptr(out);
  const n = plan.shape[rank - 1];
  if (rank > 1 || n < 2 * SPLIT_ROW) {
    const attr = backend.attrs([rank, ...plan.shape, ...plan.aStrides, ...plan.bStrides]);
    backend.parallel(kernel, [op, pa, pb, po, attr], size / n, n);
    return out;
  }
  // One long run: the kernels split by rows, so view it as [rows, SPLIT_ROW] plus a short tail.
  const [sa, sb] = [plan.aStrides[0], plan.bStrides[0]];
  const rows = Math.floor(n / SPLIT_ROW),
    head = rows * SPLIT_ROW;
  const inBytes = bytesPerElement(a.dtype),
    outBytes = bytesPerElement(dtype);
  backend.parallel(
    kernel,
    [op, pa, pb, po, backend.attrs([2, rows, SPLIT_ROW, sa * SPLIT_ROW, sa, sb * SPLIT_ROW, sb])],
    rows,
    SPLIT_ROW,
  );
  if (head < n) {
    backend.parallel(
      kernel,
      [
        op,
        pa + sa * head * inBytes,
        pb + sb * head * inBytes,
        po + head * outBytes,
        backend.attrs([1, n - head, sa, sb]),
      ],
      1,
      n - head,
    );
  }
  return out;
}
