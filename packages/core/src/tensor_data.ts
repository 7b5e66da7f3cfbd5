import type { backend_util, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { Storage } from './storage.js';

/** Bytes per element of the dtypes that live in wasm memory. */
export function bytesPerElement(dtype: DataType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** Whether a dtype's values live in wasm memory (strings and complex live in JS). */
export function inWasm(dtype: DataType): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

/**
 * One tensor's storage record. Numeric values are a block in wasm memory, exposed through
 * `values` as a fresh view on every access, so no caller keeps a view that memory growth made
 * stale. Strings are kept in JS; complex tensors hold their real and imaginary parts as tensors.
 * The shape of this record (values / complexTensorInfos / refCount) is what tfjs-backend-cpu's
 * kernel functions expect, so they run unchanged on this backend.
 */
export class TensorData {
  ptr = 0;
  length = 0;
  strings?: Uint8Array[];
  complexTensorInfos?: { real: TensorInfo; imag: TensorInfo };

  constructor(
    private readonly storage: Storage,
    public dtype: DataType,
    public refCount: number,
  ) {}

  /** Allocates the block for `length` elements (uninitialised). */
  allocate(length: number): void {
    this.length = length;
    if (inWasm(this.dtype) && length > 0) this.ptr = this.storage.alloc(length * bytesPerElement(this.dtype));
  }

  /** Frees the block; the record is dead afterwards. */
  release(): void {
    if (this.ptr !== 0) this.storage.release(this.ptr, this.length * bytesPerElement(this.dtype));
    this.ptr = 0;
    this.length = 0;
  }

  get values(): backend_util.BackendValues | undefined {
    if (this.strings) return this.strings;
    switch (this.dtype) {
      case 'float32': return this.storage.f32(this.ptr, this.length);
      case 'int32': return this.storage.i32(this.ptr, this.length);
      case 'bool': return this.storage.u8(this.ptr, this.length);
      default: return undefined;
    }
  }

  set values(v: backend_util.BackendValues | undefined) {
    if (v === undefined) return;
    if (this.dtype === 'string' || (Array.isArray(v) && !ArrayBuffer.isView(v))) {
      this.strings = v as Uint8Array[];
      return;
    }
    const src = v as Float32Array | Int32Array | Uint8Array;
    if (src.length !== this.length) {
      this.release();
      this.allocate(src.length);
    }
    (this.values as Float32Array | Int32Array | Uint8Array).set(src);
  }
}
