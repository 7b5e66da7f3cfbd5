// Worker faults through tfjs ops: a 'lanes' backend whose worker fails to start, exits between
// jobs, or dies holding a chunk (PoolOptions.faults, the pool's injection seam) carries on with
// fewer threads, and every result still matches tfjs-backend-cpu. threads.test.ts covers the same
// faults at the pool level; here they reach real kernels (matmul, conv2d, its backprop, softmax).
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index.js';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';
import type { PoolOptions } from '../src/threads/pool.js';
import { floats, mismatch } from './prop_harness.js';

/** Kernels large enough that the pool splits them across every thread. */
function workload(): tf.Tensor[] {
  const a = tf.tensor(floats(256 * 192, 1), [256, 192]),
    b = tf.tensor(floats(192 * 160, 2), [192, 160]);
  const x = tf.tensor(floats(4 * 24 * 24 * 16, 3), [4, 24, 24, 16]) as tf.Tensor4D;
  const f = tf.tensor(floats(3 * 3 * 16 * 32, 4), [3, 3, 16, 32]) as tf.Tensor4D;
  const y = tf.conv2d(x, f, 1, 'same');
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(t as tf.Tensor4D, f, 1, 'same'), y)))(x);
  return [tf.softmax(tf.matMul(a, b)), tf.relu(y), dx, tf.tanh(tf.tensor(floats(1 << 18, 5), [1 << 18]))];
}

function run(): Array<{ shape: number[]; dtype: string; values: Float32Array }> {
  return tf.tidy(() =>
    workload().map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.dataSync() as Float32Array })),
  );
}

const created: string[] = [];
async function faultyBackend(name: string, threads: number, pool: PoolOptions): Promise<LanesBackend> {
  tf.registerBackend(name, () => LanesBackend.create({ threads, pool }), -1);
  registerLanesKernels(name);
  created.push(name);
  await tf.setBackend(name);
  return tf.backend() as LanesBackend;
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe("worker faults on 'lanes', through tfjs ops", () => {
  let want: ReturnType<typeof run>;
  afterAll(async () => {
    await tf.setBackend('cpu');
    for (const name of created) tf.removeBackend(name);
  });

  const sameAsCpu = async () => {
    want ??= await (async () => {
      const current = tf.getBackend();
      await tf.setBackend('cpu');
      const r = run();
      await tf.setBackend(current);
      return r;
    })();
    const got = run();
    // Dot products of up to 432 terms in another order.
    expect(mismatch(got, want, { tol: 2e-5, scale: 4, signedZero: false })).toBeUndefined();
  };

  it('a worker that fails to start is left out: 3 threads asked, 2 run, results right', async () => {
    const backend = await faultyBackend('lanes-fault-start', 3, { faults: ['start'] });
    expect(backend.buildInfo().threads).toBe(2);
    expect(backend.pool.requestedThreads).toBe(3);
    const before = backend.pool.chunkCounts();
    await sameAsCpu();
    // The live worker took part.
    const after = backend.pool.chunkCounts();
    expect(after.workers.reduce((s, w, i) => s + w - (before.workers[i] ?? 0), 0)).toBeGreaterThan(0);
  });

  it('a worker that exits between jobs: results right before and after the pool notices', async () => {
    const backend = await faultyBackend('lanes-fault-exit', 3, { faults: [undefined, 'exit'] });
    await sameAsCpu();
    await until(() => backend.buildInfo().threads === 2);
    expect(backend.buildInfo().threads).toBe(2);
    await sameAsCpu();
  });

  it('a worker that dies holding a chunk: its chunk is taken back, results right, one thread fewer', async () => {
    // The stall limit stays well above how long a loaded machine may deschedule the healthy
    // worker, which would otherwise be retired too.
    const backend = await faultyBackend('lanes-fault-die', 3, { faults: [undefined, 'die-in-chunk'], stallMs: 3000 });
    expect(backend.buildInfo().threads).toBe(3);
    for (let i = 0; i < 3; i++) await sameAsCpu();
    // Under load the faulty worker may not have claimed a chunk yet: more jobs until it has.
    for (let i = 0; i < 30 && backend.buildInfo().threads === 3; i++) {
      await sameAsCpu();
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => backend.buildInfo().threads === 2);
    expect(backend.buildInfo().threads).toBe(2);
    await sameAsCpu();
  });

  it('every worker failing to start leaves one thread (the caller), results right', async () => {
    const backend = await faultyBackend('lanes-fault-all', 3, { faults: ['start', 'start'] });
    expect(backend.buildInfo().threads).toBe(1);
    await sameAsCpu();
  });
});
