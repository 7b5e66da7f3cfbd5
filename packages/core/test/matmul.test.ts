import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanes, maxRelError, randomFloats } from './helpers.js';

/** Plain triple loop: the reference the SIMD GEMM is held to. */
function refMatMul(a: Float32Array, b: Float32Array, M: number, K: number, N: number, ta: boolean, tb: boolean): Float32Array {
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (ta ? a[k * M + i] : a[i * K + k]) * (tb ? b[j * K + k] : b[k * N + j]);
      out[i * N + j] = s;
    }
  return out;
}

describe('MatMul (4x8 SIMD tile)', () => {
  beforeAll(lanes);
  // Every remainder of the 4-row and 8-column tile, and of the 4-lane vector, plus 0 and 1.
  const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 33];
  for (const ta of [false, true])
    for (const tb of [false, true])
      it(`matches the reference for all tile remainders (transposeA=${ta}, transposeB=${tb})`, () => {
        for (const M of sizes) for (const N of sizes) for (const K of [0, 1, 3, 8, 13]) {
          const a = randomFloats(M * K, M * 31 + K), b = randomFloats(K * N, N * 17 + K + 5);
          const ta2 = tf.tensor2d(a, ta ? [K, M] : [M, K]);
          const tb2 = tf.tensor2d(b, tb ? [N, K] : [K, N]);
          const got = tf.matMul(ta2, tb2, ta, tb).dataSync() as Float32Array;
          // float32 accumulation over K <= 13 terms of magnitude <= 1
          expect(maxRelError(got, refMatMul(a, b, M, K, N, ta, tb))).toBeLessThan(1e-5);
          tf.dispose([ta2, tb2]);
        }
      });
});
