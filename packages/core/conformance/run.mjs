// tfjs-core 4.22's own test suite (dist/tests.js) against a backend, with no exclusion list.
//
//   node conformance/run.mjs                  'lanes' (from src, so one tfjs-core copy is loaded)
//   node conformance/run.mjs --backend cpu    tfjs-backend-cpu, to validate the harness
//   node conformance/run.mjs --filter conv2d  only specs whose full name contains 'conv2d' (debugging;
//                                             writes no results and checks no floor)
//   node conformance/run.mjs --verbose        also print every failure message
//   node conformance/run.mjs --memory plain   'lanes' on a plain (non-shared) memory, as in a page
//                                             without cross-origin isolation; also --build, --threads
//   node conformance/run.mjs --packed         'lanes' from the packed @lanes/core tarball, installed into
//                                             a scratch app with its own tfjs-core (what users get)
//
// Prints pass/fail counts per top-level describe (≈ per op or kernel) and a final
// "N passed, N failed" line. For 'lanes' it writes .results/conformance.json = {passed, failed, floor}
// and exits non-zero when fewer specs pass than conformance/floor.json says.
//
// tfjs-core's dist files are ES modules with extension-less imports, so they are bundled with
// esbuild first: `ignoreAnnotations` keeps the test files that tfjs-core's `sideEffects` field would
// drop, and `mainFields: ['module', 'main']` makes the backend's `@tensorflow/tfjs-core` import the
// same dist files the tests import (one engine, one kernel registry, one Tensor class).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { installScratchApp, packTarballs } from '../../../scripts/scratch-app.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const coreDir = join(here, '..');
const resultsDir = join(coreDir, '.results');

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'lanes' },
    filter: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    memory: { type: 'string' },
    build: { type: 'string' },
    threads: { type: 'string' },
    packed: { type: 'boolean', default: false },
  },
});
const backend = args.backend;
/** LanesBackendOptions from the flags; a run with any of them is a variant with its own results file. */
const lanesOptions = {
  ...(args.memory ? { sharedMemory: args.memory !== 'plain' } : {}),
  ...(args.build ? { build: args.build } : {}),
  ...(args.threads ? { threads: Number(args.threads) } : {}),
};
const variant = [
  backend,
  ...Object.entries(lanesOptions).map(([k, v]) => `${k}=${v}`),
  ...(args.packed ? ['packed'] : []),
].join('-');
if (args.packed && backend !== 'lanes') {
  console.error('--packed tests the @lanes/core tarball: it applies to --backend lanes only');
  process.exit(2);
}

// Where the suite's imports resolve: this package (the sources), or a scratch app holding the packed
// tarballs of @lanes/kernels-wasm and @lanes/core beside its own tfjs-core, tfjs-backend-cpu and jasmine.
let appDir = coreDir;
let scratch;
if (args.packed) {
  scratch = mkdtempSync(join(tmpdir(), 'lanes-conformance-'));
  appDir = join(scratch, 'app');
  const dev = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')).devDependencies;
  const tarballs = await packTarballs(['kernels-wasm', 'core'], join(scratch, 'tarballs'));
  const deps = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', 'jasmine-core'];
  await installScratchApp(appDir, { ...tarballs, ...Object.fromEntries(deps.map((d) => [d, dev[d]])) }, { tarballs });
  for (const f of ['entry.mjs', 'setup.mjs']) copyFileSync(join(here, f), join(appDir, f));
}
const lanesImport = args.packed ? '@lanes/core' : join(coreDir, 'src/index.ts');
const backendModules = {
  lanes: `import { getBuildInfo, registerLanesBackend } from ${JSON.stringify(lanesImport)};
import { removeBackend, setBackend } from '@tensorflow/tfjs-core';
removeBackend('lanes');
registerLanesBackend(${JSON.stringify(lanesOptions)});
export async function backendInfo() { await setBackend('lanes'); return JSON.stringify(getBuildInfo()); }`,
  cpu: "import '@tensorflow/tfjs-backend-cpu';\nexport async function backendInfo() { return 'tfjs-backend-cpu'; }",
};
if (!(backend in backendModules)) {
  console.error(`unknown --backend ${backend}; use one of: ${Object.keys(backendModules).join(', ')}`);
  process.exit(2);
}

const started = performance.now();

// ---- bundle -------------------------------------------------------------------------------------
// In the scratch app when packed, so that the external @lanes/kernels-wasm resolves to its tarball.
const bundleFile = join(args.packed ? appDir : here, '.bundle', `tests-${variant}.mjs`);
const { metafile } = await build({
  metafile: true,
  entryPoints: [join(appDir === coreDir ? here : appDir, 'entry.mjs')],
  outfile: bundleFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  ignoreAnnotations: true,
  logLevel: 'error',
  // Loaded by Node at run time: it finds its .wasm files beside its own dist/ (it holds no tfjs-core).
  external: ['@lanes/kernels-wasm'],
  // Bundled CommonJS (jasmine-core, tfjs-core's require('…') of Node built-ins) needs a require.
  banner: {
    js: "import { createRequire as __lanesCreateRequire } from 'node:module'; const require = __lanesCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'conformance-backend',
      setup(b) {
        b.onResolve({ filter: /^conformance:backend$/ }, () => ({ path: 'backend', namespace: 'conformance' }));
        b.onLoad({ filter: /.*/, namespace: 'conformance' }, () => ({
          contents: `${backendModules[backend]}\nexport const backendName = ${JSON.stringify(backend)};\n`,
          resolveDir: appDir,
          loader: 'js',
        }));
      },
    },
  ],
});
// Two tfjs-core copies would mean two kernel registries: the suite would not test what it seems to.
const engines = Object.keys(metafile.inputs).filter((p) => /tfjs-core\/dist\/(engine\.js|tf-core[^/]*\.js)$/.test(p));
if (engines.length !== 1) {
  console.error(`expected one tfjs-core engine in the bundle, found: ${engines.join(', ') || 'none'}`);
  process.exit(2);
}
const bundledAt = performance.now();

// ---- run ------------------------------------------------------------------------------------------
const envSuffix = new RegExp(` ${backend} \\{.*\\}$`);
/** @type {Map<string, {passed: number, failed: number}>} */
const groups = new Map();
const failures = [];
const suiteStack = [];
let passed = 0,
  failed = 0,
  skipped = 0,
  suiteErrors = 0;

function groupOf() {
  const top = suiteStack[0] ?? '(top level)';
  return top.replace(envSuffix, '');
}

function countIn(group, key) {
  let g = groups.get(group);
  if (!g) groups.set(group, (g = { passed: 0, failed: 0 }));
  g[key]++;
}

function firstLine(message) {
  return String(message).split('\n')[0].slice(0, 300);
}

const reporter = {
  suiteStarted(r) {
    suiteStack.push(r.description);
  },
  suiteDone(r) {
    // An error in beforeAll/afterAll or at describe time: its specs may still have passed, so count it apart.
    if (r.failedExpectations?.length) {
      suiteErrors += r.failedExpectations.length;
      countIn(groupOf(), 'failed');
      for (const e of r.failedExpectations) failures.push(`${r.fullName} [suite]\n    ${firstLine(e.message)}`);
    }
    suiteStack.pop();
  },
  specDone(r) {
    if (r.status === 'passed') {
      passed++;
      countIn(groupOf(), 'passed');
    } else if (r.status === 'failed') {
      failed++;
      countIn(groupOf(), 'failed');
      failures.push(`${r.fullName}\n    ${r.failedExpectations.map((e) => firstLine(e.message)).join('\n    ')}`);
    } else if (r.status !== 'excluded') skipped++;
  },
  jasmineDone(r) {
    for (const e of r.failedExpectations ?? []) {
      suiteErrors++;
      failures.push(`(global) ${firstLine(e.message)}`);
    }
  },
};

const { runSuite, backendInfo } = await import(pathToFileURL(bundleFile).href);
console.log(`backend '${backend}': ${await backendInfo()}`);
await runSuite(reporter, args.filter);
const seconds = (performance.now() - started) / 1000;

// ---- report ---------------------------------------------------------------------------------------
const sorted = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
const failing = sorted.filter(([, g]) => g.failed > 0);
const passing = sorted.filter(([, g]) => g.failed === 0);
console.log(
  `\ntfjs-core conformance on '${backend}'${variant !== backend ? ` (${variant})` : ''}: ${groups.size} describes`,
);
if (passing.length) {
  console.log(`\nall passing (describe specs):`);
  let line = ' ';
  for (const [name, g] of passing) {
    const item = ` ${name} ${g.passed},`;
    if (line.length + item.length > 110) {
      console.log(line);
      line = ' ';
    }
    line += item;
  }
  console.log(line.replace(/,$/, ''));
}
if (failing.length) {
  console.log(`\nwith failures (describe: passed/total):`);
  for (const [name, g] of failing) console.log(`  ${name}: ${g.passed}/${g.passed + g.failed}`);
}
if (args.verbose && failures.length) console.log(`\nfailures:\n${failures.join('\n')}`);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `conformance-failures-${variant}.txt`), failures.join('\n') + '\n');
const totalFailed = failed + suiteErrors;
console.log(
  `\nbundled in ${((bundledAt - started) / 1000).toFixed(1)} s, ran in ${seconds.toFixed(1)} s total` +
    (skipped ? `; ${skipped} pending` : '') +
    (suiteErrors ? `; ${suiteErrors} suite-level errors counted as failures` : '') +
    `; failure details in .results/conformance-failures-${variant}.txt`,
);

let exitCode = 0;
if (args.filter === undefined) {
  const floorFile = join(here, 'floor.json');
  const floor = JSON.parse(readFileSync(floorFile, 'utf8'))[variant] ?? 0;
  const name = variant === 'lanes' ? 'conformance.json' : `conformance-${variant}.json`;
  writeFileSync(
    join(resultsDir, name),
    JSON.stringify({ passed, failed: totalFailed, floor, backend, seconds: Math.round(seconds) }, null, 2) + '\n',
  );
  if (passed < floor) {
    console.log(`\nFLOOR BROKEN: ${passed} specs pass on '${variant}', conformance/floor.json requires ${floor}.`);
    exitCode = 1;
  } else if (passed > floor && variant === 'lanes') {
    console.log(`\n${passed} specs pass, above the floor of ${floor}: raise conformance/floor.json.`);
  }
}
if (scratch) rmSync(scratch, { recursive: true, force: true });
console.log(`\n${passed} passed, ${totalFailed} failed`);
// Worker threads or timers left by a backend must not keep the process alive.
process.exit(exitCode);
