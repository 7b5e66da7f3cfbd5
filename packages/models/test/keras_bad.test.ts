// Bad Keras files: each gets its own message (an InvalidInputError), nothing is half-loaded and
// no tensor is left behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, loadKerasModel } from '../src/index.js';
import { keras2H5, keras3WeightsH5, kerasZip, seeded } from './keras_files.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'keras');
const moonflower = (): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, 'mnist-cnn-k3-moonflower.keras')));
const moonflowerH5 = (): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, 'mnist-cnn-k3-moonflower.h5')));

type Config = { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };

/** The moonflower .keras with its config.json edited (and optionally other weights). */
function editedKeras(edit: (config: Config) => void, weights?: Uint8Array): Uint8Array {
  const entries = unzipSync(moonflower());
  const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as Config;
  edit(config);
  entries['config.json'] = new TextEncoder().encode(JSON.stringify(config));
  if (weights) entries['model.weights.h5'] = weights as Uint8Array<ArrayBuffer>;
  return zipSync(entries, { level: 0 });
}

/** Expects loading `source` to fail with an InvalidInputError matching `message`, leaving no tensor. */
async function expectRefused(source: Parameters<typeof loadKerasModel>[0], message: RegExp): Promise<string> {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    (await loadKerasModel(source)).dispose();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
  console.log((error as Error).message);
  return (error as Error).message;
}

describe('loadKerasModel refuses bad files with their own message', () => {
  it('an unsupported layer: one error naming it, its class and the supported classes, before any weight is read', async () => {
    // The weights are garbage: had they been read first, the message would be about them.
    const bytes = editedKeras(
      (c) => {
        c.config.layers.splice(2, 0, {
          class_name: 'MultiHeadAttention',
          config: { name: 'attention', num_heads: 2, key_dim: 4 },
        });
      },
      new Uint8Array([1, 2, 3, 4]),
    );
    const message = await expectRefused(
      bytes,
      /classes this reader does not support: 'attention' \(MultiHeadAttention\)/,
    );
    expect(message).toMatch(/Supported: .*Conv2D.*Dense.*LSTM/);
  });

  it('a Lambda layer (code in the file) is refused as Keras safe_mode refuses it', async () => {
    const bytes = editedKeras((c) => {
      c.config.layers.splice(2, 0, {
        class_name: 'Lambda',
        config: { name: 'lambda', function: { class_name: '__lambda__', config: { code: '4wEAAAAA' } } },
      });
    });
    await expectRefused(bytes, /'lambda' is a Lambda, which runs Python code stored in the file: refused.*safe_mode/);
  });

  it('a custom (registered) layer class is named as unsupported', async () => {
    const bytes = editedKeras((c) => {
      c.config.layers.splice(2, 0, { class_name: 'MyBlock', config: { name: 'block' } });
    });
    await expectRefused(bytes, /'block' \(MyBlock\)/);
  });

  it('a truncated .keras zip', async () => {
    const bytes = moonflower();
    await expectRefused(bytes.subarray(0, bytes.length / 2), /corrupt or truncated zip/);
  });

  it('a truncated .h5', async () => {
    const bytes = moonflowerH5();
    await expectRefused(bytes.subarray(0, 100_000), /is truncated: the HDF5 file says it has 447168 bytes, got 100000/);
  });

  it('a corrupt HDF5 file', async () => {
    const bytes = moonflowerH5().slice(0, 4096);
    bytes.fill(0x5a, 8);
    await expectRefused(bytes, /corrupt HDF5 file/);
  });

  it('an HDF5 file damaged inside (valid superblock)', async () => {
    const bytes = moonflowerH5().slice();
    bytes.fill(0x5a, 600, 40_000);
    await expectRefused(bytes, /corrupt/);
  });

  it('a file that is neither zip nor HDF5', async () => {
    await expectRefused(
      new TextEncoder().encode('{"modelTopology": {}}'),
      /is not a Keras model file: expected a \.keras zip/,
    );
  });

  it('an .h5 holding weights only', async () => {
    const module = await h5wasm.ready;
    const f = new h5wasm.File('/weights-only.h5', 'w');
    f.create_attribute('layer_names', ['dense']);
    f.close();
    const bytes = module.FS.readFile('/weights-only.h5');
    module.FS.unlink('/weights-only.h5');
    await expectRefused(bytes, /without a model_config: it holds weights only/);
  });

  it('a weight whose shape disagrees with the config (after the model is built: it is disposed)', async () => {
    const bytes = editedKeras((c) => {
      const dense = c.config.layers.find((l) => l.class_name === 'Dense')!;
      dense.config.units = 12;
    });
    await expectRefused(
      bytes,
      /weight .*kernel of layer 'dense' \(Dense\) has shape \[1600, 10\] in the file, but the layer's config needs \[1600, 12\]/,
    );
  });

  it('a config tfjs-layers cannot build (a Conv2D after the Dense, once the layers before it are built)', async () => {
    const bytes = editedKeras((c) => {
      c.config.layers.push({ class_name: 'Conv2D', config: { name: 'late_conv', filters: 2, kernel_size: [3, 3] } });
    });
    await expectRefused(bytes, /the model cannot be built from its config \(.*\)/);
  });

  it('a layer with too few weights', async () => {
    const entries = unzipSync(moonflower());
    const weights = await keras3WeightsH5({
      'layers/conv2d/vars': [{ name: '0', values: seeded(288, 1), shape: [3, 3, 1, 32] }],
    });
    const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
    await expectRefused(kerasZip(config, weights), /layer 'conv2d' \(Conv2D\) needs 2 weights .* the file has 1/);
  });

  it('NaN weights', async () => {
    const config = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [{ class_name: 'Dense', config: { name: 'dense', units: 2, batch_input_shape: [null, 3] } }],
      },
    };
    const kernel = seeded(6, 3);
    kernel[4] = NaN;
    const bytes = await keras2H5(config, [
      {
        name: 'dense',
        weights: [
          { name: 'dense/kernel:0', values: kernel, shape: [3, 2] },
          { name: 'dense/bias:0', values: seeded(2, 4), shape: [2] },
        ],
      },
    ]);
    await expectRefused(bytes, /has NaN in the weights of layer 'dense' \(weight 0, index 4\)/);
  });

  it('a zip bomb (entries declaring far more bytes than the file) is refused before inflating', async () => {
    const bytes = moonflower().slice();
    const view = new DataView(bytes.buffer);
    // Every central directory entry (PK\x01\x02) claims 2 GB once expanded.
    let patched = 0;
    for (let i = 0; i + 46 < bytes.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 0x7ffffff0, true);
        patched++;
      }
    }
    expect(patched).toBe(3);
    await expectRefused(bytes, /refused as a zip bomb: its entries declare \d+ bytes once expanded/);
  });

  it('an HDF5 dataset declaring more bytes than the file holds is refused before it is read', async () => {
    const module = await h5wasm.ready;
    const f = new h5wasm.File('/big.h5', 'w');
    for (const g of ['vars', 'layers', 'layers/dense', 'layers/dense/vars']) f.create_group(g);
    const group = f.get('layers/dense/vars') as InstanceType<typeof h5wasm.Group>;
    // Chunked and never written: the file stays small while the dataset declares 200 MB.
    const d = group.create_dataset({ name: '0', data: new Float32Array(4), shape: [4], maxshape: [null], chunks: [4] });
    d.resize([50_000_000]);
    f.close();
    const weights = module.FS.readFile('/big.h5');
    module.FS.unlink('/big.h5');
    const config = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [{ class_name: 'Dense', config: { name: 'dense', units: 2, batch_input_shape: [null, 3] } }],
      },
    };
    await expectRefused(
      kerasZip(config, weights),
      /dataset layers\/dense\/vars\/0 declares 200000000 bytes .* more than the \d+-byte file can hold/,
    );
  });
});
