// Runs the same tfjs program on 'cpu' (the reference) and on each Lanes build under test.
import * as tf from '@tensorflow/tfjs-core';
import '../src/index.js';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';

/**
 * 'lanes' picks the best build the runtime validates (relaxed SIMD under vitest's
 * --experimental-wasm-relaxed-simd, else SIMD) on all threads; 'lanes-simd' and 'lanes-scalar'
 * force those builds, one thread. So every build runs every test.
 */
export const LANES_BACKENDS = ['lanes', 'lanes-simd', 'lanes-scalar'] as const;

let registered = false;
function registerBuilds(): void {
  if (registered) return;
  registered = true;
  tf.registerBackend('lanes-simd', () => LanesBackend.create({ build: 'simd', threads: 1 }), 0);
  registerLanesKernels('lanes-simd');
  tf.registerBackend('lanes-scalar', () => LanesBackend.create({ build: 'scalar', threads: 1 }), 0);
  registerLanesKernels('lanes-scalar');
}

/** Values and shapes of what `f` returns (one tensor or several) when run on `backend`. */
export interface Result {
  values: Array<Float32Array | Int32Array | Uint8Array>;
  shapes: number[][];
  dtypes: string[];
  /** The wasm kernels that ran (Lanes backends only): proof that the native path was taken. */
  kernels: Set<string>;
}

/** Runs `f` on `backend` and reads its outputs back (tensors created inside are disposed). */
export async function runOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Result> {
  registerBuilds();
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const kernels = new Set<string>();
  const be = tf.backend();
  let out: tf.Tensor | tf.Tensor[];
  if (be instanceof LanesBackend) {
    const parallel = be.parallel;
    be.parallel = (name, ...rest) => {
      kernels.add(name);
      parallel.call(be, name, ...rest);
    };
    try {
      out = tf.tidy(f);
    } finally {
      Reflect.deleteProperty(be, 'parallel');
    }
  } else {
    out = tf.tidy(f);
  }
  const list = Array.isArray(out) ? out : [out];
  const result: Result = {
    values: list.map((t) => t.dataSync() as Float32Array | Int32Array | Uint8Array),
    shapes: list.map((t) => t.shape),
    dtypes: list.map((t) => t.dtype),
    kernels,
  };
  tf.dispose(list);
  if (tf.memory().numTensors !== before)
    throw new Error(`${backend}: leaked ${tf.memory().numTensors - before} tensors`);
  return result;
}

/** Pseudo-random floats in [lo, hi) with a sprinkling of `specials` (NaN, ±Inf…) at fixed positions. */
export function values(n: number, seed: number, lo = -1, hi = 1, specials: number[] = []): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + (s / 4294967296) * (hi - lo);
  }
  for (let k = 0; k < specials.length && n > 0; k++) out[(k * 7 + seed) % n] = specials[k];
  return out;
}

/** Pseudo-random integers in [lo, hi]. */
export function ints(n: number, seed: number, lo: number, hi: number): Int32Array {
  const f = values(n, seed, 0, 1);
  return Int32Array.from(f, (v) => lo + Math.floor(v * (hi - lo + 1)));
}

/**
 * Largest |a - b| / max(1, |b|); NaN must meet NaN and infinities must match exactly, else Infinity.
 */
export function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || a[i] === b[i]) continue;
    if (Number.isNaN(a[i]) || Number.isNaN(b[i]) || !Number.isFinite(a[i]) || !Number.isFinite(b[i])) return Infinity;
    m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return m;
}

/**
 * Runs `f` on 'cpu' and on every Lanes build; asserts same shapes/dtypes and values within `tol`,
 * and that every wasm kernel named in `uses` ran (so a silent fallback to tfjs-cpu cannot pass).
 */
export async function expectSameAsCpu(
  f: () => tf.Tensor | tf.Tensor[],
  tol: number,
  label: string,
  uses: string[] = [],
): Promise<void> {
  const ref = await runOn('cpu', f);
  for (const backend of LANES_BACKENDS) {
    const got = await runOn(backend, f);
    const where = `${label} on ${backend}`;
    if (JSON.stringify(got.shapes) !== JSON.stringify(ref.shapes))
      throw new Error(`${where}: shapes ${JSON.stringify(got.shapes)} vs cpu ${JSON.stringify(ref.shapes)}`);
    const missing = uses.filter((k) => !got.kernels.has(k));
    if (missing.length > 0)
      throw new Error(`${where}: wasm kernel(s) ${missing} did not run (ran: ${[...got.kernels]})`);
    if (got.dtypes.join() !== ref.dtypes.join()) throw new Error(`${where}: dtypes ${got.dtypes} vs cpu ${ref.dtypes}`);
    got.values.forEach((v, i) => {
      const err = maxError(v, ref.values[i]);
      if (!(err <= tol)) {
        const bad = Array.from(v).findIndex((x, j) => !(maxError([x], [ref.values[i][j]]) <= tol));
        throw new Error(
          `${where}: output ${i} differs by ${err} (> ${tol}); first at ${bad}: ${v[bad]} vs cpu ${ref.values[i][bad]}`,
        );
      }
    });
  }
}
