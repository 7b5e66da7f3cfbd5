/**
 * loadKerasModel: a Keras `.keras` or `.h5` file → a tfjs-layers model. The config is translated
 * first (an unsupported or code-running layer is refused before any weight is read), the weights
 * are read and checked as plain arrays, and only then is the model built; if anything fails after
 * that, the model is disposed, so nothing is half-loaded and no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { translateConfig, type TranslatedModel, type WeightNode } from './config_in.js';
import { registerKerasLayers } from './custom_layers.js';
import { isObject, kerasError, type Json } from './errors.js';
import { withHdf5, type H5Array } from './hdf5.js';
import { restoreInitializers, withZeroInitializers } from './initializers.js';
import { readSource, sniffContainer, type KerasSource } from './source.js';
import { checkFinite, readKeras3Weights, readLegacyWeights, type LayerArrays } from './weights_in.js';
import { readZip } from './zip.js';

/** Options of {@link loadKerasModel}. */
export interface LoadKerasOptions {
  /** Accept weights holding NaN or ±Infinity (refused by default). */
  readonly allowNonFinite?: boolean;
}

const CONFIG_JSON = 'config.json';
const METADATA_JSON = 'metadata.json';
const WEIGHTS_H5 = 'model.weights.h5';

function parseJson(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    return kerasError(`${what} is not valid JSON (${(e as Error).message}): the file is corrupt`);
  }
}

interface Parsed {
  readonly translated: TranslatedModel;
  readonly arrays: LayerArrays;
}

async function parseKerasZip(bytes: Uint8Array, what: string): Promise<Parsed> {
  const entries = await readZip(bytes, what, [CONFIG_JSON, METADATA_JSON, WEIGHTS_H5, 'model.weights.npz']);
  if (!entries[CONFIG_JSON]) kerasError(`${what} is a zip without config.json: not a .keras model file`);
  const config = parseJson(new TextDecoder().decode(entries[CONFIG_JSON]), `${what}: config.json`);
  // tf-keras 2.13+ also writes .keras files; its metadata says keras_version 2.x.
  const metadata = entries[METADATA_JSON]
    ? parseJson(new TextDecoder().decode(entries[METADATA_JSON]), `${what}: metadata.json`)
    : null;
  const version = isObject(metadata) && typeof metadata.keras_version === 'string' ? metadata.keras_version : '3';
  const translated = translateConfig(config, what, !version.startsWith('2.'));
  const weights = entries[WEIGHTS_H5];
  if (!weights) {
    if (entries['model.weights.npz']) kerasError(`${what} keeps its weights as .npz, which is not supported`);
    kerasError(`${what} has no ${WEIGHTS_H5}: the file is incomplete`);
  }
  const arrays = await withHdf5(weights, `${what} (${WEIGHTS_H5})`, (r) => readKeras3Weights(r, translated.layers));
  return { translated, arrays };
}

async function parseLegacyH5(bytes: Uint8Array, what: string): Promise<Parsed> {
  return withHdf5(bytes, what, (r) => {
    const raw = r.attr('', 'model_config');
    const text = Array.isArray(raw) ? raw.join('') : raw;
    if (typeof text !== 'string') {
      return kerasError(
        `${what} is an HDF5 file without a model_config: it holds weights only (save_weights), not a model — save the whole model (model.save)`,
      );
    }
    const config = parseJson(text, `${what}: model_config`);
    // legacy_h5_format.load_model_from_hdf5: model_config may wrap {class_name, config}.
    const translated = translateConfig(
      isObject(config) && isObject(config.model_config) ? config.model_config : config,
      what,
      String(r.attr('', 'keras_version') ?? '2').startsWith('3.'),
    );
    return { translated, arrays: readLegacyWeights(r, translated.layers, what) };
  });
}

const shapeText = (s: readonly (number | null)[]): string => `[${s.join(', ')}]`;

/** The tfjs layer a weight node names inside `container`. */
function findLayer(container: tfl.LayersModel, node: WeightNode, what: string): tfl.layers.Layer {
  try {
    return container.getLayer(node.name);
  } catch {
    return kerasError(`${what}: layer '${node.name}' is missing from the built model`);
  }
}

/** Pairs every layer with its arrays after checking counts and shapes (nothing assigned yet). */
function matchWeights(
  model: tfl.LayersModel,
  translated: TranslatedModel,
  arrays: LayerArrays,
  what: string,
): [tfl.layers.Layer, H5Array[]][] {
  const pairs: [tfl.layers.Layer, H5Array[]][] = [];
  const visit = (container: tfl.LayersModel, nodes: readonly WeightNode[]): void => {
    for (const node of nodes) {
      const layer = findLayer(container, node, what);
      let list = arrays.get(node);
      if (list === undefined && node.children) {
        visit(layer as tfl.LayersModel, node.children);
        continue;
      }
      list ??= [];
      const expected = layer.weights;
      // Keras 2's Normalization also keeps a `count` scalar that tfjs does not use.
      if (node.className === 'Normalization' && list.length === expected.length + 1) list = list.slice(0, -1);
      if (list.length !== expected.length) {
        kerasError(
          `${what}: layer '${node.name}' (${node.className}) needs ${expected.length} weights (${expected.map((w) => `${w.originalName} ${shapeText(w.shape)}`).join(', ') || 'none'}), the file has ${list.length}`,
        );
      }
      list.forEach((a, i) => {
        const want = expected[i].shape;
        if (a.shape.length !== want.length || a.shape.some((d, j) => d !== want[j])) {
          kerasError(
            `${what}: weight ${expected[i].originalName} of layer '${node.name}' (${node.className}) has shape ${shapeText(a.shape)} in the file, but the layer's config needs ${shapeText(want)}`,
          );
        }
      });
      if (expected.length > 0) pairs.push([layer, list]);
    }
  };
  visit(model, translated.layers);
  return pairs;
}

/**
 * Disposes a model and every weight it holds: tfjs-layers' dispose keeps the weights of a layer
 * shared between two calls (its reference count counts the calls), which would leak them here.
 */
export function disposeModel(model: tfl.LayersModel): void {
  const weights = model.weights;
  model.dispose();
  for (const w of weights) {
    try {
      w.read();
      w.dispose();
    } catch {
      // already disposed
    }
  }
}

async function buildModel(translated: TranslatedModel, what: string): Promise<tfl.LayersModel> {
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    const modelTopology = withZeroInitializers(translated.topology);
    return await tfl.models.modelFromJSON({ modelTopology } as unknown as tfl.ModelAndWeightsConfig);
  } catch (e) {
    // Layers built before the failing one hold variables nothing refers to any more.
    for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (!before.has(name)) v.dispose();
    return kerasError(`${what}: the model cannot be built from its config (${(e as Error).message})`);
  }
}

/**
 * Loads a Keras model — a Keras 3 or tf-keras `.keras` zip, or a Keras 2 / Keras 3 legacy `.h5` —
 * into a tfjs-layers model on the current backend. `source` is a file path (Node), a URL, a
 * File/Blob, or the file's bytes; the format is told from the bytes. LSTM and GRU layers run on
 * Lanes' fused kernels. Throws an {@link InvalidInputError} saying what is wrong with the file
 * (unsupported or code-running layers, corrupt or truncated containers, mismatched or non-finite
 * weights); a failed load leaves no tensor behind.
 */
export async function loadKerasModel(source: KerasSource, options: LoadKerasOptions = {}): Promise<tfl.LayersModel> {
  registerKerasLayers();
  const { bytes, name } = await readSource(source);
  const what = name;
  const container = sniffContainer(bytes, what);
  const { translated, arrays } =
    container === 'zip' ? await parseKerasZip(bytes, what) : await parseLegacyH5(bytes, what);
  if (!options.allowNonFinite) checkFinite(arrays, what);
  const model = await buildModel(translated, what);
  try {
    const pairs = matchWeights(model, translated, arrays, what);
    for (const [layer, list] of pairs) {
      tf.tidy(() => layer.setWeights(list.map((a) => tf.tensor(a.values, a.shape, 'float32'))));
    }
    restoreInitializers(model, translated.topology);
    return model;
  } catch (e) {
    disposeModel(model);
    throw e;
  }
}
