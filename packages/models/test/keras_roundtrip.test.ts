// saveKerasModel → loadKerasModel: every shipped pretrained model comes back predicting the same,
// and the written .keras has the structure of real Keras 3 files (test/fixtures/keras).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { unzipSync } from 'fflate';
import h5wasm from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { loadKerasModel, PRETRAINED_NAMES, Rng, saveKerasModel } from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';

/** Inputs the model accepts: token ids below the embedding's vocabulary, or values in [0, 1). */
function sampleInputs(model: tfl.LayersModel, n: number, rng: Rng): tf.Tensor[] {
  return model.inputs.map((input) => {
    const shape = [n, ...input.shape.slice(1).map((d) => d ?? 8)];
    const size = shape.reduce((a, b) => a * b, 1);
    const consumer = model.layers.find((l) => l.inboundNodes.some((node) => node.inputTensors.includes(input)));
    const vocab = consumer?.getClassName() === 'Embedding' ? (consumer.getConfig().inputDim as number) : 0;
    const values = Float32Array.from({ length: size }, () => (vocab > 0 ? Math.floor(rng.next() * vocab) : rng.next()));
    return tf.tensor(values, shape);
  });
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('saveKerasModel → loadKerasModel', () => {
  for (const name of PRETRAINED_NAMES) {
    it(`${name} predicts the same after a round trip through .keras (≤ 1e-6)`, async () => {
      const model = await loadPretrained(name);
      const bytes = await saveKerasModel(model);
      const before = tf.memory().numTensors;
      const back = await loadKerasModel(bytes);
      expect(back.weights.length).toBe(model.weights.length);
      // Layer configs survive, initializers included (the loader builds with Zeros and puts them
      // back). A hard_sigmoid layer comes back linear, followed by Rescaling and ReLU(max 1).
      const hardSigmoid = model.layers.filter((l) => l.getConfig().activation === 'hardSigmoid').map((l) => l.name);
      expect(back.layers.length).toBe(model.layers.length + 2 * hardSigmoid.length);
      for (const l of model.layers) {
        const want = l.getConfig();
        const got = back.getLayer(l.name).getConfig();
        expect(back.getLayer(l.name).getClassName()).toBe(l.getClassName());
        for (const k of Object.keys(want).filter(
          (k) =>
            k.endsWith('Initializer') ||
            ['units', 'activation', 'unitForgetBias', 'resetAfter', 'returnSequences'].includes(k),
        )) {
          // tfjs leaves unset flags null; Keras gets (and gives back) the boolean they mean.
          const expected = hardSigmoid.includes(l.name) && k === 'activation' ? 'linear' : want[k];
          expect([l.name, k, got[k]]).toEqual([l.name, k, typeof got[k] === 'boolean' ? Boolean(expected) : expected]);
        }
      }
      for (const n of hardSigmoid) {
        expect(back.getLayer(`${n}_hard_sigmoid_scale`).getConfig()).toMatchObject({ scale: 0.2, offset: 0.5 });
        expect(back.getLayer(`${n}_hard_sigmoid`).getConfig()).toMatchObject({ maxValue: 1 });
      }
      const xs = sampleInputs(model, 4, new Rng(7));
      const want = model.predict(xs) as tf.Tensor | tf.Tensor[];
      const got = back.predict(xs) as tf.Tensor | tf.Tensor[];
      const pairs = Array.isArray(want) ? want.map((w, i) => [w, (got as tf.Tensor[])[i]]) : [[want, got as tf.Tensor]];
      for (const [w, g] of pairs) {
        expect(g.shape).toEqual(w.shape);
        const diff = maxAbsDiff(w, g);
        console.log(`${name}: max |Δ| ${diff}`);
        expect(diff).toBeLessThanOrEqual(1e-6);
      }
      tf.dispose([xs, want, got]);
      back.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }
});

describe('the written .keras has the structure of a real Keras 3 file', () => {
  it('same zip entries, config keys and weight group paths as the Keras 3.15 fixture', async () => {
    const real = unzipSync(
      readFileSync(join(import.meta.dirname, 'fixtures', 'keras', 'mnist-cnn-k3-akshatv25.keras')),
    );
    // Rebuild the fixture in tfjs-layers (from the fixture itself), then save it ourselves.
    const model = await loadKerasModel(join(import.meta.dirname, 'fixtures', 'keras', 'mnist-cnn-k3-akshatv25.keras'));
    const ours = unzipSync(await saveKerasModel(model));
    expect(Object.keys(ours).sort()).toEqual(Object.keys(real).sort());
    const meta = JSON.parse(new TextDecoder().decode(ours['metadata.json']));
    expect(Object.keys(meta).sort()).toEqual(['date_saved', 'keras_version']);
    expect(meta.keras_version).toMatch(/^3\./);
    const a = JSON.parse(new TextDecoder().decode(real['config.json']));
    const b = JSON.parse(new TextDecoder().decode(ours['config.json']));
    expect(b.module).toBe('keras');
    expect(b.class_name).toBe('Sequential');
    const realLayers = a.config.layers as { module: string; class_name: string; config: Record<string, unknown> }[];
    const ourLayers = b.config.layers as typeof realLayers;
    expect(ourLayers.map((l) => l.class_name)).toEqual(realLayers.map((l) => l.class_name));
    ourLayers.forEach((l, i) => {
      expect(l.module).toBe(realLayers[i].module);
      expect(l).toHaveProperty('registered_name', null);
      // Every key we write is one Keras 3 wrote for the same layer (Keras 3 refuses unknown arguments).
      for (const k of Object.keys(l.config)) expect(Object.keys(realLayers[i].config)).toContain(k);
    });
    expect(b.config.layers[0].config.batch_shape).toEqual([null, 28, 28, 1]);
    expect(b.config.layers[1].config.dtype).toEqual({
      module: 'keras',
      class_name: 'DTypePolicy',
      config: { name: 'float32' },
      registered_name: null,
    });
    // model.weights.h5: the same groups and datasets (with shapes) as Keras wrote, optimizer aside.
    expect(await h5Tree(ours['model.weights.h5'])).toEqual(
      (await h5Tree(real['model.weights.h5'])).filter((p) => !p.startsWith('optimizer')),
    );
    model.dispose();
  });
});

/** Every group and dataset path of an HDF5 file (datasets with their shape), sorted. */
async function h5Tree(bytes: Uint8Array): Promise<string[]> {
  const module = await h5wasm.ready;
  module.FS.writeFile('/tree.h5', bytes);
  const f = new h5wasm.File('/tree.h5', 'r');
  const out: string[] = [];
  const walk = (g: InstanceType<typeof h5wasm.Group>, path: string): void => {
    for (const k of g.keys()) {
      const e = g.get(k);
      const p = path === '' ? k : `${path}/${k}`;
      if (e instanceof h5wasm.Dataset) out.push(`${p} [${(e.shape ?? []).join(',')}]`);
      else if (e instanceof h5wasm.Group) {
        out.push(`${p}/`);
        walk(e, p);
      }
    }
  };
  walk(f, '');
  f.close();
  module.FS.unlink('/tree.h5');
  return out.sort();
}
