// Test-side writers of Keras files in the layouts Keras itself writes, with h5wasm and fflate
// directly (not through src/keras), so the reader is checked against the documented layouts:
//  - Keras 2 legacy .h5: keras/src/legacy/saving/legacy_h5_format.py (save_model_to_hdf5,
//    save_weights_to_hdf5_group): root attributes keras_version, backend, model_config (JSON);
//    group model_weights with attribute layer_names; per layer a group with attribute
//    weight_names (`<layer>/<var>:0`, h5py turning the slashes into subgroups) and the datasets.
//  - Keras 3 .keras: keras/src/saving/saving_lib.py (_save_model_to_fileobj, H5IOStore): a zip of
//    metadata.json, config.json and model.weights.h5 with `<path>/vars/<i>` datasets.
import h5wasm from 'h5wasm';
import { zipSync } from 'fflate';

/** A weight as Keras names it, with its values. */
export interface NamedArray {
  readonly name: string;
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

let count = 0;

async function buildH5(fill: (f: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const module = await h5wasm.ready;
  const name = `/test-keras-${++count}.h5`;
  const f = new h5wasm.File(name, 'w');
  fill(f);
  f.close();
  const bytes = module.FS.readFile(name);
  module.FS.unlink(name);
  return bytes;
}

function ensure(f: InstanceType<typeof h5wasm.Group>, path: string): InstanceType<typeof h5wasm.Group> {
  let g = f;
  for (const part of path.split('/').filter((p) => p !== '')) {
    const next = g.get(part);
    g = next instanceof h5wasm.Group ? next : g.create_group(part);
  }
  return g;
}

function dataset(
  f: InstanceType<typeof h5wasm.Group>,
  path: string,
  a: { values: Float32Array; shape: readonly number[] },
): void {
  const at = path.lastIndexOf('/');
  ensure(f, path.slice(0, at)).create_dataset({ name: path.slice(at + 1), data: a.values, shape: [...a.shape] });
}

/** A Keras 2.x whole-model .h5 file: `layers` in model order, each with its weights. */
export function keras2H5(
  modelConfig: unknown,
  layers: readonly { name: string; weights: readonly NamedArray[] }[],
  kerasVersion = '2.15.0',
): Promise<Uint8Array> {
  return buildH5((f) => {
    f.create_attribute('keras_version', kerasVersion);
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('model_config', JSON.stringify(modelConfig));
    const mw = f.create_group('model_weights');
    mw.create_attribute(
      'layer_names',
      layers.map((l) => l.name),
    );
    mw.create_attribute('backend', 'tensorflow');
    mw.create_attribute('keras_version', kerasVersion);
    for (const l of layers) {
      const g = mw.create_group(l.name);
      // An empty list of names is written as an empty float array by h5py; h5wasm needs a string list.
      if (l.weights.length > 0)
        g.create_attribute(
          'weight_names',
          l.weights.map((w) => w.name),
        );
      for (const w of l.weights) dataset(g, w.name, w);
    }
  });
}

/** A Keras 3 model.weights.h5: `vars` maps group paths (`layers/dense/vars`) to their variables in order. */
export function keras3WeightsH5(vars: Readonly<Record<string, readonly NamedArray[]>>): Promise<Uint8Array> {
  return buildH5((f) => {
    ensure(f, 'vars');
    for (const [path, list] of Object.entries(vars)) {
      ensure(f, path);
      list.forEach((a, i) => dataset(f, `${path}/${i}`, a));
    }
  });
}

/** A Keras 3 .keras zip. */
export function kerasZip(config: unknown, weights: Uint8Array, kerasVersion = '3.5.0'): Uint8Array {
  const enc = new TextEncoder();
  return zipSync(
    {
      'metadata.json': enc.encode(JSON.stringify({ keras_version: kerasVersion, date_saved: '2026-01-01@00:00:00' })),
      'config.json': enc.encode(JSON.stringify(config)),
      'model.weights.h5': weights,
    },
    { level: 0 },
  );
}

/** Seeded values in [-scale, scale) (a small LCG: tests need the same numbers every run). */
export function seeded(n: number, seed: number, scale = 0.5, offset = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return offset + (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}
