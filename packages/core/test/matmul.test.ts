// MatMul / BatchMatMul / _FusedMatMul against a plain float64 triple loop, in every build this
// runtime validates (the register tile differs: 6x8 relaxed SIMD, 5x8 SIMD, 4x8 scalar), at every
// remainder of the tile and of the K block, with batch broadcasting, fused epilogues, and the same
// bits on 1, 2 and 3 threads.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { BUILD_ORDER, GemmTile, supportsBuild } from '@lanes/kernels-wasm';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';
import { GEMM_KC, GEMV_MAX_ROWS } from '../src/kernels/shared/gemm.js';
import { maxRelError, randomFloats } from './helpers.js';

type Act = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'prelu' | 'elu' | 'sigmoid';

/** Plain triple loop in float64 with tfjs's batch broadcasting; then bias and activation. */
function refMatMul(
  a: Float32Array,
  b: Float32Array,
  M: number,
  K: number,
  N: number,
  ta: boolean,
  tb: boolean,
  batchA = 1,
  batchB = 1,
  epilogue?: {
    bias?: (i: number, j: number) => number;
    act?: Act;
    alpha?: number;
    prelu?: (i: number, j: number) => number;
  },
): Float32Array {
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * M * N);
  for (let n = 0; n < batch; n++) {
    const ao = (n % batchA) * M * K,
      bo = (n % batchB) * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ao + (ta ? k * M + i : i * K + k)] * b[bo + (tb ? j * K + k : k * N + j)];
        if (epilogue?.bias) s += epilogue.bias(i, j);
        switch (epilogue?.act ?? 'linear') {
          case 'relu':
            s = Math.max(s, 0);
            break;
          case 'relu6':
            s = Math.min(Math.max(s, 0), 6);
            break;
          case 'leakyrelu':
            s = s < 0 ? s * (epilogue!.alpha ?? 0.2) : s;
            break;
          case 'prelu':
            s = s < 0 ? s * epilogue!.prelu!(i, j) : s;
            break;
          case 'elu':
            s = s < 0 ? Math.exp(s) - 1 : s;
            break;
          case 'sigmoid':
            s = 1 / (1 + Math.exp(-s));
            break;
        }
        out[n * M * N + i * N + j] = s;
      }
  }
  return out;
}

/** Index of the first element whose bits differ, -1 when identical. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -2;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length),
    ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

for (const build of BUILD_ORDER.filter((b) => supportsBuild(b, true))) {
  describe(`MatMul, ${build} build`, () => {
    const name = `lanes-matmul-${build}`;
    let backend: LanesBackend;
    beforeAll(async () => {
      tf.registerBackend(name, () => LanesBackend.create({ build, threads: 1 }));
      registerLanesKernels(name);
      await tf.setBackend(name);
      backend = tf.backend() as LanesBackend;
      expect(backend.buildInfo().build).toBe(build);
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
      tf.removeBackend(name);
    });

    // Sizes derived from this build's tile, as XNNPACK's test generator derives them from each
    // kernel's: 0, every size up to one past a tile, then around two (and more) tiles, so every
    // remainder of the MR rows, of the NR columns and of the 4 lanes is met, alone and after full tiles.
    const tileSizes = (t: number): number[] =>
      [
        ...new Set([...Array.from({ length: t + 2 }, (_, i) => i), 2 * t - 1, 2 * t, 2 * t + 1, 3 * t - 1, 4 * t + 1]),
      ].sort((x, y) => x - y);
    for (const ta of [false, true])
      for (const tb of [false, true])
        it(`matches the reference at every tile remainder (transposeA=${ta}, transposeB=${tb})`, () => {
          const rowSizes = tileSizes(backend.wasm.gemm_mr()),
            colSizes = tileSizes(GemmTile.NR);
          expect(rowSizes).toContain(backend.wasm.gemm_mr() + 1);
          for (const M of rowSizes)
            for (const N of colSizes)
              for (const K of [0, 1, 3, 8, 13]) {
                const a = randomFloats(M * K, M * 31 + K + 1),
                  b = randomFloats(K * N, N * 17 + K + 5);
                const got = tf.tidy(
                  () =>
                    tf
                      .matMul(tf.tensor2d(a, ta ? [K, M] : [M, K]), tf.tensor2d(b, tb ? [N, K] : [K, N]), ta, tb)
                      .dataSync() as Float32Array,
                );
                // float32 accumulation over K <= 13 terms of magnitude <= 1
                expect(maxRelError(got, refMatMul(a, b, M, K, N, ta, tb)), `${M}x${K}x${N}`).toBeLessThan(1e-5);
              }
        });

    it('accumulates across K blocks (K around multiples of the GEMM_KC-deep block)', () => {
      for (const K of [GEMM_KC - 1, GEMM_KC, GEMM_KC + 1, 2 * GEMM_KC + 1, Math.floor(2.75 * GEMM_KC)])
        for (const [M, N] of [
          [7, 9],
          [13, 24],
          [1, 1],
        ]) {
          const a = randomFloats(M * K, K + M),
            b = randomFloats(K * N, K + N + 3);
          const got = tf.tidy(
            () => tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N])).dataSync() as Float32Array,
          );
          // float32 accumulation over up to 704 terms of magnitude <= 1: 1e-4 relative to max(1, |x|)
          expect(maxRelError(got, refMatMul(a, b, M, K, N, false, false)), `${M}x${K}x${N}`).toBeLessThan(1e-4);
        }
    });

    it('reads B in place for a few rows (long K and N, every transpose, fused bias and activation)', () => {
      const K = 1283,
        N = 1037;
      for (const M of [1, GEMV_MAX_ROWS, GEMV_MAX_ROWS + 1])
        for (const ta of [false, true])
          for (const tb of [false, true]) {
            const a = randomFloats(M * K, M + 50),
              b = randomFloats(K * N, M + 60),
              bias = randomFloats(N, M + 70);
            const got = tf.tidy(
              () =>
                tf.fused
                  .matMul({
                    a: tf.tensor2d(a, ta ? [K, M] : [M, K]),
                    b: tf.tensor2d(b, tb ? [N, K] : [K, N]),
                    transposeA: ta,
                    transposeB: tb,
                    bias: tf.tensor1d(bias),
                    activation: 'relu',
                  })
                  .dataSync() as Float32Array,
            );
            const want = refMatMul(a, b, M, K, N, ta, tb, 1, 1, { bias: (_i, j) => bias[j], act: 'relu' });
            // float32 accumulation over 1283 terms of magnitude <= 1: 1e-4 relative to max(1, |x|)
            expect(maxRelError(got, want), `${M}x${K}x${N} ta=${ta} tb=${tb}`).toBeLessThan(1e-4);
          }
    });

    it('broadcasts batch dimensions as tfjs does', () => {
      const cases: Array<[number[], number[], boolean, boolean]> = [
        [[2, 3, 5, 7], [3, 7, 9], false, false],
        [[1, 5, 7], [4, 7, 9], false, true],
        [[4, 7, 5], [7, 9], true, false],
        [[3, 1, 6, 4], [1, 2, 4, 10], false, false],
      ];
      for (const [as, bs, ta, tb] of cases) {
        const M = ta ? as[as.length - 1] : as[as.length - 2],
          K = ta ? as[as.length - 2] : as[as.length - 1];
        const N = bs[bs.length - 1]; // bs is listed as [..., K, N]; transposed below when tb
        const a = randomFloats(
            as.reduce((x, y) => x * y),
            3,
          ),
          b = randomFloats(
            bs.reduce((x, y) => x * y),
            4,
          );
        const bShape = tb ? [...bs.slice(0, -2), N, K] : bs;
        const got = tf.tidy(() => {
          const y = tf.matMul(tf.tensor(a, as), tf.tensor(b, bShape), ta, tb);
          return { shape: y.shape, data: y.dataSync() as Float32Array };
        });
        const outer = tf.backend_util.assertAndGetBroadcastShape(as.slice(0, -2), bs.slice(0, -2));
        expect(got.shape).toEqual([...outer, M, N]);
        // The reference wraps flat batch indices, which equals broadcasting for these shapes.
        const batchA = as.slice(0, -2).reduce((x, y) => x * y, 1),
          batchB = bs.slice(0, -2).reduce((x, y) => x * y, 1);
        if (as.length === 4 && bs.length === 4) {
          // [3,1] x [1,2] → [3,2]: index each side through its own broadcast.
          const want = new Float32Array(6 * M * N);
          for (let p = 0; p < 3; p++)
            for (let q = 0; q < 2; q++) {
              const one = refMatMul(
                a.subarray(p * M * K, (p + 1) * M * K),
                b.subarray(q * K * N, (q + 1) * K * N),
                M,
                K,
                N,
                ta,
                tb,
              );
              want.set(one, (p * 2 + q) * M * N);
            }
          expect(maxRelError(got.data, want), `${as} x ${bs}`).toBeLessThan(1e-5);
        } else {
          const want = refMatMul(a, b, M, K, N, ta, tb, batchA, batchB);
          expect(got.data.length, `${as} x ${bs}`).toBe(want.length);
          expect(maxRelError(got.data, want), `${as} x ${bs}`).toBeLessThan(1e-5);
        }
      }
    });

    it('fuses bias and every activation (row bias in the epilogue, other shapes as passes)', () => {
      const M = 7,
        K = 11,
        N = 13;
      const a = randomFloats(M * K, 8),
        b = randomFloats(K * N, 9);
      const rowBias = randomFloats(N, 10),
        colBias = randomFloats(M, 11),
        slope = randomFloats(N, 12).map((v) => v * 0.5);
      const acts: Act[] = ['linear', 'relu', 'relu6', 'leakyrelu', 'prelu', 'elu', 'sigmoid'];
      for (const activation of acts)
        for (const biasKind of ['none', 'row', 'column', 'scalar'] as const) {
          const got = tf.tidy(() => {
            const bias =
              biasKind === 'row'
                ? tf.tensor1d(rowBias)
                : biasKind === 'column'
                  ? tf.tensor2d(colBias, [M, 1])
                  : biasKind === 'scalar'
                    ? tf.scalar(0.25)
                    : undefined;
            // Scale up so relu6 clips: products of 11 terms in [-1, 1] times 4.
            return tf.fused
              .matMul({
                a: tf.mul(tf.tensor2d(a, [M, K]), 4),
                b: tf.tensor2d(b, [K, N]),
                bias,
                activation,
                preluActivationWeights: activation === 'prelu' ? tf.tensor1d(slope) : undefined,
                leakyreluAlpha: 0.3,
              })
              .dataSync() as Float32Array;
          });
          const want = refMatMul(
            a.map((v) => v * 4),
            b,
            M,
            K,
            N,
            false,
            false,
            1,
            1,
            {
              bias:
                biasKind === 'row'
                  ? (_i, j) => rowBias[j]
                  : biasKind === 'column'
                    ? (i) => colBias[i]
                    : biasKind === 'scalar'
                      ? () => 0.25
                      : undefined,
              act: activation,
              alpha: 0.3,
              prelu: (_i, j) => slope[j],
            },
          );
          // exp-based activations are polynomial approximations in wasm: 2e-6 relative
          expect(maxRelError(got, want), `${activation} with ${biasKind} bias`).toBeLessThan(1e-5);
        }
    });

    it('gives the same bits on 1, 2 and 3 threads', async () => {
      const cases: Array<{ as: number[]; bs: number[]; ta: boolean; tb: boolean; bias: boolean }> = [
        { as: [130, 300], bs: [300, 70], ta: false, tb: false, bias: true },
        { as: [64, 1], bs: [600, 64], ta: true, tb: true, bias: false }, // one row: split by column blocks
        { as: [3, 40, 50], bs: [50, 520], ta: false, tb: false, bias: true }, // several column blocks
        { as: [257, 33], bs: [257, 600], ta: true, tb: false, bias: false },
        { as: [2, 700], bs: [700, 900], ta: false, tb: false, bias: true }, // two rows: B read in place
      ];
      const results: Float32Array[][] = [];
      for (const threads of [1, 2, 3]) {
        expect(await backend.setThreads(threads)).toBe(threads);
        results.push(
          cases.map((c, n) =>
            tf.tidy(() => {
              const a = tf.tensor(
                randomFloats(
                  c.as.reduce((x, y) => x * y),
                  n + 20,
                ),
                c.as,
              );
              const b = tf.tensor(
                randomFloats(
                  c.bs.reduce((x, y) => x * y),
                  n + 30,
                ),
                c.bs,
              );
              const N = c.tb ? c.bs[c.bs.length - 2] : c.bs[c.bs.length - 1];
              const bias = c.bias ? tf.tensor1d(randomFloats(N, n + 40)) : undefined;
              return tf.fused
                .matMul({ a, b, transposeA: c.ta, transposeB: c.tb, bias, activation: 'relu' })
                .dataSync() as Float32Array;
            }),
          ),
        );
      }
      await backend.setThreads(1);
      for (let t = 1; t < 3; t++)
        for (let n = 0; n < cases.length; n++)
          expect(firstDifference(results[t][n], results[0][n]), `case ${n}, ${t + 1} threads`).toBe(-1);
      // and the numbers are right
      const c = cases[0];
      const a = randomFloats(130 * 300, 20),
        b = randomFloats(300 * 70, 30),
        bias = randomFloats(70, 40);
      const want = refMatMul(a, b, 130, 300, 70, false, false, 1, 1, { bias: (_i, j) => bias[j], act: 'relu' });
      expect(c.as).toEqual([130, 300]);
      expect(maxRelError(results[2][0], want)).toBeLessThan(1e-4);
    });
  });
}
