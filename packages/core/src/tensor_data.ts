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

/** The typed arrays numeric tensors are stored in. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

/**
 * A copy of a typed array, through its type's constructor: on a view of the shared wasm memory
 * that is faster than slice() (6.4 MB: 0.49 against 0.69 ms on the bench machine), and a readback
 * copies every output the user reads.
 */
export function copyOf(v: NumericArray): NumericArray {
  if (v instanceof Float32Array) return new Float32Array(v);
  if (v instanceof Int32Array) return new Int32Array(v);
  return new Uint8Array(v);
}

/** A typed array of `dtype`'s own type holding `values` (the same array when it already is one). */
function ownType(values: NumericArray, dtype: DataType): NumericArray {
  switch (dtype) {
    case 'float32':
      return values instanceof Float32Array ? values : new Float32Array(values);
    case 'int32':
      return values instanceof Int32Array ? values : new Int32Array(values);
    default:
      return values instanceof Uint8Array ? values : new Uint8Array(values);
  }
}

/**
 * One tensor's storage record, in the shape tfjs-backend-cpu's kernel functions read
 * (values / complexTensorInfos / refCount), so they run unchanged on this backend.
 *
 * Numeric values live in one of two places. Values written from JS (tf.tensor(), or the output
 * of a tfjs-backend-cpu kernel) stay in that JS array, as tfjs-backend-cpu keeps them, until a wasm
 * kernel asks for `ptr`: then they move into a wasm block for good. Wasm kernel outputs are blocks
 * from the start. So chains of fallback kernels never copy through wasm memory, and the arrays
 * those kernels hold are never views that a recycled block or a grown memory would invalidate.
 * Strings stay in JS; complex tensors hold their real and imaginary parts as tensors.
 */
export class TensorData {
  length = 0;
  strings?: Uint8Array[];
  complexTensorInfos?: { real: TensorInfo; imag: TensorInfo };
  private block = 0;
  private js?: NumericArray;
  /** Packed copies of the values (a filter in a kernel's panel layout), by layout; freed with the values. */
  private packed?: Map<string, { ptr: number; bytes: number }>;

  constructor(
    private readonly storage: Storage,
    public dtype: DataType,
    public refCount: number,
  ) {}

  /** Allocates an uninitialised wasm block for `length` elements. */
  allocate(length: number): void {
    this.length = length;
    if (inWasm(this.dtype) && length > 0) this.block = this.storage.alloc(length * bytesPerElement(this.dtype));
  }

  /** The packed copy in `layout`, if one was kept (byte offset), else 0. */
  packedCopy(layout: string): number {
    return this.packed?.get(layout)?.ptr ?? 0;
  }

  /** Keeps a packed copy of these values (a block of `bytes` now owned by this record). */
  keepPacked(layout: string, ptr: number, bytes: number): void {
    (this.packed ??= new Map()).set(layout, { ptr, bytes });
    this.storage.bytesPacked += bytes;
  }

  /** Frees the block or drops the JS values; the record is dead afterwards. */
  release(): void {
    if (this.packed) {
      for (const { ptr, bytes } of this.packed.values()) {
        this.storage.release(ptr, bytes);
        this.storage.bytesPacked -= bytes;
      }
      this.packed = undefined;
    }
    if (this.block !== 0) this.storage.release(this.block, this.length * bytesPerElement(this.dtype));
    if (this.js) this.storage.bytesInJs -= this.js.byteLength;
    this.block = 0;
    this.js = undefined;
    this.length = 0;
  }

  /** Whether the values are (still) a JS array rather than a wasm block. */
  get inJs(): boolean {
    return this.js !== undefined;
  }

  /** Byte offset of the values in wasm memory; moves JS-resident values there first (allocates). */
  get ptr(): number {
    const js = this.js;
    if (js !== undefined) {
      this.js = undefined;
      this.storage.bytesInJs -= js.byteLength;
      this.allocate(js.length);
      this.view()!.set(js);
    }
    return this.block;
  }

  /**
   * The values, live: the JS array, or a view of the block (valid until the next allocation).
   * Writes change the tensor.
   */
  view(): NumericArray | undefined {
    if (this.js) return this.js;
    switch (this.dtype) {
      case 'float32':
        return this.storage.f32(this.block, this.length);
      case 'int32':
        return this.storage.i32(this.block, this.length);
      case 'bool':
        return this.storage.u8(this.block, this.length);
      default:
        return undefined;
    }
  }

  /**
   * The values as tfjs-backend-cpu's kernels read them: the JS array itself (its Sum writes into
   * the zeros it created), or a copy of a wasm block. A copy, because those kernels keep what they
   * read across allocations and past disposing the tensor (their FFT returns the values of a
   * tensor it has just disposed): a view would show a recycled block, or a detached buffer after a
   * plain memory grew.
   */
  get values(): backend_util.BackendValues | undefined {
    if (this.strings) return this.strings;
    if (this.js) return this.js;
    const v = this.view();
    return v && copyOf(v);
  }

  /** Replaces the values; numeric ones are kept in JS (by reference) until a wasm kernel needs them. */
  set values(v: backend_util.BackendValues | undefined) {
    if (v === undefined) return;
    if (this.dtype === 'string' || (Array.isArray(v) && !ArrayBuffer.isView(v))) {
      this.strings = v as Uint8Array[];
      return;
    }
    this.release();
    if (!inWasm(this.dtype)) return;
    const js = ownType(v as NumericArray, this.dtype);
    this.length = js.length;
    if (js.length === 0) return;
    this.js = js;
    this.storage.bytesInJs += js.byteLength;
  }
}
