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
import { relativeError, transpose } from './data.mjs';
import { ortRelease, ortRun, ortSession, ortVersion, useOrtThreads } from './ort.mjs';
import { evaluateTargets, formatConsole, updateReadme } from './report.mjs';
import { measureBandwidth, measurePeakScaling } from './peak.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * glibc settings for the case processes: keep freed memory instead of handing it back to the
 * kernel, so that with a GC before each run a readback reuses pages it has touched before. The
 * same for every contender; without them the page faults of the readback (not the kernels) made
 * up a third of matmul 512³ and made max-pool bimodal (1.3 or 6.5 ms).
 */
const PAGE_FAULT_ENV = { MALLOC_MMAP_THRESHOLD_: '2000000000', MALLOC_TRIM_THRESHOLD_: '4000000000' };

/** Idle time after the garbage collection before each run, while V8's background sweeping finishes. */
const GC_SETTLE_MS = 20;

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
 * A tfjs backend, or onnxruntime-web (`engine: 'ort'`, wasm execution provider) at a thread count.
 * @typedef {{ id: string, label: string, backend?: string, engine?: 'ort', threads?: number, note?: string }} Contender
 */

function contenders(cores) {
  /** @type {Contender[]} */
  return [
    { id: 'lanes-1t', label: 'lanes 1 thread', backend: 'lanes-1t', threads: 1 },
    { id: 'lanes-nt', label: `lanes ${cores} threads`, backend: 'lanes', threads: cores },
    { id: 'lanes-simd-1t', label: 'lanes plain SIMD 1 thread', backend: 'lanes-simd', threads: 1 },
    { id: 'tfjs-wasm', label: 'tfjs-wasm', backend: 'wasm' },
    { id: 'tfjs-cpu', label: 'tfjs-cpu', backend: 'cpu' },
    { id: 'ort-1t', label: 'ORT-web 1 thread', engine: 'ort', threads: 1 },
    { id: 'ort-nt', label: `ORT-web ${cores} threads`, engine: 'ort', threads: cores },
  ];
}

/**
 * The processes of one case: ORT fixes its thread pool when it starts, so its all-threads run
 * gets a second process, where it alternates with all-threads 'lanes' (the pair its ratio uses).
 */
function caseProcesses(c, all) {
  const ids = all.filter((k) => !(c.skip ?? []).includes(k.id) && (k.engine !== 'ort' || c.onnx)).map((k) => k.id);
  const first = ids.filter((id) => id !== 'ort-nt');
  const second = ids.includes('ort-nt') ? ['lanes-nt', 'ort-nt'] : [];
  return [first, second].filter((p) => p.length > 0);
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
  const data = c.data?.();
  const states = [];
  let spec, reference;
  for (const k of ks) {
    const s = { k, times: [], cpuTimes: [], faults: [], spent: 0, want: MIN_RUNS, caller: 0, workers: 0 };
    states.push(s);
    try {
      if (k.engine === 'ort') {
        spec ??= c.onnx(data);
        s.inputs = await ortSession(spec);
        reference ??= await lanesOutput(c, data);
        s.agreement = checkAgreement(c, spec, await ortRun(s.inputs), reference);
        log(
          `    ${k.label} agrees with 'lanes': largest error ${s.agreement.toExponential(1)} of the output's magnitude`,
        );
      } else {
        await tf.setBackend(k.backend);
        s.inputs = c.setup(data);
      }
    } catch (e) {
      log(`    ${k.label}, ${c.name}: ${firstLine(e)}`);
      s.result = { error: firstLine(e) };
    }
  }
  const once = async (s) => {
    if (s.k.engine === 'ort') return timed(() => ortRun(s.inputs));
    await tf.setBackend(s.k.backend);
    const pool = s.k.backend === 'lanes' && s.k.threads > 1 ? tf.backend().pool : undefined;
    const before = pool?.chunkCounts();
    const r = await timed(() => readback(c.run(s.inputs)));
    if (pool && before) {
      // How the split jobs were shared: a starved worker (other processes on the cores) shows here.
      const after = pool.chunkCounts();
      s.caller += after.caller - before.caller;
      s.workers += after.workers.reduce((sum, w, i) => sum + w - (before.workers[i] ?? 0), 0);
    }
    return r;
  };
  /** One timed run, its page faults noted in `s.faults`. */
  async function timed(work) {
    // Free earlier runs' readback arrays first, so that this run's come from memory the process
    // already holds: on this VM a first touch of a fresh page costs ~13 µs, which turned a 1 MB
    // readback into 3.3 ms of page faults for every contender (see PAGE_FAULT_ENV). Then idle a
    // moment: V8 sweeps after a full collection on background threads, and a run started at once
    // shared the second core with them (matmul 512³ on 2 threads: 1.29× one thread right after
    // gc(), 1.88× 2 ms later; MobileNetV2 1.32× against 1.62× after 20 ms).
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, GC_SETTLE_MS));
    const f = process.resourceUsage().minorPageFault;
    const t = performance.now(),
      u = process.cpuUsage();
    await work();
    const d = process.cpuUsage(u);
    const ms = performance.now() - t;
    faults.push(process.resourceUsage().minorPageFault - f);
    return { ms, cpuMs: (d.user + d.system) / 1000 };
  }
  let faults;
  const fail = (s, e) => {
    log(`    ${s.k.label}, ${c.name}: ${firstLine(e)}`);
    s.result = { error: firstLine(e) };
  };
  // Warm-up; the first run also decides how many runs a slow contender gets.
  for (const s of states) {
    if (s.result) continue;
    try {
      faults = s.faults;
      const first = await once(s);
      if (first.ms > SINGLE_RUN_MS)
        s.result = { ms: first.ms, cpuMs: first.cpuMs, runs: 1, note: 'one run, no warm-up (too slow to repeat)' };
      else if (first.ms > FEW_RUNS_MS) s.want = 3;
      else {
        faults = s.faults;
        await once(s);
      }
    } catch (e) {
      fail(s, e);
    }
  }
  const timing = (s) => !s.result && (s.times.length < s.want || (s.times.length < MAX_RUNS && s.spent < BUDGET_MS));
  for (let active = states.filter(timing); active.length > 0; active = states.filter(timing)) {
    for (const s of active) {
      try {
        faults = s.faults;
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
    if (s.k.engine === 'ort') {
      if (s.inputs) await ortRelease(s.inputs);
    } else {
      await tf.setBackend(s.k.backend);
      if (c.teardown && s.inputs !== undefined) c.teardown(s.inputs);
      else tf.dispose(s.inputs);
    }
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
    if (s.agreement !== undefined) r.agreement = s.agreement;
    results[s.k.id] = r;
  }
  return results;
}

/** The case's output on one-thread 'lanes': the reference ORT must agree with. */
async function lanesOutput(c, data) {
  await tf.setBackend('lanes-1t');
  const inputs = c.setup(data);
  const y = await c.run(inputs);
  const values = await y.data();
  y.dispose();
  if (c.teardown) c.teardown(inputs);
  else tf.dispose(inputs);
  return values;
}

/** ORT's output (in tfjs' layout) against 'lanes': the relative error, or a throw past the tolerance. */
function checkAgreement(c, spec, ortValues, reference) {
  const got = spec.layout ? transpose(ortValues, spec.layout.dims, spec.layout.perm) : ortValues;
  const err = relativeError(got, reference);
  const tolerance = c.tolerance ?? 1e-4;
  if (!(err <= tolerance))
    throw new Error(
      `MISMATCH: onnxruntime-web and 'lanes' disagree on ${c.name}: largest error ${err.toExponential(2)} ` +
        `of the output's magnitude, tolerance ${tolerance} (the ONNX graph is not the tfjs one)`,
    );
  return err;
}

/** Whether this bench runs from the repository (packages/core/bench), not from an installed @lanes/cli. */
function inRepository() {
  return (
    here.endsWith(join('packages', 'core', 'bench')) && existsSync(join(here, '..', '..', '..', 'pnpm-workspace.yaml'))
  );
}

function parseArgs(argv) {
  const opts = {
    only: undefined,
    cases: undefined,
    backends: undefined,
    write: true,
    case: undefined,
    emit: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') opts.only = argv[++i];
    else if (argv[i] === '--cases') opts.cases = argv[++i].split(',');
    else if (argv[i] === '--backends') opts.backends = argv[++i].split(',');
    else if (argv[i] === '--no-write') opts.write = false;
    else if (argv[i] === '--case') opts.case = argv[++i];
    else if (argv[i] === '--emit') opts.emit = argv[++i];
    else if (argv[i] === '--list') opts.list = true;
    else if (argv[i] === '--report') opts.report = true;
    else
      throw new Error(
        `bench: unknown argument ${argv[i]} (use --cases <ids>, --only <text>, --backends <ids>, --no-write, --list, --report)`,
      );
  }
  if (opts.cases) {
    const known = new Set(cases.map((c) => c.id));
    const unknown = opts.cases.filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`bench: no case ${unknown.join(', ')}; the cases are ${[...known].join(', ')}`);
  }
  // A partial run must not replace the committed results and README table, and only the repository
  // has them (`lanes bench` from an install prints its table and writes nothing).
  if (opts.only || opts.backends || opts.cases || !inRepository()) opts.write = false;
  return opts;
}

/** Sets every contender up (threads), noting a pool that started fewer threads than asked. */
async function prepareContenders(all, log) {
  registerOneThreadBackends();
  for (const k of all) {
    if (k.engine === 'ort') {
      useOrtThreads(k.threads);
      continue;
    }
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
  const c = cases.find((x) => x.id === opts.case);
  if (!c) throw new Error(`bench: no case ${opts.case}`);
  const all = contenders(os.availableParallelism()).filter((k) => !opts.backends || opts.backends.includes(k.id));
  await prepareContenders(all, log);
  const r = await timeCaseSideBySide(c, all, log);
  const cnn = r['tfjs-wasm'];
  if (c.id === 'cnn-train' && cnn?.error) cnn.error = `tfjs-wasm cannot train this CNN: ${cnn.error}`;
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

/** Runs `ids` on case `c` in a fresh process; what it measured, or an error for each contender. */
function runCaseProcess(c, ids, log) {
  const emit = join(tmpdir(), `lanes-bench-${process.pid}.json`);
  rmSync(emit, { force: true });
  const args = [
    ...process.execArgv,
    '--expose-gc',
    join(here, 'run.mjs'),
    '--case',
    c.id,
    '--emit',
    emit,
    '--backends',
    ids.join(','),
  ];
  const child = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...PAGE_FAULT_ENV } });
  if (child.status !== 0 || !existsSync(emit)) {
    const error = `the case's process failed (exit ${child.status ?? child.signal})`;
    log(`    ${error}`);
    return { results: Object.fromEntries(ids.map((id) => [id, { error }])) };
  }
  const got = JSON.parse(readFileSync(emit, 'utf8'));
  rmSync(emit, { force: true });
  return got;
}

export async function main(argv, { measurePeak }) {
  const opts = parseArgs(argv);
  const log = (s) => console.log(s);
  if (opts.list) {
    for (const c of cases) log(`${c.id.padEnd(14)} ${c.name}`);
    return;
  }
  if (opts.report) {
    // Re-derive the targets, the console report and the README table from the saved results.
    const report = JSON.parse(readFileSync(join(here, 'results.json'), 'utf8'));
    report.targets = evaluateTargets(report);
    log(formatConsole(report));
    writeFileSync(join(here, 'results.json'), JSON.stringify(report, null, 2) + '\n');
    updateReadme(join(here, '..', '..', '..', 'README.md'), report);
    return;
  }
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
  const bandwidth = measureBandwidth();
  log(
    `memory bandwidth, one thread (f32x4 copy of 64 MiB, read + write): ${bandwidth.wall.toFixed(1)} GB/s (${bandwidth.cpu.toFixed(1)} by CPU time)`,
  );

  const peakScaling = cores > 1 ? await measurePeakScaling(cores) : undefined;
  if (peakScaling)
    log(
      `f32x4 FMA loop on ${cores} threads at once: ${peakScaling.allThreads.toFixed(1)} GFLOP/s against ` +
        `${peakScaling.oneThread.toFixed(1)} on one (${peakScaling.scaling.toFixed(2)}×: the ceiling of any kernel's ${cores}-thread speed-up now)`,
    );

  const selected = cases.filter(
    (c) => (!opts.only || c.name.includes(opts.only)) && (!opts.cases || opts.cases.includes(c.id)),
  );
  const all = contenders(cores).filter((k) => !opts.backends || opts.backends.includes(k.id));
  log(`contenders: ${all.map((k) => k.label).join(', ')}; each case in a fresh process`);
  const results = {};
  let lanesBuild;
  const failed = [];
  for (const c of selected) {
    log(`\n${c.name}`);
    results[c.name] = {};
    for (const ids of caseProcesses(c, all)) {
      const got = runCaseProcess(c, ids, log);
      if (got.lanesBuild) lanesBuild = got.lanesBuild;
      if (ids.includes('ort-nt')) {
        // the all-threads ORT process: its ratio is against the 'lanes' runs it alternated with
        const r = got.results['ort-nt'];
        const paired = got.results['lanes-nt'];
        results[c.name]['ort-nt'] = r && !r.error && paired && !paired.error ? { ...r, pairedLanesMs: paired.ms } : r;
      } else Object.assign(results[c.name], got.results);
    }
    for (const id of c.skip ?? [])
      if (all.some((k) => k.id === id)) results[c.name][id] = { error: 'not run: one run takes minutes' };
    for (const [id, r] of Object.entries(results[c.name]))
      if (r?.error?.startsWith('MISMATCH')) failed.push(`${c.name} (${id})`);
  }

  const report = {
    date: started.toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores,
    loadAverage: { start: load, end: os.loadavg() },
    lanesBuild,
    ortVersion: ortVersion(),
    peak,
    bandwidth,
    peakScaling,
    contenders: all,
    cases: selected.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      flops: c.flops,
      bytes: c.bytes,
      results: results[c.name],
    })),
  };
  report.targets = evaluateTargets(report);
  log('\n' + formatConsole(report));
  if (opts.write) {
    writeFileSync(join(here, 'results.json'), JSON.stringify(report, null, 2) + '\n');
    updateReadme(join(here, '..', '..', '..', 'README.md'), report);
    log('\nwrote bench/results.json and the README performance table');
  }
  if (failed.length) {
    log(`\nFAILED: onnxruntime-web's output disagreed with 'lanes' on ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}
