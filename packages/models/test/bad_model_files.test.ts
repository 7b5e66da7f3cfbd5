// Damaged model files read from disk: weights of the wrong size are named before tfjs decodes
// them (tfjs alone fails deep inside with "offset is out of bounds", or loads garbage).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWeightBytes, weightBytes } from '../src/index.js';
import { fileSystemHandler, loadModelFromDir } from '../src/node/index.js';

const root = mkdtempSync(join(tmpdir(), 'lanes-bad-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let json: Buffer;
let weights: Buffer;

beforeAll(async () => {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [3], units: 2 }), tfl.layers.dense({ units: 1 })],
  });
  await model.save(fileSystemHandler(join(root, 'good')));
  model.dispose();
  json = readFileSync(join(root, 'good', 'model.json'));
  weights = readFileSync(join(root, 'good', 'weights.bin'));
});

function variant(name: string, w: Buffer, j = json): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), j);
  writeFileSync(join(dir, 'weights.bin'), w);
  return dir;
}

describe('weights files of the wrong size', () => {
  it('counts the manifest bytes: (3·2 + 2 + 2·1 + 1) float32 = 44', () => {
    expect(weights.length).toBe(44);
    const specs = (JSON.parse(json.toString()) as tf.io.ModelJSON).weightsManifest[0].weights;
    expect(weightBytes(specs)).toBe(44);
    expect(
      weightBytes([{ name: 'q', shape: [10], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 1 } }]),
    ).toBe(10);
    expect(weightBytes([{ name: 's', shape: [2], dtype: 'string' }])).toBeUndefined();
    expect(() => checkWeightBytes('m', specs, 44)).not.toThrow();
  });

  it('truncated, too long, empty: the load fails naming both sizes; the good copy loads', async () => {
    const before = tf.memory().numTensors;
    await expect(loadModelFromDir(variant('short', weights.subarray(0, 30)))).rejects.toThrow(
      /short\/model\.json: the weights are too short \(truncated\?\): expected 44 bytes for the 4 weights model\.json lists, got 30$/,
    );
    await expect(loadModelFromDir(variant('long', Buffer.concat([weights, Buffer.alloc(4)])))).rejects.toThrow(
      /long\/model\.json: the weights are too long \(from another model\?\): expected 44 bytes for the 4 weights model\.json lists, got 48$/,
    );
    await expect(loadModelFromDir(variant('empty', Buffer.alloc(0)))).rejects.toThrow(
      /the weights are too short \(truncated\?\): expected 44 bytes .* got 0$/,
    );
    await expect(loadModelFromDir(variant('cut-json', weights, json.subarray(0, 40)))).rejects.toThrow(
      /cut-json\/model\.json is not valid JSON/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const model = await loadModelFromDir(join(root, 'good'));
    expect(model.countParams()).toBe(11);
    model.dispose();
  });
});
