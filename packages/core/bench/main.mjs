// The benchmark proper (run.mjs only makes sure relaxed SIMD is enabled first).
import * as os from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { LanesBackend, getBuildInfo, setThreadsCount } from '@lanes/core';
import { cases } from './cases.mjs';
import { evaluateTargets, formatConsole, updateReadme } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * glibc settings for the case processes: keep freed memory instead of handing it back to the
 * kernel, so that with a GC before each run a readback reuses pages it has touched before. The
 * same for every contender; without them the page faults of the readback (not the kernels) made
 * up a third of matmul 512³ and made max-pool bimodal (1.3 or 6.5 ms).
 */
const PAGE_FAULT_ENV = { MALLOC_MMAP_THRESHOLD_: '2000000000', MALLOC_TRIM_THRESHOLD_: '4000000000' };

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
    { id: 'lanes-1t', label: 'lanes 1 thread', backend: 'lanes-1t', threads: 1 },
    { id: 'lanes-nt', label: `lanes ${cores} threads`, backend: 'lanes', threads: cores },
    { id: 'lanes-simd-1t', label: 'lanes plain SIMD 1 thread', backend: 'lanes-simd', threads: 1 },
    { id: 'tfjs-wasm', label: 'tfjs-wasm', backend: 'wasm' },
    { id: 'tfjs-cpu', label: 'tfjs-cpu', backend: 'cpu' },
  ];
}

/**
 * One-thread 'lanes' backends beside the threaded one, with the same kernels: the best build and
 * the plain SIMD build. Separate backends, so the timing rounds below can alternate between them
 * without restarting workers.
 */
function registerOneThreadBackends() {
  for (const [name, build] of [
    ['lanes-1t', undefined],
    ['lanes-simd', 'simd'],
  ]) {
    tf.registerBackend(name, () => LanesBackend.create({ build, threads: 1 }), -1);
    for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: name });
  }
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

const firstLine = (e) => String(e?.message ?? e).split('\n')[0];

/**
 * Times one case on every contender, side by side: each gets its inputs and warm-up, then the
 * timed runs go round the contenders in turn, so that all of them see the same machine (on a
 * shared machine the load drifts over seconds; timing one backend after another would charge
 * that drift to whichever ran during a busy spell). Each contender's figure is the median of its
 * runs, and each run ends with a readback.
 */
async function timeCaseSideBySide(c, ks, log) {
  const states = [];
  for (const k of ks) {
    await tf.setBackend(k.backend);
    const s = { k, times: [], cpuTimes: [], faults: [], spent: 0, want: MIN_RUNS, caller: 0, workers: 0 };
    states.push(s);
    try {
      s.inputs = c.setup();
    } catch (e) {
      log(`    ${k.label}, ${c.name}: ${firstLine(e)}`);
      s.result = { error: firstLine(e) };
    }
  }
  const once = async (s) => {
    await tf.setBackend(s.k.backend);
    const pool = s.k.backend === 'lanes' && s.k.threads > 1 ? tf.backend().pool : undefined;
    const before = pool?.chunkCounts();
    // Free earlier runs' readback arrays first, so that this run's come from memory the process
    // already holds: on this VM a first touch of a fresh page costs ~13 µs, which turned a 1 MB
    // readback into 3.3 ms of page faults for every contender (see PAGE_FAULT_ENV).
    globalThis.gc?.();
    const f = process.resourceUsage().minorPageFault;
    const t = performance.now(),
      u = process.cpuUsage();
    await readback(c.run(s.inputs));
    const d = process.cpuUsage(u);
    const ms = performance.now() - t;
    s.faults.push(process.resourceUsage().minorPageFault - f);
    if (pool && before) {
      // How the split jobs were shared: a starved worker (other processes on the cores) shows here.
      const after = pool.chunkCounts();
      s.caller += after.caller - before.caller;
      s.workers += after.workers.reduce((sum, w, i) => sum + w - (before.workers[i] ?? 0), 0);
    }
    return { ms, cpuMs: (d.user + d.system) / 1000 };
  };
  const fail = (s, e) => {
    log(`    ${s.k.label}, ${c.name}: ${firstLine(e)}`);
    s.result = { error: firstLine(e) };
  };
  // Warm-up; the first run also decides how many runs a slow contender gets.
  for (const s of states) {
    if (s.result) continue;
    try {
      const first = await once(s);
      if (first.ms > SINGLE_RUN_MS)
        s.result = { ms: first.ms, cpuMs: first.cpuMs, runs: 1, note: 'one run, no warm-up (too slow to repeat)' };
      else if (first.ms > FEW_RUNS_MS) s.want = 3;
      else await once(s);
    } catch (e) {
      fail(s, e);
    }
  }
  const timing = (s) => !s.result && (s.times.length < s.want || (s.times.length < MAX_RUNS && s.spent < BUDGET_MS));
  for (let active = states.filter(timing); active.length > 0; active = states.filter(timing)) {
    for (const s of active) {
      try {
        const r = await once(s);
        s.times.push(r.ms);
        s.cpuTimes.push(r.cpuMs);
        s.spent += r.ms;
      } catch (e) {
        fail(s, e);
      }
    }
  }
  const results = {};
  for (const s of states) {
    await tf.setBackend(s.k.backend);
    if (c.teardown && s.inputs !== undefined) c.teardown(s.inputs);
    else tf.dispose(s.inputs);
    const r = s.result ?? {
      ms: median(s.times),
      cpuMs: median(s.cpuTimes),
      pageFaults: median(s.faults.slice(-s.times.length)),
      runs: s.times.length,
      min: Math.min(...s.times),
      max: Math.max(...s.times),
      ...(s.want < MIN_RUNS ? { note: `${s.times.length} runs (slow backend)` } : {}),
    };
    if (s.k.threads !== undefined && !r.error) r.threads = s.k.threads;
    if (s.caller + s.workers > 0) r.workerShare = s.workers / (s.caller + s.workers);
    results[s.k.id] = r;
  }
  return results;
}

function parseArgs(argv) {
  const opts = { only: undefined, backends: undefined, write: true, case: undefined, emit: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') opts.only = argv[++i];
    else if (argv[i] === '--backends') opts.backends = argv[++i].split(',');
    else if (argv[i] === '--no-write') opts.write = false;
    else if (argv[i] === '--case') opts.case = argv[++i];
    else if (argv[i] === '--emit') opts.emit = argv[++i];
    else throw new Error(`bench: unknown argument ${argv[i]} (use --only <text>, --backends <ids>, --no-write)`);
  }
  // A partial run must not replace the committed results and README table.
  if (opts.only || opts.backends) opts.write = false;
  return opts;
}

/** Sets every contender up (threads), noting a pool that started fewer threads than asked. */
async function prepareContenders(all, log) {
  registerOneThreadBackends();
  for (const k of all) {
    await tf.setBackend(k.backend);
    if (k.backend === 'lanes') {
      const got = await setThreadsCount(k.threads);
      if (got !== k.threads) log(`  note: ${k.label}: only ${got} threads started`);
    }
  }
}

/**
 * One case in a process of its own (`--case <name> --emit <file>`): what earlier cases allocated
 * (tfjs-cpu's arrays, the grown wasm memories) would otherwise weigh on the garbage collector and
 * slow the later cases down.
 */
async function runOneCase(opts, log) {
  const c = cases.find((x) => x.name === opts.case);
  if (!c) throw new Error(`bench: no case named ${opts.case}`);
  const all = contenders(os.availableParallelism()).filter((k) => !opts.backends || opts.backends.includes(k.id));
  await prepareContenders(all, log);
  const r = await timeCaseSideBySide(c, all, log);
  const cnn = r['tfjs-wasm'];
  if (c.name.startsWith('MNIST CNN') && cnn?.error) cnn.error = `tfjs-wasm cannot train this CNN: ${cnn.error}`;
  for (const k of all) {
    const x = r[k.id];
    if (x && !x.error)
      log(
        `    ${k.label.padEnd(28)} ${x.ms.toFixed(2).padStart(10)} ms  (${x.runs} run${x.runs > 1 ? 's' : ''})` +
          (x.pageFaults ? `, ${x.pageFaults} page faults a run` : '') +
          (x.workerShare !== undefined ? `, workers ran ${(100 * x.workerShare).toFixed(0)} % of the chunks` : ''),
      );
  }
  await tf.setBackend('lanes'); // getBuildInfo() reads the default 'lanes' backend, which --backends may have left out
  writeFileSync(opts.emit, JSON.stringify({ lanesBuild: getBuildInfo().build, results: r }));
}

export async function main(argv, { measurePeak }) {
  const opts = parseArgs(argv);
  const log = (s) => console.log(s);
  if (opts.case !== undefined) {
    await runOneCase(opts, log);
    process.exit(0); // the worker pools would keep the process alive
  }
  const cores = os.availableParallelism();
  const started = new Date();
  const load = os.loadavg();
  log(
    `Lanes benchmark — Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  if (load[0] > cores)
    log(
      `  note: the load average exceeds the core count: other processes share the CPU and the timings below suffer from it`,
    );

  const peak = { mulAdd: measurePeak(false), fma: measurePeak(true) };
  const g = (p) => (p ? `${p.wall.toFixed(1)} GFLOP/s (${p.cpu.toFixed(1)} by CPU time)` : 'n/a');
  log(`f32x4 peak, one thread: mul+add ${g(peak.mulAdd)}, relaxed FMA ${g(peak.fma)}`);

  const selected = cases.filter((c) => !opts.only || c.name.includes(opts.only));
  const all = contenders(cores).filter((k) => !opts.backends || opts.backends.includes(k.id));
  log(`contenders: ${all.map((k) => k.label).join(', ')}; each case in a fresh process`);
  const results = {};
  let lanesBuild;
  for (const c of selected) {
    log(`\n${c.name}`);
    const emit = join(tmpdir(), `lanes-bench-${process.pid}.json`);
    rmSync(emit, { force: true });
    const args = [
      ...process.execArgv,
      '--expose-gc',
      join(here, 'run.mjs'),
      '--case',
      c.name,
      '--emit',
      emit,
      ...(opts.backends ? ['--backends', opts.backends.join(',')] : []),
    ];
    const child = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...PAGE_FAULT_ENV } });
    if (child.status !== 0 || !existsSync(emit)) {
      const error = `the case's process failed (exit ${child.status ?? child.signal})`;
      log(`    ${error}`);
      results[c.name] = Object.fromEntries(all.map((k) => [k.id, { error }]));
      continue;
    }
    const got = JSON.parse(readFileSync(emit, 'utf8'));
    rmSync(emit, { force: true });
    lanesBuild = got.lanesBuild;
    results[c.name] = got.results;
  }

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
