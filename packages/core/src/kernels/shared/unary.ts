import type { UnaryOpCode } from '@lanes/kernels-wasm';
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';

/** out = op(x) elementwise over float32; `out` may be `x`. */
export function applyUnary(backend: LanesBackend, op: UnaryOpCode, x: TensorInfo, out: TensorInfo, a = 0, b = 0): void {
  const n = util.sizeFromShape(out.shape);
  backend.parallel('unary_f32', [op, backend.ptr(x), backend.ptr(out), a, b], n);
}
