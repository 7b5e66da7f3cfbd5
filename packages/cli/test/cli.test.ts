import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const bin = join(import.meta.dirname, '../dist/main.js');
interface Run { status: number | null; stdout: string; stderr: string }
/** Runs the CLI without blocking this process's event loop (vitest's worker RPC needs it). */
function lanes(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** A failing run: non-zero exit, one line on stderr matching `message`, no stack trace. */
function expectFailure(r: Run, message: RegExp, code: number): void {
  expect(r.status, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('lanes CLI (built, spawned as a process)', () => {
  it('info --json reports the lanes backend with relaxed SIMD turned on by re-exec', async () => {
    const r = await lanes('--json', 'info');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('lanes');
    expect(report.lanes.build).toBe('relaxed-simd');
    expect(report.lanes.threads).toBeGreaterThanOrEqual(1);
    expect(report.relaxedSimd).toMatch(/re-ran Node/);
    expect(report.versions.tfjsCore).toBe('4.22.0');
  });

  it('global flags work after the command too: --backend wasm (wasm files found by the CLI), --threads', async () => {
    const wasm = await lanes('info', '--backend', 'wasm', '--json');
    expect(wasm.status, wasm.stderr).toBe(0);
    expect(JSON.parse(wasm.stdout).backend).toBe('wasm');
    const cpu = await lanes('info', '--backend', 'cpu', '--json');
    expect(JSON.parse(cpu.stdout).backend).toBe('cpu');
    const one = await lanes('info', '--threads', '1', '--json');
    expect(JSON.parse(one.stdout).lanes.threads).toBe(1);
  });

  it('--help lists the commands and every command has --help', async () => {
    const r = await lanes('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/info\s+backend, kernel build/);
    expect(r.stdout).toMatch(/--backend <name>/);
    const commands = [...r.stdout.split('Commands:')[1].matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const c of commands) {
      const h = await lanes(c, '--help');
      expect(h.status, c).toBe(0);
      expect(h.stdout, c).toMatch(new RegExp(`Usage: lanes ${c}`));
    }
  });

  it('usage errors: one line, exit 2', async () => {
    expectFailure(await lanes('frobnicate'), /unknown command 'frobnicate' — see lanes --help/, 2);
    expectFailure(await lanes('info', '--bogus'), /unknown option '--bogus'/, 2);
    expectFailure(await lanes('--backend', 'gpu', 'info'), /'gpu' is invalid. Allowed choices are lanes, wasm, cpu/, 2);
    expectFailure(await lanes('--threads', 'x', 'info'), /--threads expects a positive integer, got 'x'/, 2);
    expectFailure(await lanes('--json', 'bench'), /bench compares every backend .* --json, --threads and --backend do not apply — use `lanes bench/, 2);
  });
});

describe('workflows on a model trained by the CLI (short runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-cli-'));
  const cnn = join(dir, 'cnn');
  const gan = join(dir, 'gan');
  let trained: Run;

  beforeAll(async () => {
    trained = await lanes('train', 'cnn', '--epochs', '1', '--limit', '600', '--out', cnn, '--json');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('train cnn writes a model tf.loadLayersModel loads, a checkpoint, a curve and a JSON report', async () => {
    expect(trained.status, trained.stderr).toBe(0);
    const report = JSON.parse(trained.stdout);
    expect(report.epochsCompleted).toBe(1);
    expect(report.metrics.testAccuracy).toBeGreaterThan(0.3);
    for (const f of ['model.json', 'weights.bin', 'training-curve.png', 'training.json', 'checkpoint/model.json']) expect(existsSync(join(cnn, f)), f).toBe(true);
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const tfl = await import('@tensorflow/tfjs-layers');
    const { fileSystemHandler } = await import('@lanes/models/node');
    const model = await tfl.loadLayersModel(fileSystemHandler(cnn));
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(readdirSync(cnn).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('attack fgsm --json reports the accuracy drop and draws the triplets', async () => {
    const r = await lanes('attack', 'fgsm', '--model', cnn, '--n', '40', '--eps', '0.3', '--json', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.cleanAccuracy).toBeGreaterThan(0.3);
    expect(report.adversarialAccuracy).toBeLessThan(report.cleanAccuracy);
    expect(report.meanLinf).toBeCloseTo(0.3, 4);
    const png = PNG.sync.read(readFileSync(report.picture));
    expect(png.width).toBeGreaterThan(3 * 28 * 3);
  });

  it('train gan + generate write a valid PNG grid', async () => {
    const t = await lanes('train', 'gan', '--epochs', '1', '--limit', '64', '--out', gan, '--json');
    expect(t.status, t.stderr).toBe(0);
    const r = await lanes('generate', '--model', gan, '--n', '16', '--scale', '1', '--out', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const file = JSON.parse(r.stdout).picture;
    expect(readFileSync(file).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    const png = PNG.sync.read(readFileSync(file));
    expect([png.width, png.height]).toEqual([4 * 30 + 2, 4 * 30 + 2]);
  });

  it('bad inputs: one line saying what and how to fix it, exit 1 (2 for usage)', async () => {
    expectFailure(await lanes('eval', join(dir, 'nothing-here')), /no model at .*nothing-here — pass the directory a `lanes train` run wrote/, 1);
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'model.json'), '{ not json');
    expectFailure(await lanes('eval', bad), /cannot load the model in .*bad: .*not valid JSON/, 1);
    expectFailure(await lanes('attack', 'fgsm', '--model', gan, '--n', '4'), /wrong input shape: the model takes \[N, 100\] but MNIST digits are \[N, 28, 28, 1\]/, 1);
    expectFailure(await lanes('attack', 'zap'), /unknown attack 'zap' — choose one of fgsm/, 2);
    expectFailure(await lanes('train', 'resnet'), /unknown model 'resnet' — choose one of cnn/, 2);
  });
});
