import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { loadKernels, UnaryOp, type KernelExports } from '@lanes/kernels-wasm';
import { ThreadPool, type PoolOptions } from '../src/threads/pool.js';
import { getBuildInfo, getThreadsCount, setThreadsCount } from '../src/index.js';
import { lanes, maxRelError, randomFloats } from './helpers.js';

const PAGE = 65536;

/** A pool on its own shared memory, with x (n floats) at 1 MiB and out after it. */
async function makePool(threads: number, options: PoolOptions = {}) {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true } as WebAssembly.MemoryDescriptor);
  const { module, exports } = await loadKernels(memory, 'simd');
  const pool = await ThreadPool.create(module, memory, exports, threads, options);
  return { memory, exports, pool };
}

/** out = op(x) through unary_f32, split by the pool; returns out's values. */
function runUnary(memory: WebAssembly.Memory, pool: ThreadPool, x: Float32Array, op: number): Float32Array {
  const n = x.length;
  const xPtr = 1 << 20,
    outPtr = xPtr + n * 4 + 64;
  const need = Math.ceil((outPtr + n * 4) / PAGE) - memory.buffer.byteLength / PAGE;
  if (need > 0) memory.grow(need);
  new Float32Array(memory.buffer, xPtr, n).set(x);
  new Float32Array(memory.buffer, outPtr, n).fill(NaN);
  pool.run('unary_f32', [op, xPtr, outPtr, 0, 0], n, 1);
  return new Float32Array(memory.buffer, outPtr, n).slice();
}

/** Index of the first element whose bits differ (-1 when identical): toEqual is slow on 1M floats. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -2;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length),
    ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('thread pool', () => {
  const x = randomFloats(1 << 20, 7);
  let reference: Float32Array;
  let single: { memory: WebAssembly.Memory; exports: KernelExports; pool: ThreadPool };

  beforeAll(async () => {
    single = await makePool(1);
    reference = runUnary(single.memory, single.pool, x, UnaryOp.TANH);
  });
  afterAll(() => single.pool.terminate());

  it('runs on one thread when asked, without workers', () => {
    expect(single.pool.threads).toBe(1);
    // tanh as the wasm kernel computes it, to float32 accuracy
    expect(maxRelError(reference, x.map(Math.tanh))).toBeLessThan(1e-5);
  });

  for (const threads of [2, 3, 5])
    it(`gives bit-identical results on ${threads} threads, covering every item once`, async () => {
      const { memory, pool } = await makePool(threads);
      try {
        expect(pool.threads).toBe(threads);
        for (const n of [0, 1, 5, 1000, (1 << 17) + 3, (1 << 19) + 1, 1 << 20]) {
          const want = runUnary(single.memory, single.pool, x.subarray(0, n), UnaryOp.TANH);
          const before = pool.chunkCounts();
          expect(firstDifference(runUnary(memory, pool, x.subarray(0, n), UnaryOp.TANH), want)).toBe(-1);
          const after = pool.chunkCounts();
          const ran = after.caller - before.caller + after.workers.reduce((s, w, i) => s + w - before.workers[i], 0);
          // 1M items of cost 1: four chunks per thread; below the threshold: not split (no chunks)
          if (n === 1 << 20) expect(ran).toBe(4 * threads);
          if (n <= 1000) expect(ran).toBe(0);
        }
      } finally {
        pool.terminate();
      }
    });

  it('changes its thread count at run time', async () => {
    const { memory, pool } = await makePool(1);
    try {
      expect(await pool.setThreads(3)).toBe(3);
      expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
      expect(await pool.setThreads(2)).toBe(2);
      expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
      expect(await pool.setThreads(1)).toBe(1);
      expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
    } finally {
      pool.terminate();
    }
  });

  it('leaves out a worker that fails to start', async () => {
    const { memory, pool } = await makePool(3, { faults: ['start'] });
    try {
      expect(pool.threads).toBe(2);
      expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
    } finally {
      pool.terminate();
    }
  });

  it('carries on when a worker exits between jobs, before and after the pool notices', async () => {
    const { memory, pool } = await makePool(3, { faults: [undefined, 'exit'] });
    try {
      expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
      await until(() => pool.threads === 2);
      expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
    } finally {
      pool.terminate();
    }
  });

  it('takes back the chunk of a worker that dies holding it', async () => {
    const { memory, pool } = await makePool(2, { faults: ['die-in-chunk'], stallMs: 200 });
    try {
      expect(pool.threads).toBe(2);
      // Keep the caller away long enough for the worker to claim a chunk: several jobs, each must be right.
      for (let i = 0; i < 3; i++) expect(firstDifference(runUnary(memory, pool, x, UnaryOp.TANH), reference)).toBe(-1);
      expect(pool.threads).toBe(1);
    } finally {
      pool.terminate();
    }
  });

  it('sees memory the caller grew after the workers started', async () => {
    const { memory, pool } = await makePool(2);
    try {
      const big = randomFloats(3 << 20, 11); // 12 MiB: grows the 4 MiB memory
      const got = runUnary(memory, pool, big, UnaryOp.NEG);
      expect(
        firstDifference(
          got,
          big.map((v) => -v),
        ),
      ).toBe(-1);
    } finally {
      pool.terminate();
    }
  });
});

describe('thread count API', () => {
  beforeAll(lanes);

  it('setThreadsCount / getThreadsCount / getBuildInfo agree', async () => {
    expect(await setThreadsCount(3)).toBe(3);
    expect(getThreadsCount()).toBe(3);
    expect(getBuildInfo().threads).toBe(3);
    expect(await setThreadsCount(1)).toBe(1);
    expect(getBuildInfo().threads).toBe(1);
    await expect(setThreadsCount(0)).rejects.toThrow(/positive integer/);
  });

  it('gives the same numbers on 1, 2 and 3 threads through tfjs ops', async () => {
    const a = tf.tensor2d(randomFloats(300 * 200, 3), [300, 200]);
    const b = tf.tensor2d(randomFloats(200 * 170, 4), [200, 170]);
    const results: Float32Array[] = [];
    for (const n of [1, 2, 3]) {
      await setThreadsCount(n);
      const y = tf.tidy(() => tf.relu(tf.add(tf.matMul(a, b), tf.sigmoid(tf.matMul(a, b)))));
      results.push((await y.data()) as Float32Array);
      y.dispose();
    }
    expect(firstDifference(results[1], results[0])).toBe(-1);
    expect(firstDifference(results[2], results[0])).toBe(-1);
    tf.dispose([a, b]);
    await setThreadsCount(2);
  });
});

describe('built package in a plain Node process', () => {
  const dist = join(__dirname, '..', 'dist');
  const script = (mod: 'esm' | 'cjs') =>
    mod === 'esm'
      ? `import * as tf from '@tensorflow/tfjs-core'; const l = await import(${JSON.stringify(join(dist, 'index.js'))});
       await tf.setBackend('lanes'); const y = tf.matMul(tf.ones([256, 256]), tf.ones([256, 256]));
       console.log(JSON.stringify({ threads: l.getThreadsCount(), v: (await y.data())[0] }));`
      : `const tf = require('@tensorflow/tfjs-core'); const l = require(${JSON.stringify(join(dist, 'index.cjs'))});
       tf.setBackend('lanes').then(async () => { const y = tf.matMul(tf.ones([256, 256]), tf.ones([256, 256]));
       console.log(JSON.stringify({ threads: l.getThreadsCount(), v: (await y.data())[0] })); });`;
  for (const mod of ['esm', 'cjs'] as const)
    it(`starts workers with no configuration and exits by itself (${mod})`, () => {
      expect(existsSync(join(dist, 'index.js'))).toBe(true); // the test task runs after the build
      const r = spawnSync(process.execPath, [...(mod === 'esm' ? ['--input-type=module'] : []), '-e', script(mod)], {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(out.v).toBe(256);
      expect(out.threads).toBeGreaterThanOrEqual(Math.min(2, availableParallelism()));
    });
});
