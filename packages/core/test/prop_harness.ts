// Property-based comparison of 'lanes' against tfjs-backend-cpu (fast-check). Each property draws
// an op's parameters (shapes, strides, paddings…, a data seed) plus how Lanes runs it: which build
// (relaxed SIMD / SIMD / scalar), how many threads (1-3), and whether every parallel kernel call is
// forced to split into chunks across those threads (small random shapes would otherwise never
// reach the workers). Inputs are generated from the seed on both backends alike, with NaN, ±Inf
// and -0 sprinkled in where the op defines them. A failure reports fast-check's seed and path and
// the shrunk parameters; LANES_PROP_SEED replays a run (CI runs a fixed seed).
//
// Sizes: the normal `vitest run` samples a few cases per op (CI); LANES_DEEP=1 (pnpm test:deep)
// runs many more and, with LANES_PROP_COUNTS set, writes the number of cases to that directory.
import { afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index.js';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';

export { fc };

/** Whether this is the deep run (pnpm test:deep). */
export const DEEP = process.env.LANES_DEEP === '1';
/**
 * fast-check's seed: LANES_PROP_SEED replays a run; CI's sample is fixed, so that a landing is
 * judged on the same cases every time; elsewhere (and in the deep run) a fresh seed explores.
 */
const SEED =
  process.env.LANES_PROP_SEED !== undefined
    ? Number(process.env.LANES_PROP_SEED)
    : process.env.CI && !DEEP
      ? 20261127
      : undefined;

/** Lanes backends a case may run on: the best build (relaxed SIMD under vitest), plain SIMD, scalar. */
const BUILDS = ['lanes', 'prop-simd', 'prop-scalar'] as const;
type Build = (typeof BUILDS)[number];
const MAX_THREADS = 3;

let registered = false;
function registerBuilds(): void {
  if (registered) return;
  registered = true;
  for (const build of ['simd', 'scalar'] as const) {
    const name = `prop-${build}`;
    if (tf.findBackendFactory(name) !== null) continue;
    tf.registerBackend(name, () => LanesBackend.create({ build, threads: MAX_THREADS }), -1);
    registerLanesKernels(name);
  }
}

/** How Lanes runs one case. */
interface Exec {
  build: Build;
  threads: number;
  /** Split every parallel kernel call into chunks, whatever its size. */
  split: boolean;
}

const execArb: fc.Arbitrary<Exec> = fc.record({
  build: fc.constantFrom(...BUILDS),
  threads: fc.integer({ min: 1, max: MAX_THREADS }),
  split: fc.boolean(),
});

/** Values that can be sprinkled into inputs. */
export const SPECIALS = [NaN, Infinity, -Infinity, -0, 0] as const;

/**
 * `n` deterministic floats in [lo, hi) from `seed`; with `specials`, about one in `every` is
 * replaced by one of them (positions and choices also from the seed).
 */
export function floats(
  n: number,
  seed: number,
  lo = -1,
  hi = 1,
  specials: readonly number[] = [],
  every = 8,
): Float32Array {
  const out = new Float32Array(n);
  let s = (Math.imul(seed | 0, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    out[i] = lo + next() * (hi - lo);
    if (specials.length > 0 && next() * every < 1) out[i] = specials[Math.floor(next() * specials.length)];
  }
  return out;
}

/** A float32 tensor of `shape` with values from `seed` (see {@link floats}). */
export function rand(
  shape: number[],
  seed: number,
  opts: { lo?: number; hi?: number; specials?: readonly number[]; every?: number } = {},
): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    floats(n, seed, opts.lo ?? -1, opts.hi ?? 1, opts.specials ?? [], opts.every ?? 8),
    shape,
    'float32',
  );
}

/** Result of one program on one backend: per output, its shape, dtype and values. */
interface Out {
  shape: number[];
  dtype: string;
  values: ArrayLike<number>;
}

function collect(program: () => tf.Tensor | tf.Tensor[]): Out[] {
  const before = tf.memory().numTensors;
  const outs = tf.tidy(program);
  const list = Array.isArray(outs) ? outs : [outs];
  const result = list.map((t) => ({
    shape: t.shape.slice(),
    dtype: t.dtype,
    values: t.dataSync() as ArrayLike<number>,
  }));
  tf.dispose(list);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${tf.getBackend()}: the program leaked ${leaked} tensor(s)`);
  return result;
}

/** Runs `program` on a Lanes build with the thread count and splitting of `exec`. */
async function runLanes(exec: Exec, program: () => tf.Tensor | tf.Tensor[]): Promise<Out[]> {
  registerBuilds();
  await tf.setBackend(exec.build);
  const backend = tf.backend() as LanesBackend;
  await backend.setThreads(exec.threads);
  if (!exec.split) return collect(program);
  const pool = backend.pool;
  // A cost per item this high makes the pool split any range into up to 4 chunks per thread.
  backend.parallel = (name, args, total, _cost, align) => pool.run(name, args, total, 1 << 17, align);
  try {
    return collect(program);
  } finally {
    Reflect.deleteProperty(backend, 'parallel');
  }
}

/** How outputs are compared. */
export interface Tolerance {
  /** Largest |lanes - cpu| / max(scale, |cpu|). */
  tol: number;
  /** Magnitude below which errors count as absolute (default 1): e.g. a dot product's Σ|a·b|. */
  scale?: number;
  /** Whether the sign of a zero must match (ops that define it). Default true. */
  signedZero?: boolean;
}

/** First disagreement between two outputs, described; undefined when they agree. */
export function mismatch(got: Out[], want: Out[], t: Tolerance): string | undefined {
  if (got.length !== want.length) return `${got.length} outputs vs cpu ${want.length}`;
  for (let k = 0; k < want.length; k++) {
    const g = got[k],
      w = want[k];
    if (g.dtype !== w.dtype) return `output ${k}: dtype ${g.dtype} vs cpu ${w.dtype}`;
    if (g.shape.join() !== w.shape.join()) return `output ${k}: shape [${g.shape}] vs cpu [${w.shape}]`;
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (g.values.length !== size) return `output ${k}: ${g.values.length} values for shape [${g.shape}]`;
    // tfjs-backend-cpu now and then returns values its shape has no room for (a strided slice
    // with an empty new-axis dim gives shape [1, 0, 1] and one value): nothing to compare then.
    if (w.values.length !== size) continue;
    const scale = t.scale ?? 1;
    for (let i = 0; i < w.values.length; i++) {
      const a = g.values[i],
        b = w.values[i];
      const at = `output ${k} [${i}]: ${Object.is(a, -0) ? '-0' : a} vs cpu ${Object.is(b, -0) ? '-0' : b}`;
      if (Number.isNaN(b) || Number.isNaN(a)) {
        if (Number.isNaN(a) !== Number.isNaN(b)) return `${at} (NaN-ness)`;
        continue;
      }
      if (!Number.isFinite(b) || !Number.isFinite(a)) {
        if (a !== b) return `${at} (infinity)`;
        continue;
      }
      if (a === 0 && b === 0) {
        if (t.signedZero !== false && !Object.is(a, b)) return `${at} (sign of zero)`;
        continue;
      }
      if (!(Math.abs(a - b) <= t.tol * Math.max(scale, Math.abs(b))))
        return `${at} (tolerance ${t.tol}, scale ${scale})`;
    }
  }
  return undefined;
}

/** One op family's property. */
export interface PropSpec<P> {
  /** Shown in reports and counts. */
  name: string;
  /** The op's parameters (shapes, attributes, data seed). */
  params: fc.Arbitrary<P>;
  /** The program to run on both backends (creates its inputs from `p`, returns the outputs). */
  program: (p: P) => () => tf.Tensor | tf.Tensor[];
  /**
   * The program cpu runs, when it differs from `program`: where tfjs-backend-cpu is wrong, the same
   * computation spelled so that cpu gets it right (each use says why).
   */
  reference?: (p: P) => () => tf.Tensor | tf.Tensor[];
  /** Comparison, possibly depending on the case. */
  tolerance: Tolerance | ((p: P) => Tolerance);
  /** Cases in the normal run; the deep run multiplies this by {@link DEEP_FACTOR}. */
  runs: number;
  /** When cpu throws for these parameters, skip rather than require Lanes to throw alike. */
  cpuMayThrow?: boolean;
}

/** Deep runs are this many times larger than the CI sample. */
const DEEP_FACTOR = 20;

const counts = new Map<string, number>();
const failures: string[] = [];

/**
 * Checks `spec` on its number of random cases: every case's outputs on Lanes must match cpu's
 * within the tolerance, and an error on cpu must be an error on Lanes.
 */
export async function checkProperty<P>(spec: PropSpec<P>): Promise<number> {
  const numRuns = DEEP ? spec.runs * DEEP_FACTOR : spec.runs;
  let ran = 0;
  const property = fc.asyncProperty(spec.params, execArb, async (p, exec) => {
    ran++;
    const program = spec.program(p);
    await tf.setBackend('cpu');
    let want: Out[] | undefined;
    let cpuError: unknown;
    try {
      want = collect(spec.reference ? spec.reference(p) : program);
    } catch (e) {
      cpuError = e;
    }
    let got: Out[] | undefined;
    let lanesError: unknown;
    try {
      got = await runLanes(exec, program);
    } catch (e) {
      lanesError = e;
    }
    if (cpuError !== undefined) {
      if (lanesError === undefined && !spec.cpuMayThrow)
        throw new Error(`cpu threw (${String(cpuError)}) but lanes did not`);
      return;
    }
    // A geometry tfjs-core does not validate can give cpu an output with a negative dim and no
    // values (batch 0); Lanes refuses to make such a tensor.
    const broken = want!.some((o) => o.shape.some((d) => d < 0));
    if (broken) {
      if (lanesError === undefined)
        throw new Error(`cpu made an output of shape [${want!.map((o) => o.shape)}] and lanes did not refuse`);
      return;
    }
    if (lanesError !== undefined) throw lanesError;
    const tolerance = typeof spec.tolerance === 'function' ? spec.tolerance(p) : spec.tolerance;
    const bad = mismatch(got!, want!, tolerance);
    if (bad !== undefined) throw new Error(`${spec.name}: ${bad}`);
  });
  try {
    await fc.assert(property, { numRuns, seed: SEED, verbose: 1 });
  } catch (e) {
    failures.push(spec.name);
    throw e;
  } finally {
    counts.set(spec.name, (counts.get(spec.name) ?? 0) + ran);
  }
  return ran;
}

/** Prints (and, in deep runs, records) this file's case counts once its tests are done. */
export function reportCounts(file: string): void {
  afterAll(() => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const detail = [...counts].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(
      `[prop] ${file}: ${total} cases, ${failures.length} failing properties${failures.length ? ` (${failures.join(', ')})` : ''} (${detail})`,
    );
    const dir = process.env.LANES_PROP_COUNTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${file}.json`), JSON.stringify({ total, failures, counts: Object.fromEntries(counts) }));
    }
  });
}
