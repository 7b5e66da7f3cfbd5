import {
  backend_util,
  buffer,
  DataStorage,
  engine,
  KernelBackend,
  util,
  type BackendTimingInfo,
  type DataId,
  type DataType,
  type Rank,
  type Tensor,
  type TensorBuffer,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { loadKernels, type BuildName, type KernelExports, type KernelName } from '@lanes/kernels-wasm';
import { Storage } from './storage.js';
import { TensorData, copyOf, inWasm } from './tensor_data.js';
import { ThreadPool, type PoolOptions } from './threads/pool.js';
import { availableCores } from './threads/platform.js';

/** Largest memory the kernels are compiled for: 2 GiB, so that every byte offset is a positive i32. */
export const MAX_PAGES = 32768;

/** Bytes of packed filter copies kept with their tensors at most (see LanesBackend.packedCopy). */
const PACKED_COPY_BYTES = 256 << 20;
const INITIAL_PAGES = 256;
const SCRATCH_BYTES = 4096;

/** What the running backend chose at start-up. */
export interface BuildInfo {
  /** Instruction set of the kernel module in use. */
  build: BuildName;
  /** Threads that run kernels: the calling thread plus the workers. */
  threads: number;
  /** Whether the wasm memory is shared (a SharedArrayBuffer), which threads require. */
  sharedMemory: boolean;
}

/** Options for {@link LanesBackend.create}. */
export interface LanesBackendOptions {
  /** Force a build (falls back when the runtime does not validate it). */
  build?: BuildName;
  /** Threads to use (default: available cores). 1 disables workers. */
  threads?: number;
  /**
   * `false` forces a plain (non-shared) memory, one thread: what a browser page without
   * cross-origin isolation gets. Default: shared wherever the runtime allows it.
   */
  sharedMemory?: boolean;
  /** Worker pool tuning and fault injection (tests). */
  pool?: PoolOptions;
}

/** Whether this runtime can create a shared wasm memory (threads need one). */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  // Browsers expose SharedArrayBuffer only to cross-origin isolated pages; Node always.
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  return g.process?.versions?.node !== undefined || g.crossOriginIsolated === true;
}

/**
 * A disposed backend's memory, kernel instance and workers, kept for the next {@link LanesBackend.create}
 * with the same options. tfjs disposes and recreates backends on every `engine().reset()` (its own
 * test suite does so for each of ~400 describes); starting workers costs ~100 ms each, reusing them nothing.
 */
interface Parked {
  memory: WebAssembly.Memory;
  build: BuildName;
  requestedBuild: BuildName | undefined;
  exports: KernelExports;
  pool: ThreadPool;
}
let parked: Parked | undefined;
/** Larger memories are released on dispose rather than parked. */
const PARK_MAX_BYTES = 64 << 20;

/**
 * The 'lanes' TensorFlow.js backend: tensors live in one WebAssembly memory and kernels are
 * AssemblyScript SIMD functions over pointers into it.
 */
export class LanesBackend extends KernelBackend {
  /** Storage records by data id; the same record shape tfjs-backend-cpu kernels read. */
  readonly data: DataStorage<TensorData>;
  /** Block size tfjs-backend-cpu's shared BatchMatMul uses when it runs here. */
  readonly blockSize = 48;
  private readonly scratch: number;

  private constructor(
    readonly wasm: KernelExports,
    readonly storage: Storage,
    readonly build: BuildName,
    readonly pool: ThreadPool,
    private readonly options: LanesBackendOptions,
  ) {
    super();
    this.data = new DataStorage(this, engine());
    this.scratch = storage.alloc(SCRATCH_BYTES);
  }

  /** Creates a backend: memory, kernel module (fastest validated build) and worker pool. */
  static async create(options: LanesBackendOptions = {}): Promise<LanesBackend> {
    const shared = options.sharedMemory !== false && canShareMemory();
    const p = parked;
    if (p && p.pool.shared === shared && p.requestedBuild === options.build && options.pool === undefined) {
      parked = undefined;
      // The memory's old contents are garbage now: a fresh allocator starts over at the heap base.
      await p.pool.setThreads(shared ? (options.threads ?? (await availableCores())) : 1);
      return new LanesBackend(
        p.exports,
        new Storage(p.memory, p.exports.heap_base(), MAX_PAGES),
        p.build,
        p.pool,
        options,
      );
    }
    const memory = new WebAssembly.Memory({
      initial: INITIAL_PAGES,
      maximum: MAX_PAGES,
      shared,
    } as WebAssembly.MemoryDescriptor);
    const { build, module, exports } = await loadKernels(memory, options.build);
    const storage = new Storage(memory, exports.heap_base(), MAX_PAGES);
    const pool = await ThreadPool.create(module, memory, exports, shared ? options.threads : 1, options.pool);
    return new LanesBackend(exports, storage, build, pool, options);
  }

  /** Build, thread count and memory kind in use. */
  buildInfo(): BuildInfo {
    return { build: this.build, threads: this.pool.threads, sharedMemory: this.pool.shared };
  }

  // ---- storage -------------------------------------------------------------------------------

  private newEntry(
    values: backend_util.BackendValues | undefined,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): TensorData {
    const entry = new TensorData(this.storage, dtype, refCount);
    if (dtype === 'string') {
      entry.strings = (values as Uint8Array[] | undefined) ?? [];
    } else if (inWasm(dtype)) {
      if (values !== undefined) entry.values = values;
      else entry.allocate(util.sizeFromShape(shape));
    }
    return entry;
  }

  override write(values: backend_util.BackendValues | null, shape: number[], dtype: DataType): DataId {
    const dataId = {};
    this.data.set(dataId, this.newEntry(values ?? undefined, shape, dtype, 1));
    return dataId;
  }

  /** Creates a tensor record (refCount 1) from values, or uninitialised when values is omitted. */
  makeTensorInfo(shape: number[], dtype: DataType, values?: backend_util.BackendValues | string[]): TensorInfo {
    let vals = values;
    if (dtype === 'string' && values != null && values.length > 0 && util.isString(values[0])) {
      vals = (values as string[]).map((s) => util.encodeString(s));
    }
    const dataId = this.write((vals as backend_util.BackendValues | undefined) ?? null, shape, dtype);
    return { dataId, shape, dtype };
  }

  /** Creates a tensor from values (used by tfjs-backend-cpu's kernels when they run here). */
  makeOutput<T extends Tensor>(values: backend_util.BackendValues, shape: number[], dtype: DataType): T {
    return engine().makeTensorFromTensorInfo(this.makeTensorInfo(shape, dtype, values), this) as T;
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    this.data.set(dataId, this.newEntry(values, shape, dtype, refCount));
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? this.data.get(dataId)!.refCount : 0;
  }

  override incRef(dataId: DataId): void {
    this.data.get(dataId)!.refCount++;
  }

  decRef(dataId: DataId): void {
    if (this.data.has(dataId)) this.data.get(dataId)!.refCount--;
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const entry = this.data.get(dataId)!;
    entry.refCount--;
    if (!force && entry.refCount > 0) return false;
    if (entry.complexTensorInfos) {
      this.disposeData(entry.complexTensorInfos.real.dataId, true);
      this.disposeData(entry.complexTensorInfos.imag.dataId, true);
    }
    entry.release();
    this.data.delete(dataId);
    return true;
  }

  /** Disposes a tensor record a kernel created for its own use. */
  disposeIntermediateTensorInfo(info: TensorInfo): void {
    this.disposeData(info.dataId);
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const entry = this.data.get(dataId)!;
    if (entry.dtype === 'complex64') {
      const real = this.readSync(entry.complexTensorInfos!.real.dataId) as Float32Array;
      const imag = this.readSync(entry.complexTensorInfos!.imag.dataId) as Float32Array;
      return backend_util.mergeRealAndImagArrays(real, imag);
    }
    // A copy, as callers keep it while the memory grows or the block is recycled, and may write to it.
    if (entry.strings) return entry.strings;
    return copyOf(entry.view()!);
  }

  /** A TensorBuffer copy of a tensor's values (strings decoded). */
  bufferSync<R extends Rank, D extends DataType>(t: TensorInfo): TensorBuffer<R, D> {
    const data = this.readSync(t.dataId);
    if (t.dtype === 'string') {
      const strings = (data as Uint8Array[]).map((d) => util.decodeString(d));
      return buffer(t.shape as number[], t.dtype, strings) as unknown as TensorBuffer<R, D>;
    }
    return buffer(t.shape as number[], t.dtype, data as backend_util.TypedArray) as unknown as TensorBuffer<R, D>;
  }

  // ---- kernel helpers ------------------------------------------------------------------------

  /** An uninitialised output tensor record in wasm memory. */
  makeOutputInfo(shape: number[], dtype: DataType): TensorInfo {
    // A geometry tfjs-core did not validate (e.g. a numeric conv pad with a non-square filter gives a
    // negative width): fail here, as tfjs-backend-cpu does, rather than hand out a broken tensor.
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`Lanes: invalid output shape [${shape}]`);
    return { dataId: this.write(null, shape, dtype), shape, dtype };
  }

  /** Byte offset of a tensor's block. */
  ptr(t: TensorInfo): number {
    const entry = this.data.get(t.dataId)!;
    // A kernel would read these bytes as t.dtype: fail loudly rather than compute on reinterpreted bits.
    if (entry.dtype !== t.dtype)
      throw new Error(`Lanes: a ${t.dtype} tensor over a ${entry.dtype} block reached a wasm kernel`);
    return entry.ptr;
  }

  /** A view of a float32 tensor's values (rebuild after any allocation). */
  f32(t: TensorInfo): Float32Array {
    const e = this.data.get(t.dataId)!;
    return this.storage.f32(e.ptr, e.length);
  }

  /**
   * Tensor `t`'s values in a kernel's packed layout (`layout` names it and its sizes): packed by
   * `pack(dst)` into a block of `bytes` on first use and kept with the tensor until it is
   * disposed, so a model's filters are packed once, not on every call (as XNNPACK and ONNX
   * Runtime pack weights once). Past 256 MiB of kept copies, the copy is made in
   * `scratch`, for this call only.
   */
  packedCopy(
    t: TensorInfo,
    layout: string,
    bytes: number,
    pack: (dst: number) => void,
    scratch: { alloc(bytes: number): number },
  ): number {
    const entry = this.data.get(t.dataId)!;
    const kept = entry.packedCopy(layout);
    if (kept !== 0) return kept;
    if (this.storage.bytesPacked + bytes > PACKED_COPY_BYTES) {
      const dst = scratch.alloc(bytes);
      pack(dst);
      return dst;
    }
    const dst = this.storage.alloc(bytes);
    try {
      pack(dst);
    } catch (e) {
      this.storage.release(dst, bytes);
      throw e;
    }
    entry.keepPacked(layout, dst, bytes);
    return dst;
  }

  /** Writes small i32 attributes into the scratch block and returns its offset. */
  attrs(values: ArrayLike<number>): number {
    if (values.length * 4 > SCRATCH_BYTES)
      throw new Error(`Lanes: ${values.length} attribute words exceed the scratch block`);
    this.storage.i32(this.scratch, values.length).set(values);
    return this.scratch;
  }

  /**
   * Runs kernel `name` over [0, total) split across threads; `args` precede (begin, end).
   * `costPerItem` (≈ flops or bytes per item) decides whether splitting pays; chunk boundaries
   * are multiples of `align` (default: the SIMD width; e.g. a register tile's rows).
   */
  parallel(name: KernelName, args: number[], total: number, costPerItem = 1, align = 4): void {
    this.pool.run(name, args, total, costPerItem, align);
  }

  /** Uses `n` threads from now on; resolves with the count reached once new workers are up. */
  setThreads(n: number): Promise<number> {
    return this.pool.setThreads(n);
  }

  // ---- misc ------------------------------------------------------------------------------------

  override async time(f: () => void): Promise<BackendTimingInfo> {
    const start = util.now();
    f();
    return { kernelMs: util.now() - start };
  }

  /**
   * Memory the backend holds: `numBytesInWasm` in live wasm blocks (by size class; the packed
   * filter copies of {@link LanesBackend.packedCopy} included), `numBytesInJs`
   * in values still in JS arrays (see TensorData), `wasmMemoryBytes` the whole wasm memory.
   */
  override memory(): { unreliable: boolean; numBytesInWasm: number; numBytesInJs: number; wasmMemoryBytes: number } {
    return {
      unreliable: false,
      numBytesInWasm: this.storage.bytesInUse,
      numBytesInJs: this.storage.bytesInJs,
      wasmMemoryBytes: this.storage.memory.buffer.byteLength,
    };
  }

  override floatPrecision(): 16 | 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  /**
   * Releases the backend. A small memory with its kernels and workers is parked for the next
   * create() with the same options (see Parked); any use of this instance afterwards throws.
   */
  override dispose(): void {
    if (this.storage.closed) return;
    this.storage.close();
    const parkable = this.options.pool === undefined && this.storage.memory.buffer.byteLength <= PARK_MAX_BYTES;
    if (!parkable) {
      this.pool.terminate();
      return;
    }
    parked?.pool.terminate();
    parked = {
      memory: this.storage.memory,
      build: this.build,
      requestedBuild: this.options.build,
      exports: this.wasm,
      pool: this.pool,
    };
  }
}
