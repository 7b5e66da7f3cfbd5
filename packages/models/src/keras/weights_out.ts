/**
 * A tfjs-layers model's weights → Keras 3's `model.weights.h5` layout (keras/src/saving/
 * saving_lib.py: `_save_state` / `_save_container_state` / H5Entry): the model's own `vars`
 * group, then for each layer `layers/<snake_case class>[_<n>]/vars/<i>`, with RNN variables under
 * `cell/vars`, Bidirectional under `forward_layer/cell/vars` and `backward_layer/cell/vars`,
 * TimeDistributed under `layer/vars`, and nested models under their own `layers/…`.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { isObject, saveError, type JsonObject } from './errors.js';
import type { H5Writer } from './hdf5.js';
import { LAYERS, toSnakeCase } from './layer_table.js';

const join = (path: string, part: string): string => (path === '' ? part : `${path}/${part}`);

function writeVars(w: H5Writer, group: string, weights: readonly tfl.LayerVariable[], name?: string): void {
  w.group(group);
  if (name !== undefined) w.attr(group, 'name', name);
  weights.forEach((v, i) => {
    const t = v.read();
    w.dataset(`${group}/${i}`, Float32Array.from(t.dataSync() as Float32Array), t.shape);
  });
}

/** One leaf layer's groups, `weights` in tfjs-layers' order. */
function writeLayer(w: H5Writer, path: string, cls: string, entry: JsonObject, weights: tfl.LayerVariable[]): void {
  const name = isObject(entry.config) ? String(entry.config.name) : undefined;
  const layout = LAYERS[cls]?.vars ?? 'own';
  if (layout === 'own') return writeVars(w, join(path, 'vars'), weights, name);
  writeVars(w, join(path, 'vars'), [], name);
  if (layout === 'cell') return writeVars(w, join(path, 'cell/vars'), weights);
  const inner = isObject(entry.config) && isObject(entry.config.layer) ? entry.config.layer : undefined;
  if (!inner) return saveError(`layer '${name}' (${cls}) has no inner layer`);
  if (layout === 'bidirectional') {
    if (weights.length % 2 !== 0) saveError(`layer '${name}' (Bidirectional) has an odd number of weights`);
    const half = weights.length / 2;
    for (const [side, part] of [
      ['forward_layer', weights.slice(0, half)],
      ['backward_layer', weights.slice(half)],
    ] as const) {
      writeVars(w, join(path, `${side}/vars`), []);
      writeVars(w, join(path, `${side}/cell/vars`), part);
    }
    return;
  }
  writeLayer(w, join(path, 'layer'), String(inner.class_name), inner, weights);
}

/** Writes the weights of `model` (whose Keras 3 config is `config`) below `path`. */
export function writeModelWeights(w: H5Writer, model: tfl.LayersModel, config: JsonObject, path: string): void {
  const inner = isObject(config.config) ? config.config : {};
  writeVars(w, join(path, 'vars'), [], typeof inner.name === 'string' ? inner.name : undefined);
  const sequential = config.class_name === 'Sequential';
  const used = new Map<string, number>();
  for (const entry of Array.isArray(inner.layers) ? inner.layers.filter(isObject) : []) {
    const cls = String(entry.class_name);
    // Keras 3's Sequential.layers leaves out its InputLayer; Functional.layers keeps them.
    if (cls === 'InputLayer' && sequential) continue;
    const snake = toSnakeCase(cls);
    const n = used.get(snake);
    used.set(snake, n === undefined ? 0 : n + 1);
    const layerPath = join(path, `layers/${n === undefined ? snake : `${snake}_${n + 1}`}`);
    if (cls === 'InputLayer') {
      writeVars(w, join(layerPath, 'vars'), []);
      continue;
    }
    const name = String((isObject(entry.config) && entry.config.name) ?? entry.name);
    const layer = model.layers.find((l) => l.name === name);
    // Layers the writer added (hard_sigmoid's Rescaling and ReLU) hold no weights.
    if (!layer) {
      writeVars(w, join(layerPath, 'vars'), [], name);
      continue;
    }
    if (cls === 'Sequential' || cls === 'Functional') writeModelWeights(w, layer as tfl.LayersModel, entry, layerPath);
    else writeLayer(w, layerPath, cls, entry, layer.weights);
  }
}
