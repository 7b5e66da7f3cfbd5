// Runs every suite in turn — the build, each package's vitest run, tfjs-core's conformance suite
// against 'lanes' — and ends with one line summing them: "N passed, N failed".
// A suite that crashes or reports nothing counts as a failure, so a run that tested nothing cannot pass.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
// The pnpm that runs this script: a JS entry (run it with node) or a native executable.
const execpath = process.env.npm_execpath ?? '';
const pnpm = !execpath.includes('pnpm')
  ? ['npx', '-y', 'pnpm@12.4.2']
  : /\.[cm]?js$/.test(execpath)
    ? [process.execPath, execpath]
    : [execpath];
let passed = 0,
  failed = 0;
const problems = [];

function run(label, args, cwd = root) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(args[0], args.slice(1), { cwd, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

if (!run('build', [...pnpm, 'exec', 'turbo', 'run', 'build'])) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

// The browser tests drive Debian's chromium; install it on a fresh machine (as root) if missing.
if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0) {
  run('install chromium', ['sh', '-c', 'apt-get update -qq && apt-get install -y -qq chromium > /dev/null']);
}

// Strict types and no unused code in every package (tsc; the AssemblyScript is checked by asc in the build),
// then `pnpm lint`'s repository-wide checks (formatting, import cycles, unused exports, assembly columns).
if (run('typecheck and lint', [...pnpm, 'exec', 'turbo', 'run', 'typecheck']) && run('lint', [...pnpm, 'run', 'lint']))
  passed++;
else {
  failed++;
  problems.push('typecheck/lint failed');
}

const packages = ['kernels-wasm', 'core', 'models', 'cli', 'web-demo'];
for (const p of packages) {
  const dir = join(root, 'packages', p);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const results = join(dir, '.results/vitest.json');
  rmSync(results, { force: true });
  const ok = run(`@lanes/${p} tests`, [...pnpm, 'run', 'test'], dir);
  if (!existsSync(results)) {
    failed++;
    problems.push(`@lanes/${p}: no results file (the runner crashed before reporting)`);
    continue;
  }
  const r = JSON.parse(readFileSync(results, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // Name each failed test in the closing lines: CI may show only the tail of this output.
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'failed') continue;
      const why = (t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      problems.push(`@lanes/${p}: ${t.fullName} — ${why}`);
    }
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) {
      problems.push(
        `@lanes/${p}: ${file.name.split('/packages/')[1] ?? file.name} — ${(file.message ?? '').split('\n')[0].slice(0, 300)}`,
      );
    }
  }
  if (r.numTotalTests === 0) {
    failed++;
    problems.push(`@lanes/${p}: ran no test`);
  }
  if (!ok && r.numFailedTests === 0) {
    failed++;
    problems.push(`@lanes/${p}: exited non-zero with no failed test (a suite failed to load?)`);
  }
}

// tfjs-core's own suite on 'lanes': from the sources, and from the packed tarball in a scratch app.
for (const [variant, flags] of [
  ['lanes', []],
  ['lanes-packed', ['--packed']],
]) {
  const results = join(root, `packages/core/.results/conformance${variant === 'lanes' ? '' : `-${variant}`}.json`);
  rmSync(results, { force: true });
  const ok = run(
    `tfjs-core conformance (${variant})`,
    [...pnpm, 'run', 'conformance', ...flags],
    join(root, 'packages/core'),
  );
  if (!existsSync(results)) {
    failed++;
    problems.push(`conformance (${variant}): no results file`);
    continue;
  }
  const r = JSON.parse(readFileSync(results, 'utf8'));
  passed += r.passed;
  failed += r.failed;
  if (!ok) {
    failed++;
    problems.push(`conformance (${variant}): passing specs fell below the floor (${r.passed} < ${r.floor})`);
  }
  const details = join(root, `packages/core/.results/conformance-failures-${variant}.txt`);
  if (r.failed > 0 && existsSync(details)) {
    for (const line of readFileSync(details, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith(' '))
      .slice(0, 10))
      problems.push(`conformance (${variant}): ${line}`);
  }
}

// publint and attw on every published package as packed (each check counts once).
const packs = join(root, '.results/packages.json');
rmSync(packs, { force: true });
run('packed packages: publint and attw', [process.execPath, join(root, 'scripts/check-packages.mjs')]);
if (existsSync(packs)) {
  const r = JSON.parse(readFileSync(packs, 'utf8'));
  passed += r.passed;
  failed += r.failed;
  for (const f of r.failures) problems.push(`packages: ${f}`);
} else {
  failed++;
  problems.push('packages: no results file');
}

// The API docs must build with no warnings (typedoc treats them as errors here).
if (run('API docs (typedoc, warnings are errors)', [...pnpm, 'exec', 'typedoc'])) passed++;
else {
  failed++;
  problems.push('typedoc: the API docs did not build cleanly');
}

// Every ```ts example in doc comments and READMEs type-checks against the built packages.
if (run('doc examples (type-checked)', [process.execPath, join(root, 'scripts/check-doc-examples.mjs')])) passed++;
else {
  failed++;
  problems.push('doc examples: an example does not type-check');
}

for (const p of problems) console.log(`problem: ${p}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
