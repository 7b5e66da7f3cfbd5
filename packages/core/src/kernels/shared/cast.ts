// Conversions between the stored layouts of float32, int32 and bool blocks: the Cast kernel's
// work, and what makes every input a wasm kernel sees own bytes of its dtype.
import type { DataType, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelName } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../../backend.js';
import { inWasm } from '../../tensor_data.js';

/** The wasm conversion from one stored layout to another (float32 -> int32 is JS's ToInt32). */
const wasmCasts: Partial<Record<string, KernelName>> = {
  'float32>int32': 'cast_f32_i32',
  'float32>bool': 'cast_f32_bool',
  'int32>float32': 'cast_i32_f32',
  'int32>bool': 'cast_i32_bool',
  'bool>float32': 'cast_bool_f32',
  'bool>int32': 'cast_bool_i32',
};

/**
 * Converts the values of `x`'s block into `out`'s block, reading `x` in the layout its record
 * really has (which can differ from `x.dtype`: tfjs-backend-cpu's kernels share blocks across dtypes). Values already in wasm
 * convert there; values still in a JS array convert in JS rather than move first.
 */
function convertInto(backend: LanesBackend, x: TensorInfo, out: TensorInfo): void {
  const record = backend.data.get(x.dataId)!;
  const kernel = wasmCasts[`${record.dtype}>${out.dtype}`];
  if (kernel !== undefined && !record.inJs) {
    backend.parallel(kernel, [record.ptr, backend.ptr(out)], record.length);
    return;
  }
  const src = record.view()!;
  const dst = backend.data.get(out.dataId)!.view()!;
  if (out.dtype === 'bool') {
    // tfjs: x != 0, so NaN casts to true.
    for (let i = 0; i < dst.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  } else {
    // Typed-array assignment converts as tfjs-cpu's Int32Array.from does (truncation, NaN → 0).
    dst.set(src);
  }
}

/** A new tensor record of dtype `dtype` holding `x`'s values converted. */
export function castTo(backend: LanesBackend, x: TensorInfo, dtype: DataType): TensorInfo {
  const out = backend.makeOutputInfo(x.shape.slice(), dtype);
  convertInto(backend, x, out);
  return out;
}

/**
 * Wraps a wasm kernel so that every input it sees owns bytes of its own dtype: an input that
 * shares a block of another dtype (tfjs-backend-cpu's kernels cast internally by sharing) is
 * converted to a temporary first.
 */
export function withOwnLayouts(func: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as LanesBackend;
    const inputs = args.inputs as Record<string, TensorInfo | undefined>;
    let fixed: Record<string, TensorInfo | undefined> | undefined;
    const temps: TensorInfo[] = [];
    for (const key in inputs) {
      const t = inputs[key];
      if (t === undefined || t === null) continue;
      const record = backend.data.get(t.dataId);
      if (record === undefined || record.dtype === t.dtype || !inWasm(record.dtype) || !inWasm(t.dtype)) continue;
      fixed ??= (Array.isArray(inputs) ? inputs.slice() : { ...inputs }) as Record<string, TensorInfo | undefined>;
      fixed[key] = castTo(backend, t, t.dtype);
      temps.push(fixed[key]!);
    }
    if (fixed === undefined) return func(args);
    try {
      return func({ ...args, inputs: fixed as NamedTensorInfoMap });
    } finally {
      for (const t of temps) backend.disposeIntermediateTensorInfo(t);
    }
  };
}
