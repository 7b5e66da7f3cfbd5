// The adversarial pieces built on the models package: byte-level poisoning of MNIST, the robust
// model's training command (a short run of the real script) and its I/O convention.
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildRobustCnn,
  imagesToTensor,
  plantBackdoor,
  plantBackdoorInImageSet,
  PRETRAINED_NAMES,
  takeImages,
} from '../src/index.js';
import { loadModelFromDir, pretrainedDir } from '../src/node/index.js';
import { mnistOnce } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'lanes-adversarial-recipes-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('adversarial recipes', { timeout: 180_000 }, () => {
  it('plantBackdoorInImageSet poisons the bytes exactly as plantBackdoor poisons the tensor', async () => {
    const mnist = await mnistOnce();
    const set = takeImages(
      mnist.train,
      Int32Array.from({ length: 500 }, (_, i) => i),
    );
    const bytes = plantBackdoorInImageSet(set, { fraction: 0.02, targetLabel: 3, seed: 4 });
    const x = imagesToTensor(set);
    const tensor = await plantBackdoor(x, set.labels, { fraction: 0.02, targetLabel: 3, seed: 4 });
    expect(Array.from(bytes.poisoned)).toEqual(Array.from(tensor.poisoned));
    expect(bytes.poisoned.length).toBe(10);
    expect(Array.from(bytes.set.labels)).toEqual(Array.from(tensor.labels));
    const fromBytes = imagesToTensor(bytes.set);
    expect((await tf.max(tf.abs(tf.sub(fromBytes, tensor.x))).data())[0]).toBeLessThan(1e-6);
    // The source set is untouched; a poisoned digit has its 4×4 corner at 255.
    const i = bytes.poisoned[0];
    expect(set.images[i * 784 + 25 * 28 + 25]).toBe(mnist.train.images[i * 784 + 25 * 28 + 25]);
    expect(bytes.set.images[i * 784 + 25 * 28 + 25]).toBe(255);
    tf.dispose([x, tensor.x, fromBytes]);
  });

  it('the robust network keeps the mnist-cnn convention: [N,28,28,1] in, softmax [N,10] out', () => {
    for (const arch of ['fast', 'madry'] as const) {
      const model = buildRobustCnn(arch, 1);
      const p = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
      expect(p.shape).toEqual([2, 10]);
      expect(tf.sum(p, 1).arraySync() as number[]).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
      p.dispose();
    }
  });

  it('scripts/train.mjs mnist-cnn-robust trains, keeps the best robust epoch, writes a loadable model and MODEL.md', async () => {
    const dir = join(out, 'robust');
    const script = join(import.meta.dirname, '..', 'scripts', 'train.mjs');
    const args = [
      script,
      'mnist-cnn-robust',
      '--limit',
      '1000',
      '--epochs',
      '2',
      '--eval-examples',
      '50',
      '--seed',
      '2',
      '--out',
      dir,
    ];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 170_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const md = readFileSync(join(dir, 'MODEL.md'), 'utf8');
    expect(md).toContain(
      '`node packages/models/scripts/train.mjs mnist-cnn-robust --limit 1000 --epochs 2 --eval-examples 50 --seed 2',
    );
    expect(md).toMatch(/\| testAccuracy \| 0\.\d{4} \|/);
    expect(md).toMatch(/\| pgdAccuracy \| \d\.\d{4} \|/);
    expect(md).toMatch(/\| trainImages \| `800` \|/);
    // The full-evaluation command names the model as it was given (a shipped name by default, not this machine's path).
    expect(md).toContain(`adversarial.mjs report --model ${dir} --attacks pgd --pgd-restarts 10 --epsilons 0.3`);
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
    const test = Number(/\| testAccuracy \| (0\.\d+) \|/.exec(md)![1]);
    const model = await loadModelFromDir(dir);
    const mnist = await mnistOnce();
    const x = imagesToTensor(
      mnist.test,
      Int32Array.from({ length: 1000 }, (_, i) => i),
    );
    const pred = await tf.argMax(model.predict(x) as tf.Tensor, 1).data();
    let correct = 0;
    pred.forEach((p, i) => {
      if (p === mnist.test.labels[i]) correct++;
    });
    // The reloaded model is the evaluated one (accuracy on the first 1000 test digits near the 10 000's).
    expect(Math.abs(correct / 1000 - test)).toBeLessThan(0.05);
    expect(test).toBeGreaterThan(0.3);
    x.dispose();

    // scripts/adversarial.mjs report on a seeded sample of the test set: the same sample every run,
    // spread over the whole set, and the JSON records the command and which digits were attacked.
    const report = join(import.meta.dirname, '..', 'scripts', 'adversarial.mjs');
    const json = (k: number) => join(out, `report-${k}.json`);
    for (const k of [0, 1]) {
      const a = spawnSync(
        process.execPath,
        [
          report,
          'report',
          '--model',
          dir,
          '--attacks',
          'fgsm',
          '--epsilons',
          '0.3',
          '--sample',
          '40',
          '--sample-seed',
          '5',
          '--json',
          json(k),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(a.stderr).not.toMatch(/Error/);
      expect(a.status).toBe(0);
      expect(a.stdout).toContain('on a random sample (seed 5) of 40 MNIST test digits');
    }
    const [first, second] = [0, 1].map(
      (k) =>
        JSON.parse(readFileSync(json(k), 'utf8')) as {
          command: string;
          examples: number;
          cleanAccuracy: number;
          rows: { robustAccuracy: number; attacked: number }[];
        },
    );
    expect(first.examples).toBe(40);
    expect(first.command).toContain('adversarial.mjs report --model');
    expect(first.rows).toHaveLength(1);
    expect(first.rows[0].attacked).toBe(Math.round(first.cleanAccuracy * 40));
    expect(second.cleanAccuracy).toBe(first.cleanAccuracy);
    expect(second.rows[0].robustAccuracy).toBe(first.rows[0].robustAccuracy);
    const both = spawnSync(
      process.execPath,
      [report, 'report', '--model', dir, '--attacks', 'fgsm', '--limit', '10', '--sample', '10'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain('--limit and --sample exclude each other');
  });

  it('mnist-cnn-robust is a shipped name trained through the one front door, its settings checked', () => {
    expect(PRETRAINED_NAMES).toContain('mnist-cnn-robust');
    expect(pretrainedDir('mnist-cnn-robust')).toMatch(/pretrained[\\/]mnist-cnn-robust$/);
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'scripts', 'train.mjs'), 'mnist-cnn-robust', '--method', 'fgsm'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("train.mjs: mnist-cnn-robust: method must be one of fgsm-rs, pgd, got 'fgsm'");
    const other = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'scripts', 'train.mjs'), 'stocks-gru', '--batch-norm'],
      { encoding: 'utf8' },
    );
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('train.mjs: stocks-gru has no setting --batch-norm (it has none)');
  });
});
