// Tensor buffers as blocks of one WebAssembly.Memory. Blocks are 16-byte aligned and recycled by
// size class (four classes per octave, so at most 25 % slack), which keeps a training loop whose
// shapes change from step to step at a steady footprint instead of growing the memory forever.

const PAGE = 65536;
const ALIGN = 16;

/** Thrown when an allocation does not fit in the wasm memory even after growing it to its maximum. */
export class LanesOutOfMemoryError extends Error {
  constructor(bytes: number, maxBytes: number) {
    super(
      `Lanes backend: cannot allocate ${bytes} bytes (${(bytes / 2 ** 20).toFixed(1)} MiB): ` +
        `the WebAssembly memory is limited to ${(maxBytes / 2 ** 20).toFixed(0)} MiB. ` +
        'Dispose unused tensors (tf.tidy / tensor.dispose()) or use smaller batches.',
    );
    this.name = 'LanesOutOfMemoryError';
  }
}

/** The size class a request of `bytes` is served from. */
export function sizeClass(bytes: number): number {
  if (bytes <= 64) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const quarter = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / quarter) * quarter;
}

export class Storage {
  private top: number;
  private readonly free = new Map<number, number[]>();
  private buffer: ArrayBufferLike;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;
  /** Bytes in live blocks (by size class). */
  bytesInUse = 0;
  /** Bytes of tensor values still held in JS arrays (not yet needed by a wasm kernel). */
  bytesInJs = 0;
  /** Bytes of the packed copies tensors keep (part of bytesInUse). */
  bytesPacked = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    heapBase: number,
    readonly maxPages: number,
  ) {
    this.top = Math.ceil(heapBase / ALIGN) * ALIGN;
    this.buffer = memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  /** Set when the backend is disposed: its memory may serve a new backend, so no more blocks from here. */
  closed = false;

  /** Allocates a 16-byte aligned block of at least `bytes` bytes. */
  alloc(bytes: number): number {
    if (this.closed)
      throw new Error(
        "Lanes: this backend was disposed; use the current one (tf.backend()) after tf.setBackend('lanes')",
      );
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let ptr = list?.pop();
    if (ptr === undefined) {
      ptr = this.top;
      const end = ptr + size;
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        const maxBytes = this.maxPages * PAGE;
        if (end > maxBytes) throw new LanesOutOfMemoryError(bytes, maxBytes);
        // Grow geometrically so that a growing workload triggers few view rebuilds.
        const want = Math.min(this.maxPages, Math.max(Math.ceil(end / PAGE), Math.ceil((have / PAGE) * 1.5)));
        try {
          this.memory.grow(want - have / PAGE);
        } catch {
          throw new LanesOutOfMemoryError(bytes, have);
        }
      }
      this.top = end;
    }
    this.bytesInUse += size;
    return ptr;
  }

  /** Stops allocating (see `closed`). */
  close(): void {
    this.closed = true;
  }

  /** Returns a block to its size class. */
  release(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(ptr);
    this.bytesInUse -= size;
  }

  /** Bytes of the memory in use by the heap so far (live plus recyclable blocks). */
  get heapBytes(): number {
    return this.top;
  }

  private refresh(): void {
    // A grown memory has a new buffer (plain) or a longer one (shared): rebuild every view.
    if (this.buffer !== this.memory.buffer || this.u8View.byteLength !== this.memory.buffer.byteLength) {
      this.buffer = this.memory.buffer;
      this.f32View = new Float32Array(this.buffer);
      this.i32View = new Int32Array(this.buffer);
      this.u8View = new Uint8Array(this.buffer);
    }
  }

  f32(ptr: number, length: number): Float32Array {
    this.refresh();
    return this.f32View.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  i32(ptr: number, length: number): Int32Array {
    this.refresh();
    return this.i32View.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  u8(ptr: number, length: number): Uint8Array {
    this.refresh();
    return this.u8View.subarray(ptr, ptr + length);
  }
}
