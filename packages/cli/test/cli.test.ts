import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import { buildDcganGenerator, setModelMetadata } from '@lanes/models';
import { fileSystemHandler, loadMnist, pretrainedDir } from '@lanes/models/node';

const bin = join(import.meta.dirname, '../dist/main.js');
const shippedCnn = pretrainedDir('mnist-cnn');
const shippedRobust = join(shippedCnn, '..', 'mnist-cnn-robust');
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** Runs the CLI without blocking this process's event loop (vitest's worker RPC needs it). */
function lanes(...args: string[]): Promise<Run> {
  return collect(start(args));
}
function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args]);
}
function collect(child: ChildProcess): Promise<Run> {
  return new Promise((done) => {
    let stdout = '',
      stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
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

/** tfjs-layers on the cpu backend in this process, to load what the CLI saved. */
async function layers(): Promise<typeof import('@tensorflow/tfjs-layers')> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" banner
  await tf.setBackend('cpu');
  return import('@tensorflow/tfjs-layers');
}

/** Every file under `dir`, relative paths. */
function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

const dir = mkdtempSync(join(tmpdir(), 'lanes-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('lanes CLI (built, spawned as a process)', () => {
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
    const [wasm, cpu, one] = await Promise.all([
      lanes('info', '--backend', 'wasm', '--json'),
      lanes('info', '--backend', 'cpu', '--json'),
      lanes('info', '--threads', '1', '--json'),
    ]);
    expect(wasm.status, wasm.stderr).toBe(0);
    expect(JSON.parse(wasm.stdout).backend).toBe('wasm');
    expect(JSON.parse(cpu.stdout).backend).toBe('cpu');
    expect(JSON.parse(one.stdout).lanes.threads).toBe(1);
  });

  it('--help lists the commands and every command has --help', async () => {
    const r = await lanes('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/info\s+backend, kernel build/);
    expect(r.stdout).toMatch(/--backend <name>/);
    const commands = [...r.stdout.split('Commands:')[1].matchAll(/^ {2}(\w+)/gm)]
      .map((m) => m[1])
      .filter((c) => c !== 'help');
    expect(commands).toEqual(['info', 'train', 'attack', 'eval', 'generate', 'poison', 'convert', 'bench']);
    const helps = await Promise.all(commands.map((c) => lanes(c, '--help')));
    helps.forEach((h, i) => {
      expect(h.status, commands[i]).toBe(0);
      expect(h.stdout, commands[i]).toMatch(new RegExp(`Usage: lanes ${commands[i]}`));
    });
    expect(helps[1].stdout).toMatch(/mnist-cnn-robust/);
    expect(helps[1].stdout).toMatch(/--method <name>.*\(choices: "fgsm-rs", "pgd"\)/s);
    expect(helps[3].stdout).toMatch(/--robust\b/);
  });

  it('usage errors: one line, exit 2 (1 for a value outside a fixed set)', async () => {
    const runs = await Promise.all([
      lanes('frobnicate'),
      lanes('info', '--bogus'),
      lanes('--backend', 'gpu', 'info'),
      lanes('--threads', 'x', 'info'),
      lanes('--json', 'bench'),
      lanes('eval', '--robust', '--eps', '0,x'),
      lanes('poison', 'backdoor', '--source', '3'),
      lanes('train', 'mnist-cnn', '--method', 'pgd'),
      lanes('attack', 'fgsm', '--target', '12'),
      lanes('poison', 'label-flip', '--source', '1.5'),
      lanes('poison', 'zap'),
    ]);
    expectFailure(runs[0], /unknown command 'frobnicate' — see lanes --help/, 2);
    expectFailure(runs[1], /unknown option '--bogus'/, 2);
    expectFailure(runs[2], /'gpu' is invalid. Allowed choices are lanes, wasm, cpu/, 1);
    expectFailure(runs[3], /--threads expects a positive integer, got 'x'/, 2);
    expectFailure(
      runs[4],
      /bench compares every backend .* --json, --threads and --backend do not apply — use `lanes bench/,
      2,
    );
    expectFailure(runs[5], /--eps expects comma-separated budgets ≥ 0, got '0,x' — e.g. --eps 0,0.1,0.2,0.3/, 2);
    expectFailure(runs[6], /--source is an option of label-flip/, 2);
    expectFailure(
      runs[7],
      /--method is a setting of mnist-cnn-robust, not of mnist-cnn — drop it, or train mnist-cnn-robust/,
      2,
    );
    expectFailure(runs[8], /--target must be a class 0-9, got 12 — e.g. --target 3/, 2);
    expectFailure(runs[9], /--source must be a class 0-9, got 1.5/, 2);
    expectFailure(runs[10], /'zap' is invalid for argument 'kind'. Allowed choices are backdoor, label-flip/, 1);
  });
});

describe.concurrent('the shipped mnist-cnn (the default model)', () => {
  const pictures = join(dir, 'pictures');
  const labels: number[] = [];
  beforeAll(async () => {
    // Three real test digits as 84×84 RGB pictures, dark on light: the CLI inverts and scales them back.
    mkdirSync(pictures, { recursive: true });
    const { test } = await loadMnist();
    for (const k of [0, 1, 2]) {
      const png = new PNG({ width: 84, height: 84 });
      for (let i = 0; i < 84 * 84; i++) {
        const v = 255 - test.images[k * 784 + Math.floor(i / 84 / 3) * 28 + Math.floor((i % 84) / 3)];
        png.data.set([v, v, v, 255], 4 * i);
      }
      writeFileSync(join(pictures, `digit${k}.png`), PNG.sync.write(png));
      labels.push(test.labels[k]);
    }
    writeFileSync(join(pictures, 'notes.txt'), 'not a picture\n');
  });

  it('attack fgsm --json on the shipped mnist-cnn: accuracy drops from ≥ 95 % by ≥ 30 points at ε 0.2', async () => {
    const r = await lanes('attack', 'fgsm', '--n', '100', '--eps', '0.2', '--json', '--out', join(dir, 'attack'));
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.model).toBe(shippedCnn);
    expect(report.n).toBe(100);
    expect(report.cleanAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.adversarialAccuracy).toBeLessThanOrEqual(report.cleanAccuracy - 0.3);
    expect(report.successRate).toBeGreaterThanOrEqual(0.3);
    expect(report.meanLinf).toBeCloseTo(0.2, 4);
    const png = PNG.sync.read(readFileSync(report.picture));
    expect(png.width).toBeGreaterThan(3 * 28 * 3);
  });

  it('eval --image: real test digits drawn as RGB dark-on-light PNGs get their classes', async () => {
    const r = await lanes('eval', '--image', ...[0, 1, 2].map((k) => join(pictures, `digit${k}.png`)), '--json');
    expect(r.status, r.stderr).toBe(0);
    const images = JSON.parse(r.stdout).images;
    expect(images.map((i: { prediction: number }) => i.prediction)).toEqual(labels);
    for (const im of images) {
      expect(im.inverted).toBe(true);
      expect([im.width, im.height]).toEqual([84, 84]);
      expect(im.confidence).toBeGreaterThan(0.9);
      expect(im.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
    }
  });

  it('attack --image: FGSM at ε 0.3 changes the class of a picture; triplet PNG written', async () => {
    const out = join(dir, 'attack-image');
    const r = await lanes(
      'attack',
      'fgsm',
      '--image',
      join(pictures, 'digit0.png'),
      '--label',
      String(labels[0]),
      '--eps',
      '0.3',
      '--json',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.n).toBe(1);
    expect(report.images[0].cleanPrediction).toBe(labels[0]);
    expect(report.images[0].adversarialPrediction).not.toBe(labels[0]);
    expect(report.meanLinf).toBeCloseTo(0.3, 4);
    expect(PNG.sync.read(readFileSync(join(out, 'attack-fgsm-image.png'))).height).toBeGreaterThan(28 * 3);
  });

  it('unreadable images: what is wrong and how to fix it, exit 1, no stack trace', async () => {
    const [text, missing, folder] = await Promise.all([
      lanes('eval', '--image', join(pictures, 'notes.txt')),
      lanes('attack', 'fgsm', '--image', join(pictures, 'nope.png')),
      lanes('eval', '--image', pictures),
    ]);
    const fix =
      /— pass a PNG, JPEG or WebP picture of one digit \(any size, colour or greyscale; it is centred in 28×28/;
    expectFailure(text, /cannot read the image .*notes\.txt: it is a text file, not a PNG, JPEG or WebP picture/, 1);
    expect(text.stderr).toMatch(fix);
    expectFailure(missing, /cannot read the image .*nope\.png: no such file/, 1);
    expect(missing.stderr).toMatch(fix);
    expectFailure(folder, /cannot read the image .*pictures: it is a directory/, 1);
  });

  it('eval --robust: PGD accuracy falls with ε; the chart is a valid PNG with the curve drawn', async () => {
    const out = join(dir, 'robust');
    // --compare by shipped name: the same model again, so the same curve (seeded PGD) in a second colour.
    const r = await lanes(
      'eval',
      '--robust',
      '--attack',
      'pgd',
      '--steps',
      '5',
      '--eps',
      '0,0.1,0.2,0.3',
      '--n',
      '50',
      '--compare',
      'mnist-cnn',
      '--json',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.attack).toBe('PGD-5');
    expect(report.curve.map((c: { eps: number }) => c.eps)).toEqual([0, 0.1, 0.2, 0.3]);
    const acc = report.curve.map((c: { robustAccuracy: number }) => c.robustAccuracy);
    expect(acc[0]).toBe(report.cleanAccuracy);
    expect(acc[0]).toBeGreaterThanOrEqual(0.95);
    for (let i = 1; i < acc.length; i++) expect(acc[i]).toBeLessThanOrEqual(acc[i - 1]);
    expect(acc[3]).toBeLessThan(0.3);
    expect(report.picture).toBe(join(out, 'robust-accuracy-pgd.png'));
    const png = PNG.sync.read(readFileSync(report.picture));
    expect([png.width, png.height]).toEqual([520, 340]);
    expect(report.compare.model).toBe(shippedCnn);
    expect(report.compare.curve).toEqual(report.curve);
    // Both series' colours are on the canvas: the second curve over the first, each legend entry.
    let blue = 0,
      red = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] === 31 && png.data[i + 1] === 119 && png.data[i + 2] === 180) blue++;
      if (png.data[i] === 214 && png.data[i + 1] === 39 && png.data[i + 2] === 40) red++;
    }
    expect(blue).toBeGreaterThan(20);
    expect(red).toBeGreaterThan(100);
  });

  it('backend parity: eval --json on lanes, wasm and cpu gives the same accuracy and probabilities within 1e-4', async () => {
    const args = ['eval', '--n', '64', '--probabilities', '--json'];
    const runs = await Promise.all(['lanes', 'wasm', 'cpu'].map((b) => lanes(...args, '--backend', b)));
    for (const r of runs) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe(''); // no tfjs banners without --verbose
    }
    const [ra, ...others] = runs.map((r) => JSON.parse(r.stdout));
    expect([ra, ...others].map((r) => r.backend)).toEqual(['lanes', 'wasm', 'cpu']);
    expect(ra.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(ra.probabilities).toHaveLength(64);
    for (const rb of others) {
      expect(rb.accuracy).toBe(ra.accuracy);
      let worst = 0;
      ra.probabilities.forEach((row: number[], i: number) =>
        row.forEach((p, j) => {
          worst = Math.max(worst, Math.abs(p - rb.probabilities[i][j]));
        }),
      );
      expect(worst, rb.backend).toBeLessThan(1e-4);
    }
  });

  it('generate defaults to the shipped mnist-dcgan-generator: latent interpolation rows as a PNG', async () => {
    const r = await lanes(
      'generate',
      '--n',
      '6',
      '--interpolate',
      '3',
      '--scale',
      '1',
      '--out',
      join(dir, 'generated'),
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.model).toBe(pretrainedDir('mnist-dcgan-generator'));
    expect([report.images, report.rows, report.cols]).toEqual([6, 2, 3]);
    const png = PNG.sync.read(readFileSync(report.picture));
    expect([png.width, png.height]).toEqual([3 * 30 + 2, 2 * 30 + 2]);
    // Digits, not a blank canvas: some pixels bright, some dark.
    let bright = 0,
      dark = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] > 200) bright++;
      else if (png.data[i] < 50) dark++;
    }
    expect(bright).toBeGreaterThan(100);
    expect(dark).toBeGreaterThan(100);
  });

  it('generate --by-code draws one row per latent code of the shipped generator, or says it has none', async () => {
    const meta = JSON.parse(readFileSync(join(pretrainedDir('mnist-dcgan-generator'), 'model.json'), 'utf8'))
      .userDefinedMetadata?.lanes;
    const r = await lanes(
      'generate',
      '--by-code',
      '--cols',
      '4',
      '--scale',
      '1',
      '--out',
      join(dir, 'codes'),
      '--json',
    );
    if (meta?.codes) {
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect([report.images, report.rows, report.cols]).toEqual([4 * meta.codes, meta.codes, 4]);
      const png = PNG.sync.read(readFileSync(report.picture));
      expect([png.width, png.height]).toEqual([4 * 30 + 2, meta.codes * 30 + 2]);
    } else {
      expectFailure(r, /has no latent codes/, 1);
    }
    expectFailure(
      await lanes('generate', '--by-code', '--interpolate', '3'),
      /--interpolate and --by-code draw different pictures/,
      1,
    );
  });

  it('generate --digit draws the chosen digit from the shipped generator (mnist-cnn agrees), or says why it cannot', async () => {
    const meta = JSON.parse(readFileSync(join(pretrainedDir('mnist-dcgan-generator'), 'model.json'), 'utf8'))
      .userDefinedMetadata?.lanes;
    const r = await lanes(
      'generate',
      '--digit',
      '7',
      '--n',
      '16',
      '--scale',
      '1',
      '--out',
      join(dir, 'digit'),
      '--json',
    );
    if (!meta?.codeClasses) {
      expectFailure(r, /its latent codes were not trained on labels/, 1);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.picture).toMatch(/digit-7\.png$/);
    const png = PNG.sync.read(readFileSync(report.picture));
    expect([png.width, png.height]).toEqual([4 * 30 + 2, 4 * 30 + 2]);
    // Cut the 4 × 4 grid (28-pixel cells, 2-pixel gaps) back into digits and classify them.
    const pixels = new Float32Array(16 * 28 * 28);
    for (let k = 0; k < 16; k++) {
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++)
          pixels[k * 784 + y * 28 + x] =
            png.data[4 * ((2 + Math.floor(k / 4) * 30 + y) * png.width + 2 + (k % 4) * 30 + x)] / 255;
      }
    }
    const tfl = await layers();
    const tf = await import('@tensorflow/tfjs-core');
    const cnn = await tfl.loadLayersModel(fileSystemHandler(pretrainedDir('mnist-cnn')));
    const classes = tf.tidy(() => tf.argMax(cnn.predict(tf.tensor4d(pixels, [16, 28, 28, 1])) as Tensor, 1)).dataSync();
    expect(Array.from(classes).filter((c) => c === 7).length).toBeGreaterThanOrEqual(14);
    expectFailure(
      await lanes('generate', '--digit', 'x'),
      /--digit must be one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, got 'x'/,
      1,
    );
    expectFailure(
      await lanes('generate', '--digit', '7', '--by-code'),
      /--by-code and --digit draw different pictures/,
      1,
    );
  });

  it('--robust-model (or the name mnist-cnn-robust) picks the shipped robust CNN, or says it is not trained yet', async () => {
    const [r, named] = await Promise.all([
      lanes('eval', '--robust-model', '--n', '100', '--json'),
      lanes('eval', 'mnist-cnn-robust', '--n', '100', '--json'),
    ]);
    if (existsSync(join(shippedRobust, 'model.json'))) {
      for (const run of [r, named]) {
        expect(run.status, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout).model).toBe(shippedRobust);
        expect(JSON.parse(run.stdout).accuracy).toBeGreaterThan(0.9);
      }
    } else {
      expectFailure(
        r,
        /no --model given and the shipped 'mnist-cnn-robust' model is not trained yet — train one with `lanes train mnist-cnn-robust --out DIR`/,
        1,
      );
      expectFailure(
        named,
        /the shipped 'mnist-cnn-robust' model is not trained yet — train one with `lanes train mnist-cnn-robust --out DIR`/,
        1,
      );
    }
  });

  it('bad model inputs: missing, malformed, missing weights, wrong input shape — message and exit 1', async () => {
    const bad = join(dir, 'bad');
    const noWeights = join(dir, 'no-weights');
    mkdirSync(bad);
    mkdirSync(noWeights);
    writeFileSync(join(bad, 'model.json'), '{ not json');
    copyFileSync(join(shippedCnn, 'model.json'), join(noWeights, 'model.json'));
    const [missing, malformed, weightless, shape, both] = await Promise.all([
      lanes('eval', join(dir, 'nothing-here')),
      lanes('eval', bad),
      lanes('attack', 'fgsm', '--model', noWeights, '--n', '4'),
      lanes('attack', 'fgsm', '--model', pretrainedDir('spam-lstm'), '--n', '4'),
      lanes('eval', bad, '--robust-model'),
    ]);
    expectFailure(
      missing,
      /no model at .*nothing-here — pass a .keras or .h5 file saved by Keras, or the directory a `lanes train` run wrote/,
      1,
    );
    expectFailure(
      malformed,
      /cannot load the model in .*bad: .*not valid JSON: .* — the files are damaged or not a tfjs layers model/,
      1,
    );
    expectFailure(weightless, /cannot load the model in .*no-weights: cannot read the weights file .*weights\.bin/, 1);
    expectFailure(shape, /wrong input shape: the model takes \[N, 100\] but MNIST digits are \[N, 28, 28, 1\]/, 1);
    expectFailure(both, /both a model directory and --robust-model given — pass one of them/, 2);
    expectFailure(
      await lanes('attack', 'zap'),
      /'zap' is invalid for argument 'method'. Allowed choices are fgsm, bim, pgd/,
      1,
    );
    expectFailure(
      await lanes('train', 'resnet'),
      /'resnet' is invalid for argument 'model'. Allowed choices are mnist-cnn, mnist-cnn-robust, mnist-dcgan-generator/,
      1,
    );
  });
});

describe.concurrent('training from the CLI (short runs)', () => {
  it('train mnist-cnn writes a model tf.loadLayersModel loads, a checkpoint, a curve and a JSON report', async () => {
    const cnn = join(dir, 'cnn');
    const trained = await lanes(
      'train',
      'mnist-cnn',
      '--epochs',
      '1',
      '--limit',
      '600',
      '--test-n',
      '500',
      '--out',
      cnn,
      '--json',
    );
    expect(trained.status, trained.stderr).toBe(0);
    const report = JSON.parse(trained.stdout);
    expect(report.epochsCompleted).toBe(1);
    expect(report.metrics.testAccuracy).toBeGreaterThan(0.3);
    for (const f of ['model.json', 'weights.bin', 'training-curve.png', 'training.json', 'checkpoint/model.json'])
      expect(existsSync(join(cnn, f)), f).toBe(true);
    const tfl = await layers();
    const { fileSystemHandler } = await import('@lanes/models/node');
    const model = await tfl.loadLayersModel(fileSystemHandler(cnn));
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(walk(cnn).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const curve = PNG.sync.read(readFileSync(join(cnn, 'training-curve.png')));
    expect([curve.width, curve.height]).toEqual([520, 340]);
  });

  /** Starts `train cnn`, waits for its first checkpoint, interrupts it with `interrupt`, checks the aftermath. */
  async function interruptTraining(
    out: string,
    interrupt: (child: ChildProcess) => void,
    detached = false,
  ): Promise<void> {
    const child = spawn(
      process.execPath,
      [bin, 'train', 'mnist-cnn', '--epochs', '50', '--limit', '600', '--checkpoint-every', '1', '--out', out],
      { detached },
    );
    const run = collect(child);
    const checkpoint = join(out, 'checkpoint', 'model.json');
    const deadline = Date.now() + 150_000;
    while (!existsSync(checkpoint) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(checkpoint)).toBe(true);
    interrupt(child);
    const r = await run;
    expect(r.status, r.stderr).toBe(130);
    expect(r.stderr).toMatch(
      /interrupted after (\d+) epoch\(s\): the last checkpoint \(if any\) is in .*checkpoint — run the command again/,
    );
    expect(Number(/interrupted after (\d+)/.exec(r.stderr)?.[1])).toBeLessThan(50);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/lanes: quit/); // one interrupt, even when it arrives twice
    expect(walk(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    const tfl = await layers();
    const { fileSystemHandler } = await import('@lanes/models/node');
    const model = await tfl.loadLayersModel(fileSystemHandler(join(out, 'checkpoint')));
    expect(model.outputs[0].shape).toEqual([null, 10]);
  }

  it('Ctrl-C during train cnn (SIGINT to the process group, as a terminal sends it): exit 130, loadable checkpoint, no temp or final files', async () => {
    await interruptTraining(
      join(dir, 'interrupted-group'),
      (child) => process.kill(-(child.pid as number), 'SIGINT'),
      true,
    );
  });

  it('kill -INT of the lanes process alone reaches the re-run Node doing the work: same clean stop', async () => {
    await interruptTraining(join(dir, 'interrupted'), (child) => child.kill('SIGINT'));
  });

  it('train mnist-cnn-robust (fast adversarial training, ε 0.1): robust accuracies reported, model saved', async () => {
    const out = join(dir, 'robust-cnn');
    const r = await lanes(
      'train',
      'mnist-cnn-robust',
      '--method',
      'fgsm-rs',
      '--eps',
      '0.1',
      '--epochs',
      '2',
      '--limit',
      '600',
      '--test-n',
      '200',
      '--out',
      out,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.epochsCompleted).toBe(2);
    const m = report.metrics;
    expect(m.testAccuracy).toBeGreaterThan(0.4);
    expect(m.fgsmAccuracy).toBeGreaterThan(0.1);
    expect(m.fgsmAccuracy).toBeLessThanOrEqual(m.testAccuracy);
    expect(m.pgdAccuracy).toBeLessThanOrEqual(m.fgsmAccuracy + 0.05);
    const saved = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8'));
    expect(saved.config).toMatchObject({ method: 'fgsm-rs', eps: 0.1, evalExamples: 200 });
    for (const f of ['model.json', 'weights.bin', 'training-curve.png']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('poison backdoor: the trigger sends ≥ 50 % of other digits to the target; the clean shipped model ignores it', async () => {
    const out = join(dir, 'backdoor');
    const r = await lanes(
      'poison',
      'backdoor',
      '--limit',
      '1000',
      '--epochs',
      '3',
      '--fraction',
      '0.2',
      '--target',
      '0',
      '--n',
      '300',
      '--out',
      out,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.poisonedImages).toBe(200);
    expect(report.trainImages).toBe(1000);
    expect(report.cleanAccuracy).toBeGreaterThan(0.6);
    expect(report.attackSuccessRate).toBeGreaterThan(0.5);
    const { test } = await loadMnist();
    expect(report.attacked).toBe(test.labels.subarray(0, 300).filter((y) => y !== 0).length);
    expect(report.baseline.cleanAccuracy).toBeGreaterThan(0.95);
    expect(report.baseline.attackSuccessRate).toBeLessThan(0.05);
    const png = PNG.sync.read(readFileSync(report.picture));
    expect([png.width, png.height]).toEqual([2 * (84 + 8) + 8, 16 + 8 * (84 + 14 + 8) + 8]);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });

  it('poison label-flip 7 → 1: most test sevens become ones; the shipped clean model keeps them', async () => {
    const out = join(dir, 'label-flip');
    const r = await lanes(
      'poison',
      'label-flip',
      '--source',
      '7',
      '--target',
      '1',
      '--fraction',
      '0.8',
      '--limit',
      '1000',
      '--epochs',
      '3',
      '--n',
      '300',
      '--out',
      out,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.poisonedImages).toBe(80); // 80 % of the 100 sevens of a class-balanced 1000
    const { test } = await loadMnist();
    expect(report.attacked).toBe(test.labels.subarray(0, 300).filter((y) => y === 7).length);
    expect(report.attackSuccessRate).toBeGreaterThan(0.5);
    expect(report.cleanAccuracy).toBeGreaterThan(0.6);
    expect(report.baseline.attackSuccessRate).toBeLessThan(0.05);
    expect(PNG.sync.read(readFileSync(join(out, 'label-flip.png'))).width).toBe(84 + 16);
  });

  it('train mnist-dcgan-generator + generate write a valid PNG grid', async () => {
    const gan = join(dir, 'gan');
    const t = await lanes('train', 'mnist-dcgan-generator', '--epochs', '1', '--limit', '64', '--out', gan, '--json');
    expect(t.status, t.stderr).toBe(0);
    const r = await lanes('generate', '--model', gan, '--n', '16', '--scale', '1', '--out', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const file = JSON.parse(r.stdout).picture;
    expect(readFileSync(file).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    const png = PNG.sync.read(readFileSync(file));
    expect([png.width, png.height]).toEqual([4 * 30 + 2, 4 * 30 + 2]);
    // The recipe's generator carries latent codes; one without them cannot draw rows per code.
    const byCode = await lanes(
      'generate',
      '--model',
      gan,
      '--by-code',
      '--cols',
      '2',
      '--scale',
      '1',
      '--out',
      dir,
      '--json',
    );
    expect(byCode.status, byCode.stderr).toBe(0);
    const codes = JSON.parse(readFileSync(join(gan, 'model.json'), 'utf8')).userDefinedMetadata.lanes.codes;
    expect(JSON.parse(byCode.stdout).rows).toBe(codes);
    const plain = join(dir, 'plain-generator');
    await layers(); // a backend for building the generator in this process
    const g = buildDcganGenerator({ latentDim: 8, filters: 4 });
    setModelMetadata(g, { kind: 'mnist-dcgan-generator', latentDim: 8 });
    await g.save(fileSystemHandler(plain));
    expectFailure(await lanes('generate', '--model', plain, '--by-code'), /plain-generator has no latent codes/, 1);
  });
});
