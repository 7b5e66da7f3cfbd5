import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSpamClassifier, getModelMetadata, requireModelMetadata, setModelMetadata } from '../src/index.js';
import { fileSystemHandler, loadModelFromDir, registerFileSystemScheme, writeFileAtomic } from '../src/node/index.js';

const root = mkdtempSync(join(tmpdir(), 'lanes-models-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function smallModel(): tfl.Sequential {
  const model = buildSpamClassifier({ vocabSize: 20, sequenceLength: 6, embeddingDim: 4, units: 3, seed: 2 });
  setModelMetadata(model, {
    kind: 'spam-lstm',
    encoding: { vocabulary: { tokens: ['<pad>', '<unk>', 'free'] }, sequenceLength: 6 },
  });
  return model;
}

describe('file-system model I/O', () => {
  it('saves model.json + weights.bin atomically and loads the same model back', async () => {
    const model = smallModel();
    const dir = join(root, 'spam');
    await model.save(fileSystemHandler(dir));
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await loadModelFromDir(dir);
    const x = tf.tensor2d([[0, 0, 2, 3, 4, 1]]);
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((model.predict(x) as tf.Tensor).dataSync());
    expect(requireModelMetadata(loaded, 'spam-lstm').encoding.vocabulary.tokens).toEqual(['<pad>', '<unk>', 'free']);
    expect(() => requireModelMetadata(loaded, 'names-lstm')).toThrow(/spam-lstm model, expected names-lstm/);
    // Also loadable by path to model.json.
    expect(getModelMetadata(await loadModelFromDir(join(dir, 'model.json')))?.kind).toBe('spam-lstm');
    tf.dispose(x);
  });

  it('resolves file:// URLs once the scheme is registered', async () => {
    registerFileSystemScheme();
    registerFileSystemScheme(); // idempotent
    const model = smallModel();
    const dir = join(root, 'via-url');
    await model.save(`file://${dir}`);
    const loaded = await tfl.loadLayersModel(`file://${join(dir, 'model.json')}`);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'LSTM', 'Dense']);
  });

  it('leaves no temporary files and overwrites atomically', async () => {
    const file = join(root, 'atomic', 'out.txt');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(join(root, 'atomic'))).toEqual(['out.txt']);
  });

  it('says which file is missing or malformed', async () => {
    await expect(loadModelFromDir(join(root, 'nothing-here'))).rejects.toThrow(
      /cannot read the model file .*nothing-here.*model\.json/,
    );
    const bad = join(root, 'bad');
    await writeFileAtomic(join(bad, 'model.json'), '{ not json');
    await expect(loadModelFromDir(bad)).rejects.toThrow(/is not valid JSON/);
    writeFileSync(join(bad, 'model.json'), JSON.stringify({ format: 'layers-model' }));
    await expect(loadModelFromDir(bad)).rejects.toThrow(/no modelTopology/);
    await smallModel().save(fileSystemHandler(bad));
    rmSync(join(bad, 'weights.bin'));
    await expect(loadModelFromDir(bad)).rejects.toThrow(/cannot read the weights file .*weights\.bin/);
  });
});
