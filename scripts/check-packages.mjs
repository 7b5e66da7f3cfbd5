// publint and @arethetypeswrong/cli on every published package, as packed (`pnpm pack`): what npm
// users would download. Prints one line per check and "N passed, N failed"; writes
// .results/packages.json for scripts/test-all.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pnpmCommand } from './scratch-app.mjs';

const root = join(import.meta.dirname, '..');
const PUBLISHED = ['kernels-wasm', 'core', 'models', 'cli'];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pnpm = pnpmCommand();

const work = mkdtempSync(join(tmpdir(), 'lanes-publint-'));
let passed = 0;
let failed = 0;
const failures = [];
function check(label, args, cwd = root) {
  const r = spawnSync(args[0], args.slice(1), { cwd, encoding: 'utf8' });
  const ok = r.status === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok) {
    failed++;
    failures.push(label);
    console.log(`${r.stdout}${r.stderr}`.trim().split('\n').slice(-15).join('\n'));
  } else passed++;
  return ok;
}
try {
  for (const p of PUBLISHED) {
    const dir = join(work, p);
    mkdirSync(dir);
    if (!check(`pack @lanes/${p}`, [...pnpm, 'pack', '--pack-destination', dir], join(root, 'packages', p))) continue;
    const tarball = join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.tgz')),
    );
    check(`publint --strict @lanes/${p}`, [bin('publint'), 'run', tarball, '--strict']);
    check(`attw @lanes/${p}`, [bin('attw'), tarball, '--format', 'ascii']);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(join(root, '.results'), { recursive: true });
writeFileSync(join(root, '.results', 'packages.json'), JSON.stringify({ passed, failed, failures }, null, 2));
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
