// Layout of the control block: a small SharedArrayBuffer (separate from the wasm memory) through
// which the calling thread publishes a job and every thread claims chunks of it. Plain numbers
// so that the worker's source (a string, see worker_source.ts) can be generated from them.

/** Job generation, a seqlock: odd while the caller writes a job, even once it is published. */
export const GEN = 0;
/** Index of the kernel in the name list every worker received at start. */
export const KERNEL = 1;
/** Number of f64 arguments before (begin, end). */
export const NARGS = 2;
/** Chunks in the job. */
export const NCHUNKS = 3;
/** Items per chunk (the last chunk may be shorter). */
export const CHUNK = 4;
/** Items in the job: chunk c covers [c·CHUNK, min(TOTAL, (c+1)·CHUNK)). */
export const TOTAL = 5;
/** Next chunk to try (a hint: claims are decided by CAS on the chunk's state word). */
export const NEXT = 6;
/** Chunks completed in the current job; the caller waits for it to reach NCHUNKS. */
export const DONE = 7;
/** Set when a kernel threw in a worker during the current job. */
export const ERROR = 8;
/** Per-worker word: 1 = takes part in jobs, 0 = idle, -1 = quit. */
export const ENABLE = 16;
/** Workers a pool can hold. */
export const MAX_WORKERS = 48;
/** Per-chunk state words: token(job, owner). */
export const STATE = ENABLE + MAX_WORKERS;
/** Largest number of chunks in one job. */
export const MAX_CHUNKS = 256;
/** Per-thread count of chunks run (workers at 1 + index, the caller at 0): diagnostics. */
export const RAN = STATE + MAX_CHUNKS;
/** Byte offset of the Float64 argument array. */
export const ARGS_BYTE = Math.ceil((RAN + MAX_WORKERS + 1) / 2) * 8; // 8-aligned for Float64Array
/** Largest number of kernel arguments before (begin, end). */
export const MAX_ARGS = 32;
/** Size of the control block in bytes. */
export const CONTROL_BYTES = ARGS_BYTE + MAX_ARGS * 8;

/** Owner code of a free chunk. */
export const FREE = 0;
/** Owner code of a chunk the calling thread holds (workers hold 1 + their index). */
export const CALLER = 254;
/** Owner code of a completed chunk. */
export const FINISHED = 255;

/** A chunk state word: the job's generation in the high bits, so stale claims never match. */
export function token(gen: number, owner: number): number {
  return (((gen >>> 1) & 0x7fffff) << 8) | owner;
}
