import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';

/** Words of a {@link Scratch}'s argument struct (the largest step struct of the recurrent kernels). */
const STRUCT_WORDS = 64;

/**
 * Temporary wasm blocks and tensors of one kernel call, released together (in a `finally`).
 * Also owns an i32 argument struct in a block of its own: the backend's attribute scratch block
 * is rewritten by every nested kernel, so a struct that must outlive nested calls lives here.
 */
export class Scratch {
  private readonly blocks: Array<[number, number]> = [];
  private readonly tensors: TensorInfo[] = [];
  private structPtr = 0;

  constructor(private readonly backend: LanesBackend) {}

  /** An uninitialised block of at least `bytes` bytes (16-byte aligned). */
  alloc(bytes: number): number {
    const size = Math.max(16, bytes);
    const ptr = this.backend.storage.alloc(size);
    this.blocks.push([ptr, size]);
    return ptr;
  }

  /** A block holding `values` as float32. */
  floats(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length * 4);
    this.backend.storage.f32(ptr, values.length).set(values);
    return ptr;
  }

  /** A zero-filled block of `n` floats. */
  zeros(n: number): number {
    const ptr = this.alloc(n * 4);
    this.backend.storage.f32(ptr, Math.max(4, n)).fill(0);
    return ptr;
  }

  /** A block holding i32 words. */
  words(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length * 4);
    this.backend.storage.i32(ptr, values.length).set(values);
    return ptr;
  }

  /** Registers a tensor record (one a nested kernel made) to dispose with the rest. */
  tensor(t: TensorInfo): TensorInfo {
    this.tensors.push(t);
    return t;
  }

  /** Rewrites this scratch's argument struct with `words` and returns its offset. */
  struct(words: ArrayLike<number>): number {
    if (words.length > STRUCT_WORDS) throw new Error(`Lanes: ${words.length} struct words exceed ${STRUCT_WORDS}`);
    if (this.structPtr === 0) this.structPtr = this.alloc(STRUCT_WORDS * 4);
    this.backend.storage.i32(this.structPtr, words.length).set(words);
    return this.structPtr;
  }

  /** Frees every block and disposes every registered tensor. */
  release(): void {
    for (const [ptr, size] of this.blocks) this.backend.storage.release(ptr, size);
    for (const t of this.tensors) this.backend.disposeIntermediateTensorInfo(t);
    this.blocks.length = 0;
    this.tensors.length = 0;
    this.structPtr = 0;
  }
}
