// Keras files through the built CLI, spawned as a process: `lanes convert` both ways (the converted
// model must predict what the original predicts), its --json summary, and `eval` / `attack` /
// `generate` taking a `.keras` or `.h5` file in place of a model directory. The classifier is a real
// file written by Keras 3 (packages/models/test/fixtures/keras, MIT licence beside it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { KERAS_LAYER_CLASSES, loadKerasModel } from '@lanes/models';
import { loadMnist, loadModelFromDir, pretrainedDir } from '@lanes/models/node';
import { expectFailure, lanes } from './run_cli.js';

const fixtures = join(import.meta.dirname, '../../models/test/fixtures/keras');
/** Keras 3.1.1's `.keras` zip and its legacy-h5 writer's `.h5` (different weights, same architecture). */
const kerasFile = join(fixtures, 'mnist-cnn-k3-moonflower.keras');
const h5File = join(fixtures, 'mnist-cnn-k3-moonflower.h5');

let tf: typeof tfc;
let x: tfc.Tensor4D;
let labels: Uint8Array;
const dir = mkdtempSync(join(tmpdir(), 'lanes-keras-'));
beforeAll(async () => {
  tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const { test } = await loadMnist();
  const { imagesToTensor, range } = await import('@lanes/models');
  x = imagesToTensor(test, range(200));
  labels = test.labels.subarray(0, 200);
});
afterAll(() => {
  x?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Largest difference between two models' outputs on the first 200 test digits. */
function maxDiff(a: tfl.LayersModel, b: tfl.LayersModel): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a.predict(x) as tfc.Tensor, b.predict(x) as tfc.Tensor))).dataSync()[0]);
}
/** Share of the first 200 test digits a model gets right. */
function accuracy(m: tfl.LayersModel): number {
  const pred = Array.from(tf.tidy(() => tf.argMax(m.predict(x) as tfc.Tensor, -1).dataSync()));
  return pred.filter((p, i) => p === labels[i]).length / labels.length;
}

describe.concurrent('lanes convert', () => {
  it('.keras → tfjs directory → .keras: each step predicts what Keras wrote (≤ 1e-6); --json names layers and shapes', async () => {
    const tfjsDir = join(dir, 'from-keras');
    const back = join(dir, 'back.keras');
    const first = await lanes('convert', kerasFile, tfjsDir, '--json');
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    const original = await loadKerasModel(kerasFile);
    expect(report).toMatchObject({ input: kerasFile, inputFormat: 'keras', output: tfjsDir, outputFormat: 'tfjs' });
    expect(report.params).toBe(original.countParams());
    expect(report.params).toBeGreaterThan(10_000);
    expect(report.inputShapes).toEqual([[null, 28, 28, 1]]);
    expect(report.outputShapes).toEqual([[null, 10]]);
    expect(report.layers.map((l: { name: string }) => l.name)).toEqual(original.layers.map((l) => l.name));
    const classes = report.layers.map((l: { className: string }) => l.className);
    for (const c of ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']) expect(classes).toContain(c);
    expect(report.layers.reduce((s: number, l: { params: number }) => s + l.params, 0)).toBe(report.params);
    expect(report.layers.at(-1).outputShape).toEqual([null, 10]);
    expect(report.bytes).toBeGreaterThan(4 * report.params);
    expect(existsSync(join(tfjsDir, 'model.json')) && existsSync(join(tfjsDir, 'weights.bin'))).toBe(true);

    const second = await lanes('convert', tfjsDir, back, '--json');
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      inputFormat: 'tfjs',
      outputFormat: 'keras',
      params: report.params,
    });
    expect(readFileSync(back).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));

    const viaTfjs = await loadModelFromDir(tfjsDir);
    const roundTrip = await loadKerasModel(back);
    expect(accuracy(original)).toBeGreaterThanOrEqual(0.97);
    expect(maxDiff(original, viaTfjs)).toBeLessThanOrEqual(1e-6);
    expect(maxDiff(original, roundTrip)).toBeLessThanOrEqual(1e-6);
    [original, viaTfjs, roundTrip].forEach((m) => m.dispose());
  });

  it('.h5 (Keras 3 legacy writer) → .keras, and the shipped mnist-cnn → .keras, predict the same', async () => {
    const fromH5 = join(dir, 'from-h5.keras');
    const shipped = join(dir, 'mnist-cnn.keras');
    const [a, b] = await Promise.all([
      lanes('convert', h5File, fromH5, '--json'),
      lanes('convert', 'mnist-cnn', shipped, '--json'),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ inputFormat: 'h5', outputFormat: 'keras' });
    expect(JSON.parse(b.stdout)).toMatchObject({ input: pretrainedDir('mnist-cnn'), inputFormat: 'tfjs' });
    const pairs: [tfl.LayersModel, tfl.LayersModel][] = [
      [await loadKerasModel(h5File), await loadKerasModel(fromH5)],
      [await loadModelFromDir(pretrainedDir('mnist-cnn')), await loadKerasModel(shipped)],
    ];
    for (const [orig, conv] of pairs) {
      expect(accuracy(orig)).toBeGreaterThanOrEqual(0.95);
      expect(maxDiff(orig, conv)).toBeLessThanOrEqual(1e-6);
      orig.dispose();
      conv.dispose();
    }
  });

  it('text output: formats, layer table; bad requests get one line each', async () => {
    const ok = await lanes('convert', kerasFile, join(dir, 'text-out'));
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/\(Keras \.keras zip\) → .*text-out \(tfjs model\.json \+ weights, \d+ bytes\)/);
    expect(ok.stdout).toMatch(/\d+ layers, [\d,]+ parameters; input \[N, 28, 28, 1\] → output \[N, 10\]/);
    expect(ok.stdout).toMatch(/\(Conv2D\)\s+\[N, 26, 26, \d+\]/);

    writeFileSync(join(dir, 'a-file'), 'x');
    writeFileSync(join(dir, 'notes.keras'), 'a shopping list, not a model\n');
    const keras = readFileSync(kerasFile);
    writeFileSync(join(dir, 'cut.keras'), keras.subarray(0, keras.length >> 1));
    const [h5, onFile, text, cut, missing] = await Promise.all([
      lanes('convert', kerasFile, join(dir, 'out.h5')),
      lanes('convert', kerasFile, join(dir, 'a-file')),
      lanes('convert', join(dir, 'notes.keras'), join(dir, 'never')),
      lanes('eval', join(dir, 'cut.keras')),
      lanes('convert', join(dir, 'nothing-here.keras'), join(dir, 'never')),
    ]);
    expectFailure(h5, /writing \.h5 is not supported; write \.keras/, 1);
    expect(h5.stderr).toBe('lanes: writing .h5 is not supported; write .keras\n');
    expect(existsSync(join(dir, 'out.h5'))).toBe(false);
    expectFailure(onFile, /a-file is a file, and a tfjs model is a directory/, 2);
    expectFailure(text, /notes\.keras is not a model: neither a Keras file \(zip or HDF5\) nor a tfjs model\.json/, 1);
    expectFailure(cut, /cannot load the Keras model in .*cut\.keras: .+ — the README section "From Keras and back"/, 1);
    expectFailure(missing, /no model at .*nothing-here\.keras/, 1);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('the README section "From Keras and back"', () => {
  it("lists exactly the library's supported Keras classes in its table", () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const section = readme.split('## From Keras and back')[1].split('\n## ')[0];
    const table = section.split('| kind | Keras classes |')[1].split('\n\n')[0];
    // Class names are the capitalised code spans (arguments such as `reset_after` are not); `Model` is Functional's alias.
    const listed = new Set([...table.matchAll(/`([A-Z]\w*)`/g)].map((m) => m[1]).filter((c) => c !== 'Model'));
    expect([...listed].sort()).toEqual([...KERAS_LAYER_CLASSES].sort());
  });
});

describe.concurrent('commands taking a model take a Keras file', () => {
  it('eval <file>.keras scores the 10 000 MNIST test digits (≥ 98.5 %), and the .h5 too', async () => {
    const [k, h] = await Promise.all([lanes('eval', kerasFile, '--json'), lanes('eval', h5File, '--json')]);
    for (const r of [k, h]) {
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.n).toBe(10_000);
      expect(report.accuracy).toBeGreaterThanOrEqual(0.985);
      expect(report.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(10_000);
      console.log(`lanes eval ${report.model}: ${(100 * report.accuracy).toFixed(2)} % of 10 000`);
    }
    expect(JSON.parse(k.stdout).model).toBe(kerasFile);
  });

  it('attack fgsm --model <file>.keras reports the attack success rate at ε 0.2', async () => {
    const r = await lanes('attack', 'fgsm', '--model', kerasFile, '--n', '200', '--eps', '0.2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.model).toBe(kerasFile);
    expect(report.cleanAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(report.successRate).toBeGreaterThan(0.1);
    expect(report.adversarialAccuracy).toBeLessThan(report.cleanAccuracy - 0.1);
    expect(report.meanLinf).toBeCloseTo(0.2, 4);
    console.log(
      `lanes attack fgsm ε 0.2 on ${report.model}: ${(100 * report.cleanAccuracy).toFixed(1)} % → ${(100 * report.adversarialAccuracy).toFixed(1)} %, success ${(100 * report.successRate).toFixed(1)} %`,
    );
  });

  it('eval <file>.keras of a Keras-style [N, 28, 28] model (Flatten first): reshaped, the same probabilities', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const { saveKerasModel } = await import('@lanes/models');
    const mlp = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [28, 28] }),
        tfl.layers.dense({
          units: 10,
          activation: 'softmax',
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
        }),
      ],
    });
    const file = join(dir, 'flat-input.keras');
    writeFileSync(file, await saveKerasModel(mlp));
    const r = await lanes('eval', file, '--n', '20', '--probabilities', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const want = tf.tidy(() =>
      (mlp.predict(tf.reshape(tf.slice(x, 0, 20), [20, 28, 28])) as tfc.Tensor).arraySync(),
    ) as number[][];
    let worst = 0;
    want.forEach((row, i) =>
      row.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - report.probabilities[i][j])))),
    );
    expect(worst).toBeLessThan(1e-5);
    mlp.dispose();
  });

  it('generate --model <generator>.keras: the shipped generator, converted, draws the same picture', async () => {
    const gen = join(dir, 'generator.keras');
    const c = await lanes('convert', 'mnist-dcgan-generator', gen);
    expect(c.status, c.stderr).toBe(0);
    const out = (name: string) => ['--n', '16', '--scale', '1', '--seed', '5', '--out', join(dir, name), '--json'];
    const [fromKeras, fromDir] = await Promise.all([
      lanes('generate', '--model', gen, ...out('gen-keras')),
      lanes('generate', ...out('gen-dir')),
    ]);
    expect(fromKeras.status, fromKeras.stderr).toBe(0);
    expect(fromDir.status, fromDir.stderr).toBe(0);
    const [a, b] = [fromKeras, fromDir].map((r) => PNG.sync.read(readFileSync(JSON.parse(r.stdout).picture)));
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
    expect(worst).toBeLessThanOrEqual(1); // 8-bit rounding of the same floats
  });
});
