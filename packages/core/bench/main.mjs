// The benchmark proper (run.mjs only makes sure relaxed SIMD is enabled first).
import * as os from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { LanesBackend, getBuildInfo, setThreadsCount } from '@lanes/core';
import { cases } from './cases.mjs';
import { evaluateTargets, formatConsole, updateReadme } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Timing policy: median of at least MIN_RUNS after warm-up, unless one run is very slow. */
const MIN_RUNS = 5;
const MAX_RUNS = 15;
/** Time per case and backend after which no more runs are added (beyond MIN_RUNS). */
const BUDGET_MS = 3000;
/** A first run slower than this is the only run (tfjs-cpu on the CNN step takes ~2 minutes). */
const SINGLE_RUN_MS = 20_000;
/** A first run slower than this gets 3 runs instead of MIN_RUNS. */
const FEW_RUNS_MS = 2000;

/**
 * @typedef {{ id: string, label: string, backend: string, threads?: number, note?: string }} Contender
 */

function contenders(cores) {
  /** @type {Contender[]} */
  return [
    { id: 'lanes-1t', label: 'lanes 1 thread', backend: 'lanes', threads: 1 },
    { id: 'lanes-nt', label: `lanes ${cores} threads`, backend: 'lanes', threads: cores },
    { id: 'lanes-simd-1t', label: 'lanes plain SIMD 1 thread', backend: 'lanes-simd', threads: 1 },
    { id: 'tfjs-wasm', label: 'tfjs-wasm', backend: 'wasm' },
    { id: 'tfjs-cpu', label: 'tfjs-cpu', backend: 'cpu' },
  ];
}

/** A second 'lanes' backend on the plain SIMD build, with the same kernels. */
function registerPlainSimd() {
  tf.registerBackend('lanes-simd', () => LanesBackend.create({ build: 'simd', threads: 1 }), -1);
  for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'lanes-simd' });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function readback(y) {
  if (y instanceof tf.Tensor) {
    await y.data();
    y.dispose();
  } else {
    const v = await y;
    for (const t of [v].flat()) if (t instanceof tf.Tensor) t.dispose();
  }
}

/** Times one case on the current backend: warm-up, then the median of the runs. */
async function timeCase(c, log) {
  const inputs = c.setup();
  try {
    const cpuTimes = [];
    const once = async () => {
      const t = performance.now(), u = process.cpuUsage();
      await readback(c.run(inputs));
      const d = process.cpuUsage(u);
      cpuTimes.push((d.user + d.system) / 1000);
      return performance.now() - t;
    };
    const first = await once();
    if (first > SINGLE_RUN_MS) return { ms: first, cpuMs: cpuTimes[0], runs: 1, note: 'one run, no warm-up (too slow to repeat)' };
    if (first < FEW_RUNS_MS) await once();
    cpuTimes.length = 0;
    const want = first > FEW_RUNS_MS ? 3 : MIN_RUNS;
    const times = [];
    let spent = 0;
    while (times.length < want || (times.length < MAX_RUNS && spent < BUDGET_MS)) {
      const t = await once();
      times.push(t);
      spent += t;
    }
    return { ms: median(times), cpuMs: median(cpuTimes), runs: times.length, min: Math.min(...times), max: Math.max(...times), ...(want < MIN_RUNS ? { note: `${times.length} runs (slow backend)` } : {}) };
  } catch (e) {
    log(`    ${c.name}: ${e.message.split('\n')[0]}`);
    return { error: e.message.split('\n')[0] };
  } finally {
    if (c.teardown) c.teardown(inputs);
    else tf.dispose(inputs);
  }
}

function parseArgs(argv) {
  const opts = { only: undefined, backends: undefined, write: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') opts.only = argv[++i];
    else if (argv[i] === '--backends') opts.backends = argv[++i].split(',');
    else if (argv[i] === '--no-write') opts.write = false;
    else throw new Error(`bench: unknown argument ${argv[i]} (use --only <text>, --backends <ids>, --no-write)`);
  }
  // A partial run must not replace the committed results and README table.
  if (opts.only || opts.backends) opts.write = false;
  return opts;
}

export async function main(argv, { measurePeak }) {
  const opts = parseArgs(argv);
  const cores = os.availableParallelism();
  const log = (s) => console.log(s);
  const started = new Date();
  const load = os.loadavg();
  log(`Lanes benchmark — Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, load average ${load.map((l) => l.toFixed(2)).join(' ')}`);
  if (load[0] > cores) log(`  note: the load average exceeds the core count: other processes share the CPU and the timings below suffer from it`);

  const peak = { mulAdd: measurePeak(false), fma: measurePeak(true) };
  const g = (p) => (p ? `${p.wall.toFixed(1)} GFLOP/s (${p.cpu.toFixed(1)} by CPU time)` : 'n/a');
  log(`f32x4 peak, one thread: mul+add ${g(peak.mulAdd)}, relaxed FMA ${g(peak.fma)}`);

  registerPlainSimd();
  const selected = cases.filter((c) => !opts.only || c.name.includes(opts.only));
  const all = contenders(cores).filter((k) => !opts.backends || opts.backends.includes(k.id));
  const results = Object.fromEntries(selected.map((c) => [c.name, {}]));
  let lanesBuild;
  for (const k of all) {
    await tf.setBackend(k.backend);
    if (k.threads !== undefined) {
      const got = k.backend === 'lanes' ? await setThreadsCount(k.threads) : await tf.backend().setThreads(k.threads);
      if (got !== k.threads) log(`  note: ${k.label}: only ${got} threads started`);
    }
    const info = k.backend.startsWith('lanes') ? tf.backend().buildInfo() : undefined;
    if (k.backend === 'lanes') lanesBuild = getBuildInfo().build;
    log(`\n${k.label}${info ? ` (build ${info.build}, ${info.threads} thread${info.threads > 1 ? 's' : ''})` : ''}`);
    for (const c of selected) {
      const pool = info && info.threads > 1 ? tf.backend().pool : undefined;
      const before = pool?.chunkCounts();
      const r = await timeCase(c, log);
      if (info) r.threads = info.threads;
      if (pool && before) {
        // How the split jobs were shared: a starved worker (other processes on the cores) shows here.
        const after = pool.chunkCounts();
        const caller = after.caller - before.caller;
        const workers = after.workers.reduce((s, w, i) => s + w - (before.workers[i] ?? 0), 0);
        if (caller + workers > 0) r.workerShare = workers / (caller + workers);
      }
      results[c.name][k.id] = r;
      if (!r.error) log(`    ${c.name.padEnd(34)} ${r.ms.toFixed(2).padStart(10)} ms  (${r.runs} run${r.runs > 1 ? 's' : ''})` +
        (r.workerShare !== undefined ? `, workers ran ${(100 * r.workerShare).toFixed(0)} % of the chunks` : ''));
    }
    if (k.backend === 'wasm') {
      const cnn = results['MNIST CNN train step (batch 64)']?.[k.id];
      if (cnn?.error) cnn.error = `tfjs-wasm cannot train this CNN: ${cnn.error}`;
    }
  }
  await tf.setBackend('lanes');
  await setThreadsCount(cores);

  const report = {
    date: started.toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores,
    loadAverage: { start: load, end: os.loadavg() },
    lanesBuild,
    peak,
    contenders: all,
    cases: selected.map((c) => ({ name: c.name, flops: c.flops, bytes: c.bytes, results: results[c.name] })),
  };
  report.targets = evaluateTargets(report);
  log('\n' + formatConsole(report));
  if (opts.write) {
    writeFileSync(join(here, 'results.json'), JSON.stringify(report, null, 2) + '\n');
    updateReadme(join(here, '..', '..', '..', 'README.md'), report);
    log('\nwrote bench/results.json and the README performance table');
  }
}
