// Out of memory: a tensor larger than the wasm memory can ever hold (2 GiB) fails with
// LanesOutOfMemoryError naming the size, through ordinary tfjs ops; nothing leaks, and the
// backend computes right afterwards.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index.js';
import { LanesOutOfMemoryError } from '../src/index.js';
import type { LanesBackend } from '../src/backend.js';
import { floats } from './prop_harness.js';

/** Values of a small, fixed computation (conv + matmul + softmax) on the current backend. */
function probe(): number[] {
  return tf.tidy(() => {
    const x = tf.tensor(floats(2 * 6 * 6 * 3, 1), [2, 6, 6, 3]) as tf.Tensor4D;
    const f = tf.tensor(floats(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]) as tf.Tensor4D;
    const h = tf.reshape(tf.conv2d(x, f, 1, 'same'), [2, 6 * 6 * 4]);
    return Array.from(
      tf.softmax(tf.matMul(h, tf.tensor(floats(6 * 6 * 4 * 5, 3, -0.1, 0.1), [6 * 6 * 4, 5]))).dataSync(),
    );
  });
}

describe("out of memory on 'lanes'", () => {
  let backend: LanesBackend;
  let want: number[];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    want = probe();
    await tf.setBackend('lanes');
    backend = tf.backend() as LanesBackend;
  });

  const cases: Array<[string, () => tf.Tensor, number]> = [
    // 2^29 + 2^28 floats = 3 GiB.
    ['tf.fill of 3 GiB', () => tf.fill([3, 1 << 28], 1.5), 3 * 2 ** 30],
    // [40 000, 1] × [1, 40 000] → 6.4 GB output.
    ['a matmul with a 6.4 GB output', () => tf.matMul(tf.ones([40000, 1]), tf.ones([1, 40000])), 40000 * 40000 * 4],
    // The inputs fit; the conv's output does not: [64, 512, 512, 64] floats = 4 GiB.
    [
      'a conv2d with a 4 GiB output',
      () => tf.conv2d(tf.ones([64, 512, 512, 1]) as tf.Tensor4D, tf.ones([1, 1, 1, 64]) as tf.Tensor4D, 1, 'same'),
      64 * 512 * 512 * 64 * 4,
    ],
  ];

  for (const [what, run, bytes] of cases)
    it(`${what}: LanesOutOfMemoryError naming the size; no leak; the backend still computes right`, () => {
      const tensors = tf.memory().numTensors,
        inUse = backend.memory().numBytesInWasm;
      let error: unknown;
      try {
        tf.tidy(run);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LanesOutOfMemoryError);
      const message = (error as Error).message;
      expect(message).toContain(`cannot allocate ${bytes} bytes`);
      expect(message).toMatch(/MiB.*limited to 2048 MiB/);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.memory().numBytesInWasm).toBe(inUse);
      // Same numbers as cpu afterwards, and the wasm memory did not grow for the failed request.
      const wasm = backend.memory().wasmMemoryBytes;
      const got = probe();
      expect(got).toHaveLength(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
      expect(backend.memory().wasmMemoryBytes).toBeLessThan(2 ** 30);
      expect(backend.memory().wasmMemoryBytes).toBeLessThanOrEqual(Math.max(wasm, 64 << 20));
      expect(backend.memory().numBytesInWasm).toBe(inUse);
    });
});
