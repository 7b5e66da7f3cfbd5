// Broadcasting binary operations: the geometry the row-wise kernels read (binary_f32, binary_i32,
// compare_*: rank, shape, then both inputs' element strides) and the calls that run them.
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { BroadcastAttr, headedWords, type BinaryOpCode, type KernelName } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../../backend.js';
import { bytesPerElement } from '../../tensor_data.js';

/** Broadcast geometry as the wasm kernel reads it: rank, shape, then both inputs' element strides. */
export interface BroadcastPlan {
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

function stridesFor(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = rank - shape.length + i;
    strides[d] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Aligns both inputs to the output's rank, drops size-1 dims and merges neighbours that both
 * inputs traverse contiguously (or both broadcast), so the inner loop is as long as possible.
 */
export function planBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
): BroadcastPlan {
  const as = stridesFor(aShape, outShape);
  const bs = stridesFor(bShape, outShape);
  const shape: number[] = [],
    aStrides: number[] = [],
    bStrides: number[] = [];
  for (let d = 0; d < outShape.length; d++) {
    if (outShape[d] === 1) continue;
    const last = shape.length - 1;
    const mergeable = (s: number[], prev: number, cur: number) =>
      (s[prev] === 0 && cur === 0) || (s[prev] !== 0 && cur !== 0 && s[prev] === cur * outShape[d]);
    if (last >= 0 && mergeable(aStrides, last, as[d]) && mergeable(bStrides, last, bs[d])) {
      shape[last] *= outShape[d];
      aStrides[last] = as[d];
      bStrides[last] = bs[d];
    } else {
      shape.push(outShape[d]);
      aStrides.push(as[d]);
      bStrides.push(bs[d]);
    }
  }
  if (shape.length === 0) return { shape: [1], aStrides: [1], bStrides: [1] };
  return { shape, aStrides, bStrides };
}

/** The words of a broadcast block ({@link BroadcastAttr}): rank, shape, then both inputs' strides. */
function broadcastWords(shape: number[], aStrides: number[], bStrides: number[]): number[] {
  return headedWords(BroadcastAttr, 'SHAPE', { RANK: shape.length }, shape, aStrides, bStrides);
}

/** out = a op b with broadcasting over float32 tensors already in wasm memory (FloorDiv's out is int32). */
export function applyBinary(
  backend: LanesBackend,
  op: BinaryOpCode,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
): void {
  const size = util.sizeFromShape(out.shape);
  if (size === 0) return;
  const plan = planBroadcast(a.shape, b.shape, out.shape);
  const rank = plan.shape.length;
  const attr = backend.attrs(broadcastWords(plan.shape, plan.aStrides, plan.bStrides));
  const rows = size / plan.shape[rank - 1];
  backend.parallel(
    'binary_f32',
    [op, backend.ptr(a), backend.ptr(b), backend.ptr(out), attr],
    rows,
    plan.shape[rank - 1],
  );
}

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
    const attr = backend.attrs(broadcastWords(plan.shape, plan.aStrides, plan.bStrides));
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
    [op, pa, pb, po, backend.attrs(broadcastWords([rows, SPLIT_ROW], [sa * SPLIT_ROW, sa], [sb * SPLIT_ROW, sb]))],
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
        backend.attrs(broadcastWords([n - head], [sa], [sb])),
      ],
      1,
      n - head,
    );
  }
  return out;
}
