import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectChecked, runNode, targets } from './targets/expect.js';

// `pnpm pack` of each SDK package, installed into a scratch project outside the workspace: catches
// workspace-only paths, files missing from `files`, and dependencies that only resolve in the repo.
const packages = join(import.meta.dirname, '../..');
const SDK = ['kernels-wasm', 'core', 'models'];

// The pnpm running the tests (a JS entry or pnpm 12's native executable), else pnpm via npx.
const execpath = process.env.npm_execpath ?? '';
const pnpm = !execpath.includes('pnpm')
  ? ['npx', '-y', 'pnpm@12.4.2']
  : /\.[cm]?js$/.test(execpath)
    ? [process.execPath, execpath]
    : [execpath];

// Asynchronous, so the test worker keeps answering vitest during the minute this takes.
async function run(args: string[], cwd: string): Promise<void> {
  await promisify(execFile)(args[0]!, args.slice(1), { cwd, encoding: 'utf8' });
}

const work = mkdtempSync(join(tmpdir(), 'lanes-pack-'));
const app = join(work, 'app');

beforeAll(async () => {
  const tarballs: Record<string, string> = {};
  for (const p of SDK) {
    await run([...pnpm, 'pack', '--pack-destination', work], join(packages, p));
    const file = readdirSync(work).find((f) => f.startsWith(`lanes-${p}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack wrote no tarball for @lanes/${p}`);
    tarballs[`@lanes/${p}`] = `file:${join(work, file)}`;
  }
  mkdirSync(app);
  const tf = {
    '@tensorflow/tfjs-core': '4.22.0',
    '@tensorflow/tfjs-backend-cpu': '4.22.0',
    '@tensorflow/tfjs-layers': '4.22.0',
  };
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      { name: 'lanes-pack-check', private: true, type: 'module', dependencies: { ...tarballs, ...tf } },
      null,
      2,
    ),
  );
  // The tarballs name each other by version (@lanes/core → @lanes/kernels-wasm 0.1.0): point those at the tarballs too.
  writeFileSync(
    join(app, 'pnpm-workspace.yaml'),
    `overrides:\n${Object.entries(tarballs)
      .map(([k, v]) => `  '${k}': '${v}'`)
      .join('\n')}\n`,
  );
  // Offline: everything else comes from the store the workspace install filled.
  await run([...pnpm, 'install', '--offline', '--config.confirmModulesPurge=false'], app);
  for (const f of ['check.mjs', 'esm.mjs', 'cjs.cjs', 'models.mjs']) copyFileSync(join(targets, f), join(app, f));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packed tarballs installed outside the workspace', () => {
  it('ESM import of @lanes/core: conv + LSTM on lanes equal cpu', () => expectChecked(runNode('esm.mjs', app)));
  it('CommonJS require of @lanes/core: conv + LSTM on lanes equal cpu', () => expectChecked(runNode('cjs.cjs', app)));
  it('@lanes/models ships the pretrained mnist-cnn and the MNIST data it classifies', () => {
    const r = runNode('models.mjs', app) as unknown as { backend: string; n: number; accuracy: number };
    expect(r.backend).toBe('lanes');
    expect(r.n).toBe(200);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
