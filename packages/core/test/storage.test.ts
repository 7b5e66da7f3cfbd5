import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { engine } from '@tensorflow/tfjs-core';
import { lanes, randomFloats } from './helpers.js';
import { LanesBackend } from '../src/backend.js';
import { runCpu } from '../src/kernels/shared/cpu_fallback.js';
import { registerLanesKernels } from '../src/kernels/registry.js';
import { Storage, sizeClass } from '../src/storage.js';

// The storage contract tfjs-backend-cpu's kernels rely on when they run on 'lanes', and the
// mechanisms the tfjs-core conformance suite exposed: casts, values read as copies, JS-resident
// values, memory accounting, plain (non-shared) memory growth.

describe('Cast', () => {
  beforeAll(lanes);

  it('converts between float32, int32 and bool as tfjs-backend-cpu does', () => {
    const f = tf.tensor1d([1.7, -1.7, 0, -0, NaN, Infinity, -Infinity, 3e9, 0.25]);
    // Int32Array.from semantics: truncation, NaN and ±Inf to 0, wrap modulo 2^32.
    expect(Array.from(tf.cast(f, 'int32').dataSync())).toEqual([1, -1, 0, 0, 0, 0, 0, 3e9 - 2 ** 32, 0]);
    // x != 0: NaN is true.
    expect(Array.from(tf.cast(f, 'bool').dataSync())).toEqual([1, 1, 0, 0, 1, 1, 1, 1, 1]);
    const i = tf.tensor1d([5, -3, 0, 16777217], 'int32');
    expect(Array.from(tf.cast(i, 'float32').dataSync())).toEqual([5, -3, 0, 16777216]);
    expect(Array.from(tf.cast(i, 'bool').dataSync())).toEqual([1, 1, 0, 1]);
    const b = tf.tensor1d([true, false, true], 'bool');
    expect(Array.from(tf.cast(b, 'int32').dataSync())).toEqual([1, 0, 1]);
    expect(Array.from(tf.cast(b, 'float32').dataSync())).toEqual([1, 0, 1]);
  });

  it('gives a float32 tensor float32 bytes, so wasm kernels compute on it (int32 + float32 upcast)', () => {
    const sum = tf.add(tf.tensor1d([1, 2, 3, 4, 5], 'int32'), tf.tensor1d([0.5, 0.5, 0.5, 0.5, 0.5]));
    expect(sum.dtype).toBe('float32');
    expect(Array.from(sum.dataSync())).toEqual([1.5, 2.5, 3.5, 4.5, 5.5]);
    const fromBool = tf.mul(tf.cast(tf.tensor1d([true, false, true, true, false], 'bool'), 'float32'), 2);
    expect(Array.from(fromBool.dataSync())).toEqual([2, 0, 2, 2, 0]);
  });

  it("converts a float32 tensor that shares an int32 block (tfjs-backend-cpu's lossless cast) before a wasm kernel reads it", async () => {
    const backend = await lanes();
    const ints = tf.tensor1d([1, 2, 3, 4, 5, 6], 'int32');
    // tfjs-backend-cpu's own Cast shares the int32 block under a float32 dtype.
    const shared = runCpu('Cast', { x: ints }, { dtype: 'float32' }, backend);
    expect(backend.data.get(shared.dataId)!.dtype).toBe('int32');
    expect(() => backend.ptr(shared)).toThrow(/float32 tensor over a int32 block/);
    const asTensor = engine().makeTensorFromTensorInfo(shared);
    expect(Array.from(tf.square(asTensor).dataSync())).toEqual([1, 4, 9, 16, 25, 36]);
    expect(Array.from(tf.add(asTensor, asTensor).dataSync())).toEqual([2, 4, 6, 8, 10, 12]);
    expect(Array.from(tf.sum(asTensor).dataSync())).toEqual([21]);
  });
});

describe('tensor storage', () => {
  let backend: LanesBackend;
  beforeAll(async () => {
    backend = await lanes();
  });

  it('keeps values written from JS in JS until a wasm kernel needs them, and accounts for both', () => {
    const before = backend.memory();
    const x = tf.tensor1d(randomFloats(1000, 3));
    const record = backend.data.get(x.dataId)!;
    expect(record.inJs).toBe(true);
    expect(backend.memory().numBytesInJs - before.numBytesInJs).toBe(4000);
    const y = tf.relu(x); // a wasm kernel: x moves into wasm memory
    expect(record.inJs).toBe(false);
    expect(backend.memory().numBytesInJs).toBe(before.numBytesInJs);
    expect(backend.memory().numBytesInWasm - before.numBytesInWasm).toBe(2 * sizeClass(4000));
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync(), (v) => Math.max(0, v)));
    tf.dispose([x, y]);
    expect(backend.memory().numBytesInWasm).toBe(before.numBytesInWasm);
    expect(backend.memory().numBytesInJs).toBe(before.numBytesInJs);
  });

  it('hands tfjs-backend-cpu kernels copies of wasm blocks, which outlive disposal and block reuse', () => {
    const y = tf.relu(tf.tensor1d([1, 2, 3, 4, 5, 6, 7]));
    const read = backend.data.get(y.dataId)!.values as Float32Array;
    y.dispose();
    // The freed block is recycled for a tensor of the same size class.
    const z = tf.neg(tf.tensor1d([9, 9, 9, 9, 9, 9, 9]));
    expect(Array.from(z.dataSync())).toEqual([-9, -9, -9, -9, -9, -9, -9]);
    expect(Array.from(read)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('dataSync returns a copy: writing to it does not change the tensor', () => {
    const y = tf.relu(tf.tensor1d([1, 2, 3]));
    (y.dataSync() as Float32Array)[0] = 100;
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
  });

  it('shares one block between reshapes and frees it with the last reference', () => {
    const before = backend.numDataIds();
    const x = tf.relu(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const r = x.reshape([4]);
    expect(r.dataId).toBe(x.dataId);
    expect(backend.refCount(x.dataId)).toBe(2);
    x.dispose();
    expect(backend.refCount(r.dataId)).toBe(1);
    expect(Array.from(r.dataSync())).toEqual([1, 2, 3, 4]);
    r.dispose();
    expect(backend.refCount(r.dataId)).toBe(0);
    // What remains is the relu's input, still alive.
    expect(backend.numDataIds()).toBe(before + 1);
  });

  it('runs a float32, int32, bool, string and complex64 tensor through read, readSync and dispose', async () => {
    const before = backend.numDataIds();
    const ts = [
      tf.tensor1d([1.5, 2.5]),
      tf.tensor1d([1, 2], 'int32'),
      tf.tensor1d([true, false], 'bool'),
      tf.tensor1d(['a', 'bc']),
      tf.complex([1, 2], [3, 4]),
    ];
    expect(Array.from(await ts[0]!.data())).toEqual([1.5, 2.5]);
    expect(Array.from(ts[1]!.dataSync())).toEqual([1, 2]);
    expect(Array.from(ts[2]!.dataSync())).toEqual([1, 0]);
    expect(ts[3]!.dataSync()).toEqual(['a', 'bc']);
    expect(Array.from(await ts[4]!.data())).toEqual([1, 3, 2, 4]);
    tf.dispose(ts);
    expect(backend.numDataIds()).toBe(before);
  });
});

describe('Storage', () => {
  it('recycles freed blocks, so a loop with changing sizes reaches a steady footprint', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
    const storage = new Storage(memory, 1024, 1024);
    const sizes = [100, 4000, 64, 70000, 1, 333, 4096, 12345];
    let top = 0;
    for (let step = 0; step < 50; step++) {
      const live = sizes.map((s) => [storage.alloc(s + (step % 3)), s + (step % 3)] as const);
      for (const [ptr] of live) expect(ptr % 16).toBe(0);
      for (const [ptr, bytes] of live) storage.release(ptr, bytes);
      if (step === 5) top = storage.heapBytes;
      if (step > 5) expect(storage.heapBytes).toBe(top);
    }
    expect(storage.bytesInUse).toBe(0);
  });

  it('rebuilds its views after the memory grows', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 64 });
    const storage = new Storage(memory, 0, 64);
    const a = storage.alloc(16);
    storage.f32(a, 4).set([1, 2, 3, 4]);
    const big = storage.alloc(200_000); // grows a plain memory: the old buffer is detached
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 200_000);
    expect(Array.from(storage.f32(a, 4))).toEqual([1, 2, 3, 4]);
  });
});

describe("'lanes' on a plain (non-shared) memory", () => {
  it('computes right while the memory grows under tfjs-backend-cpu kernels and wasm kernels', async () => {
    tf.registerBackend('lanes-plain', () => LanesBackend.create({ sharedMemory: false }));
    registerLanesKernels('lanes-plain');
    await tf.setBackend('lanes-plain');
    const backend = tf.backend() as LanesBackend;
    expect(backend.buildInfo().sharedMemory).toBe(false);
    const start = backend.memory().wasmMemoryBytes;
    const x = tf.relu(tf.tensor1d([3, 1, 2, 5, 4]));
    const read = backend.data.get(x.dataId)!.values as Float32Array;
    // Grow the memory several times over (a plain memory detaches its old buffer each time).
    const big = tf.relu(tf.fill([8 << 20], 1));
    expect(backend.memory().wasmMemoryBytes).toBeGreaterThan(start);
    expect(Array.from(read)).toEqual([3, 1, 2, 5, 4]);
    // A fallback kernel (TopK) after growth, and a wasm kernel on its output.
    const { values, indices } = tf.topk(x, 3);
    expect(Array.from(tf.add(values, 1).dataSync())).toEqual([6, 5, 4]);
    expect(Array.from(indices.dataSync())).toEqual([3, 4, 0]);
    expect(tf.sum(big).dataSync()[0]).toBe(8 << 20);
    // An FFT: tfjs-backend-cpu's implementation reads values of tensors it has disposed.
    const spectrum = tf.spectral.fft(tf.complex([1, 2, 3, 4], [0, 0, 0, 0]));
    expect(Array.from(await spectrum.data())).toEqual([10, 0, -2, 2, -2, 0, -2, -2]);
    tf.dispose([x, big, values, indices, spectrum]);
    await tf.setBackend('lanes');
    tf.removeBackend('lanes-plain');
  });
});

describe('backend disposal', () => {
  it('parks a small memory with its workers for the next backend, and the disposed one refuses work', async () => {
    const first = await LanesBackend.create({ threads: 2 });
    const memory = first.storage.memory;
    const firstBlock = first.ptr(first.makeOutputInfo([4], 'float32'));
    first.dispose();
    const second = await LanesBackend.create({ threads: 2 });
    expect(second.storage.memory).toBe(memory);
    expect(second.buildInfo()).toEqual(first.buildInfo());
    expect(() => first.makeOutputInfo([4], 'float32')).toThrow(/disposed/);
    // The new backend's allocator starts over at the heap base.
    expect(second.ptr(second.makeOutputInfo([4], 'float32'))).toBe(firstBlock);
    second.dispose();
    // Other options get a memory of their own.
    const plain = await LanesBackend.create({ sharedMemory: false });
    expect(plain.storage.memory).not.toBe(memory);
    plain.dispose();
  });
});
