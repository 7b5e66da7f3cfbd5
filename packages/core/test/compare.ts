// Runs the same tfjs program on 'cpu' and on 'lanes' and compares the results exactly.
// On 'lanes' it runs three times: as is, with every parallel kernel call cut into uneven ranges
// (as worker threads cut it, so a kernel whose output depends on where its range starts fails
// here), and on the scalar build (registered here as 'lanes-scalar'), so both sides of every
// ASC_FEATURE_SIMD branch are held to the same numbers.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { KernelName } from '@lanes/kernels-wasm';
import { lanes, maxRelError } from './helpers.js';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';

const SCALAR = 'lanes-scalar';
if (tf.findBackendFactory(SCALAR) === null) {
  tf.registerBackend(SCALAR, () => LanesBackend.create({ build: 'scalar' }), -1);
  registerLanesKernels(SCALAR);
}

export interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

type Program = () => tf.Tensor | tf.Tensor[];

function collect(fn: Program): Result[] {
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out : [out]).map((t) => ({
      shape: t.shape.slice(),
      dtype: t.dtype,
      values: Array.from(t.dataSync() as ArrayLike<number>),
    }));
  });
}

/** Runs `fn` on a backend; a thrown error is returned as its message. */
export async function runOn(backend: string, fn: Program): Promise<Result[] | string> {
  await tf.setBackend(backend);
  try {
    return collect(fn);
  } catch (e) {
    return (e as Error).message;
  }
}

/** Calls `fn` with every backend.parallel call split into three uneven ranges. */
function withSplitRanges<T>(backend: LanesBackend, fn: () => T): T {
  const original = backend.parallel;
  backend.parallel = (name: KernelName, args: number[], total: number) => {
    if (total <= 0) return;
    const cuts = [0, Math.floor(total / 3), Math.floor((2 * total) / 3) + (total > 2 ? 1 : 0), total];
    const k = backend.wasm[name] as unknown as (...a: number[]) => void;
    for (let i = 0; i < 3; i++) if (cuts[i + 1] > cuts[i]) k(...args, cuts[i], cuts[i + 1]);
  };
  try {
    return fn();
  } finally {
    backend.parallel = original;
  }
}

/** Results of `fn` on lanes: whole, with split ranges, and on the scalar build (asserted equal). */
export async function runLanes(fn: Program): Promise<Result[] | string> {
  const backend = await lanes();
  const whole = await runOn('lanes', fn);
  const split = await withSplitRanges(backend, () => runOn('lanes', fn));
  expect(split, 'with split ranges').toEqual(whole);
  const scalar = await runOn(SCALAR, fn);
  expect((tf.findBackend(SCALAR) as LanesBackend).buildInfo().build).toBe('scalar');
  expect(scalar, 'on the scalar build').toEqual(whole);
  return whole;
}

/** Asserts that `fn` gives identical shapes, dtypes and values on cpu and lanes. */
export async function expectSameAsCpu(fn: Program, what = ''): Promise<void> {
  const cpu = await runOn('cpu', fn);
  expect(typeof cpu, `cpu failed: ${cpu}`).not.toBe('string');
  const got = await runLanes(fn);
  expect(got, what).toEqual(cpu);
}

/**
 * Asserts that `fn` gives the same shapes and dtypes on cpu and lanes, and values within
 * `tol` · max(1, |cpu value|) (NaN where cpu has NaN).
 */
export async function expectCloseToCpu(fn: Program, tol: number, what = ''): Promise<void> {
  const cpu = await runOn('cpu', fn);
  expect(typeof cpu, `cpu failed: ${cpu}`).not.toBe('string');
  const got = await runLanes(fn);
  expect(typeof got, `lanes failed: ${got}`).not.toBe('string');
  const [c, g] = [cpu as Result[], got as Result[]];
  expect(
    g.map((r) => [r.shape, r.dtype]),
    what,
  ).toEqual(c.map((r) => [r.shape, r.dtype]));
  c.forEach((r, k) => expect(maxRelError(g[k].values, r.values), what).toBeLessThanOrEqual(tol));
}

/** Asserts that `fn` throws the same error message on cpu and lanes. */
export async function expectSameErrorAsCpu(fn: Program, what = ''): Promise<void> {
  const cpu = await runOn('cpu', fn);
  expect(typeof cpu, 'cpu did not throw').toBe('string');
  expect(await runLanes(fn), what).toEqual(cpu);
}

/** Deterministic integer in [0, n). */
export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** Test values of a dtype: floats in [-1, 1), int32 across the range, bools. */
export function valuesOf(dtype: 'float32' | 'int32' | 'bool', n: number, seed = 1): number[] {
  const r = rng(seed + 7);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (dtype === 'float32') out.push((r(2000001) - 1000000) / 1000000);
    else if (dtype === 'int32') out.push(r(4294967296) - 2147483648);
    else out.push(r(2));
  }
  return out;
}

export const DTYPES = ['float32', 'int32', 'bool'] as const;
