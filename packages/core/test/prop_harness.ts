// Property tests judged by float64 (fast-check). Each property draws an op's parameters (shapes,
// strides, paddings…, a data seed) plus how Lanes runs it: which build (relaxed SIMD / SIMD /
// scalar), how many threads (1-3), and whether every parallel kernel call is forced to split into
// chunks across those threads (small random shapes would otherwise never reach the workers).
// Inputs are generated from the seed, with NaN, ±Inf and -0 sprinkled in where the op defines them;
// a plain TypeScript reference computes the outputs from the same inputs in float64, and both
// 'lanes' and tfjs-backend-cpu are judged against it (judge64). Lanes must agree, and give the
// same bits on one thread as on several; where cpu does not agree, the case must meet a defect
// listed in cpu_defects.ts. A failure reports fast-check's seed
// and path and the shrunk parameters; LANES_PROP_SEED replays a run (CI runs a fixed seed).
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
import { store, type Ref } from './ref64_core.js';
import type { CpuDefectName } from './cpu_defects.js';

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

/** Options of {@link rand}: the range of the values and the specials sprinkled in (see {@link floats}). */
export interface RandOptions {
  lo?: number;
  hi?: number;
  specials?: readonly number[];
  every?: number;
}

/** The values {@link rand} fills a tensor of `shape` with. */
export function randValues(shape: number[], seed: number, opts: RandOptions = {}): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return floats(n, seed, opts.lo ?? -1, opts.hi ?? 1, opts.specials ?? [], opts.every ?? 8);
}

/** A float32 tensor of `shape` with values from `seed` (see {@link floats}). */
export function rand(shape: number[], seed: number, opts: RandOptions = {}): tf.Tensor {
  return tf.tensor(randValues(shape, seed, opts), shape, 'float32');
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

/** How a float64 reference judges an output (see {@link judge64}). */
export interface Judge {
  /** Relative error allowed beyond float32's rounding of the result, in units of U (default 0). */
  ulps?: number;
  /** Magnitude below which the relative part counts absolutely (default 2^-126: always relative). */
  scale?: number;
  /** Multiplier of terms · U · Σ|terms| (default 1: the worst case of any float32 summation order). */
  growth?: number;
  /** Absolute slack, e.g. 2^-126 where results below float32's normal range may flush to 0. */
  abs?: number;
  /** Whether the sign of a zero must match. Default true. */
  signedZero?: boolean;
}

/** float32's unit roundoff: half an ulp, relative. */
const U = 2 ** -24;

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/**
 * First disagreement of `got` with the float64 reference, described; undefined when they agree.
 * A value r (float64) with k terms of magnitude m (Σ|terms|) allows
 *   |got - r| ≤ U·(1 + ulps)·max(|r|, scale) + growth·k·U·m + abs + 2^-149:
 * float32's own rounding of r, an op's documented approximation, and the worst case of a float32
 * sum of k terms in any order (γ_k ≤ k·U). int32 and bool must be exact; a float32 output must
 * hold float32 values; NaN must be NaN and an infinity (of r rounded to float32) that infinity.
 */
function judge64(got: Out[], want: Ref[], j: Judge): string | undefined {
  if (got.length !== want.length) return `${got.length} outputs, float64 has ${want.length}`;
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!,
      w = want[k]!;
    if (g.dtype !== w.dtype) return `output ${k}: dtype ${g.dtype}, float64 says ${w.dtype}`;
    if (g.shape.join() !== w.shape.join()) return `output ${k}: shape [${g.shape}], float64 says [${w.shape}]`;
    if (g.values.length !== w.values.length) return `output ${k}: ${g.values.length} values for [${w.shape}]`;
    const terms = w.terms ?? 0;
    for (let i = 0; i < w.values.length; i++) {
      const r = w.values[i]!,
        a = g.values[i]!;
      const want32 = store(r, w.dtype);
      const at = `output ${k} [${i}]: ${show(a)}, float64 ${show(r)}`;
      if (w.dtype !== 'float32') {
        if (a !== want32) return `${at} (exact)`;
        continue;
      }
      if (Math.fround(a) !== a && !Number.isNaN(a)) return `${at} (not a float32 value)`;
      if (Number.isNaN(r) || Number.isNaN(a)) {
        if (Number.isNaN(a) !== Number.isNaN(r)) return `${at} (NaN-ness)`;
        continue;
      }
      if (!Number.isFinite(want32) || !Number.isFinite(a)) {
        if (a !== want32) return `${at} (infinity)`;
        continue;
      }
      if (a === 0 && want32 === 0) {
        if (j.signedZero !== false && !Object.is(a, want32)) return `${at} (sign of zero)`;
        continue;
      }
      const m = w.mag ? w.mag[i]! : Math.abs(r);
      const bound =
        U * (1 + (j.ulps ?? 0)) * Math.max(Math.abs(r), j.scale ?? 2 ** -126) +
        (j.growth ?? 1) * terms * U * m +
        (j.abs ?? 0) +
        2 ** -149;
      if (!(Math.abs(a - r) <= bound))
        return `${at} (allowed ${bound.toExponential(2)}: ulps ${j.ulps ?? 0}, ${terms} terms)`;
    }
  }
  return undefined;
}

/** A known defect of tfjs-backend-cpu (listed with its float64 evidence in cpu_defects.ts). */
interface CpuDefect<P> {
  /** The defect's name in cpu_defects.ts. */
  name: CpuDefectName;
  /** Whether these parameters meet it. */
  when: (p: P) => boolean;
  /** cpu never returns on these parameters: do not run it. */
  hangs?: boolean;
}

/** One op family's property. */
export interface PropSpec<P> {
  /** Shown in reports and counts. */
  name: string;
  /** The op's parameters (shapes, attributes, data seed). */
  params: fc.Arbitrary<P>;
  /** The program to run on the backends (creates its inputs from `p`, returns the outputs). */
  program: (p: P) => () => tf.Tensor | tf.Tensor[];
  /** The outputs in float64, computed in plain TypeScript from the same inputs; throws where the op must. */
  float64: (p: P) => Ref[];
  /** Judgement, possibly depending on the case. */
  judge: Judge | ((p: P) => Judge);
  /** Cases in the normal run; the deep run multiplies this by {@link DEEP_FACTOR}. */
  runs: number;
  /** Where tfjs-backend-cpu is known to disagree with float64. */
  cpuDefects?: Array<CpuDefect<P>>;
}

/** Deep runs are this many times larger than the CI sample. */
const DEEP_FACTOR = 12;

const counts = new Map<string, number>();
const cpuCounts = new Map<string, number>();
const failures: string[] = [];

/** What a run gave: its outputs or its error. */
type Outcome = { outs: Out[] } | { error: unknown };

function attempt(run: () => Out[]): Outcome {
  try {
    return { outs: run() };
  } catch (error) {
    return { error };
  }
}

async function attemptAsync(run: () => Promise<Out[]>): Promise<Outcome> {
  try {
    return { outs: await run() };
  } catch (error) {
    return { error };
  }
}

/** The first value where two runs differ in their bits (NaN matches NaN), described. */
function sameBits(a: Out[], b: Out[]): string | undefined {
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!.values,
      y = b[k]!.values;
    if (x.length !== y.length) return `output ${k}: ${x.length} vs ${y.length} values`;
    for (let i = 0; i < x.length; i++)
      if (!Object.is(x[i], y[i])) return `output ${k} [${i}]: ${show(x[i]!)} vs ${show(y[i]!)}`;
  }
  return undefined;
}

/** Disagreement of an outcome with the float64 reference (or its error), described. */
function verdict(got: Outcome, want: { refs: Ref[] } | { error: unknown }, j: Judge): string | undefined {
  if ('error' in want)
    return 'error' in got ? undefined : `float64 refuses (${String(want.error)}) but it did not throw`;
  if ('error' in got) return `threw ${String(got.error)}`;
  return judge64(got.outs, want.refs, j);
}

/**
 * Checks `spec` on its number of random cases: every case's outputs on Lanes must agree with the
 * float64 reference within {@link judge64}'s tolerance (and an error there must be an error on
 * Lanes). tfjs-backend-cpu runs the same program and is judged alike: where it disagrees, the case
 * must meet one of the spec's listed cpu defects (counted per defect), else the property fails.
 */
export async function checkProperty<P>(spec: PropSpec<P>): Promise<number> {
  const numRuns = DEEP ? spec.runs * DEEP_FACTOR : spec.runs;
  let ran = 0;
  const property = fc.asyncProperty(spec.params, execArb, async (p, exec) => {
    ran++;
    const program = spec.program(p);
    let want: { refs: Ref[] } | { error: unknown };
    try {
      want = { refs: spec.float64(p) };
    } catch (error) {
      want = { error };
    }
    const j = typeof spec.judge === 'function' ? spec.judge(p) : spec.judge;
    const lanes = await attemptAsync(() => runLanes(exec, program));
    const lanesBad = verdict(lanes, want, j);
    if (lanesBad !== undefined) throw new Error(`${spec.name}: lanes ${lanesBad}`);
    // Thread-count determinism: the same build on one thread, unsplit, gives the same bits.
    if ('outs' in lanes && (exec.threads > 1 || exec.split)) {
      const single = await runLanes({ build: exec.build, threads: 1, split: false }, program);
      const differ = sameBits(lanes.outs, single);
      if (differ !== undefined) throw new Error(`${spec.name}: ${exec.threads} threads vs 1: ${differ}`);
    }
    const defect = spec.cpuDefects?.find((d) => d.when(p));
    if (defect?.hangs) {
      cpuCounts.set(defect.name, (cpuCounts.get(defect.name) ?? 0) + 1);
      return;
    }
    await tf.setBackend('cpu');
    const cpuBad = verdict(
      attempt(() => collect(program)),
      want,
      j,
    );
    if (cpuBad === undefined) return;
    if (defect === undefined)
      throw new Error(`${spec.name}: cpu ${cpuBad} (lanes agrees with float64; no listed cpu defect applies)`);
    cpuCounts.set(defect.name, (cpuCounts.get(defect.name) ?? 0) + 1);
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
    const cpu = [...cpuCounts].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(
      `[prop] ${file}: ${total} float64-judged cases, ${failures.length} failing properties${failures.length ? ` (${failures.join(', ')})` : ''} (${detail}); cpu's listed defects met: ${cpu || 'none'}`,
    );
    const dir = process.env.LANES_PROP_COUNTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, `${file}.json`),
        JSON.stringify({
          total,
          failures,
          counts: Object.fromEntries(counts),
          cpuDefects: Object.fromEntries(cpuCounts),
        }),
      );
    }
  });
}
