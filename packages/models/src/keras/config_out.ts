/**
 * A tfjs-layers model → Keras 3's config.json: `{module, class_name, config, registered_name,
 * build_config}` objects, DTypePolicy dtypes, InputLayer `batch_shape`, functional
 * `inbound_nodes` as `{args: [__keras_tensor__ …], kwargs}`, and only the constructor arguments
 * Keras 3 accepts (it refuses unknown ones). Followed: keras/src/saving/serialization_lib.py
 * (serialize_keras_object) and keras/src/models/functional.py (get_config / serialize_node), and
 * the config.json of real Keras 3 files (test/fixtures/keras).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { isObject, saveError, type Json, type JsonObject } from './errors.js';
import { LAYERS, SUPPORTED_CLASSES } from './layer_table.js';

/** tfjs-layers class name → Keras class name, where they differ. */
const TFJS_TO_KERAS: Record<string, string> = { Model: 'Functional' };

const DTYPE_POLICY: JsonObject = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

const kerasObject = (module: string, className: string, config: Json): JsonObject => ({
  module,
  class_name: className,
  config,
  registered_name: null,
});

const INITIALIZER_NAMES: Record<string, string> = {
  LeCunNormal: 'LecunNormal',
  LeCunUniform: 'LecunUniform',
  Orthogonal: 'OrthogonalInitializer',
  Identity: 'IdentityInitializer',
};

function initializer(v: Json): Json {
  if (!isObject(v) || typeof v.class_name !== 'string') return v;
  const config: JsonObject = isObject(v.config) ? { ...v.config } : {};
  // tfjs' VarianceScaling 'normal' draws from a truncated normal, as Keras' 'truncated_normal'.
  if (v.class_name === 'VarianceScaling' && config.distribution === 'normal') config.distribution = 'truncated_normal';
  return kerasObject('keras.initializers', INITIALIZER_NAMES[v.class_name] ?? v.class_name, config);
}

function regularizer(v: Json): Json {
  if (!isObject(v) || typeof v.class_name !== 'string') return null;
  return kerasObject('keras.regularizers', v.class_name, isObject(v.config) ? v.config : {});
}

function constraint(v: Json): Json {
  if (!isObject(v) || typeof v.class_name !== 'string') return null;
  return kerasObject('keras.constraints', v.class_name, isObject(v.config) ? v.config : {});
}

const KERAS_ACTIVATIONS = new Set([
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'tanh',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
]);

function activation(v: Json, where: string): Json {
  if (v === 'hard_sigmoid')
    saveError(
      `${where} uses tfjs-layers' hard_sigmoid (0.2·x + 0.5), which Keras 3 does not have (its hard_sigmoid is x/6 + 0.5): use sigmoid`,
    );
  if (typeof v !== 'string' || !KERAS_ACTIVATIONS.has(v))
    saveError(`${where} uses the activation ${JSON.stringify(v)}, which Keras 3 has no name for`);
  return v;
}

function convertValue(key: string, value: Json, where: string): Json {
  if (key.endsWith('_initializer')) return initializer(value);
  if (key.endsWith('_regularizer')) return regularizer(value);
  if (key.endsWith('_constraint')) return constraint(value);
  if (key === 'activation' || key === 'recurrent_activation') return activation(value, where);
  return value;
}

/** One layer's tfjs config (pythonic, as `toJSON` writes it) → Keras 3's serialised layer. */
function layerToKeras(entry: JsonObject, buildShape?: Json): JsonObject {
  const tfjsClass = String(entry.class_name);
  const cls = TFJS_TO_KERAS[tfjsClass] ?? tfjsClass;
  const config = isObject(entry.config) ? entry.config : {};
  const name = String(config.name ?? entry.name ?? '');
  if (cls === 'Sequential' || cls === 'Functional') return modelToKeras(entry);
  const spec = LAYERS[cls];
  if (!spec || cls === 'InputLayer') {
    if (cls !== 'InputLayer')
      saveError(
        `layer '${name}' is a ${tfjsClass}, which the .keras writer does not support. Supported: ${SUPPORTED_CLASSES.join(', ')}`,
      );
  }
  const where = `layer '${name}' (${cls})`;
  const out: JsonObject = { name, trainable: config.trainable ?? true, dtype: DTYPE_POLICY };
  if (cls === 'InputLayer') {
    return kerasObject('keras.layers', 'InputLayer', {
      batch_shape: config.batch_input_shape ?? null,
      dtype: 'float32',
      sparse: false,
      name,
    });
  }
  for (const k of spec.args) {
    if (config[k] !== undefined) out[k] = convertValue(k, config[k], where);
  }
  if (cls === 'LeakyReLU') out.negative_slope = (config.alpha ?? 0.3) as Json;
  // Keras 3's GRU defaults to reset_after=True; tfjs-layers' GRU is reset_after=False.
  if (cls === 'GRU') out.reset_after = config.reset_after === true;
  if (cls === 'LSTM') out.unit_forget_bias = config.unit_forget_bias === true;
  if (cls === 'Normalization') {
    out.mean = (config.mean ?? null) as Json;
    out.variance = (config.variance ?? null) as Json;
  }
  if (cls === 'Bidirectional' || cls === 'TimeDistributed') {
    if (!isObject(config.layer)) saveError(`${where} has no inner layer`);
    out.layer = layerToKeras(config.layer);
  }
  const serialised = kerasObject(spec.module ?? 'keras.layers', cls, out);
  if (buildShape !== undefined) serialised.build_config = { input_shape: buildShape };
  return serialised;
}

const kerasTensor = (shape: Json, history: Json[]): JsonObject => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: history },
});

/** A tfjs (Keras 2 style) model config → Keras 3's, with shapes from `shapes` for call arguments. */
/** Suffixes of the two layers that stand for tfjs-layers' hard_sigmoid in a Keras 3 file. */
const HARD_SIGMOID_SCALE = '_hard_sigmoid_scale';
const HARD_SIGMOID_CLIP = '_hard_sigmoid';

/**
 * tfjs-layers' hard_sigmoid, clip(0.2·x + 0.5, 0, 1), has no Keras 3 name (Keras 3's is
 * relu6(x + 3) / 6): a layer using it is written with a linear activation followed by
 * Rescaling(0.2, 0.5) and ReLU(max_value=1), which compute exactly it. Consumers of the layer are
 * rewired to the ReLU. Returns the rewritten layer list (Keras 2 style, as tfjs writes it).
 */
function expandHardSigmoid(layers: JsonObject[], functional: boolean): JsonObject[] {
  const expanded = new Set<string>();
  const out: JsonObject[] = [];
  for (const l of layers) {
    const c = isObject(l.config) ? l.config : {};
    if (c.activation !== 'hard_sigmoid') {
      out.push(l);
      continue;
    }
    const name = String(c.name ?? l.name);
    expanded.add(name);
    const calls = Array.isArray(l.inbound_nodes) ? l.inbound_nodes.length : 1;
    const after = (from: string): JsonObject =>
      functional ? { inbound_nodes: Array.from({ length: calls }, (_, k): Json => [[from, k, 0, {}]]) } : {};
    out.push({ ...l, config: { ...c, activation: 'linear' } });
    out.push({
      class_name: 'Rescaling',
      name: `${name}${HARD_SIGMOID_SCALE}`,
      config: { name: `${name}${HARD_SIGMOID_SCALE}`, trainable: true, scale: 0.2, offset: 0.5 },
      ...after(name),
    });
    out.push({
      class_name: 'ReLU',
      name: `${name}${HARD_SIGMOID_CLIP}`,
      config: {
        name: `${name}${HARD_SIGMOID_CLIP}`,
        trainable: true,
        max_value: 1.0,
        negative_slope: 0.0,
        threshold: 0.0,
      },
      ...after(`${name}${HARD_SIGMOID_SCALE}`),
    });
  }
  if (!functional || expanded.size === 0) return out;
  const rewire = (ref: Json): Json =>
    Array.isArray(ref) && typeof ref[0] === 'string' && expanded.has(ref[0])
      ? [`${ref[0]}${HARD_SIGMOID_CLIP}`, ...ref.slice(1)]
      : ref;
  return out.map((l) => {
    const own = String(l.name);
    if (own.endsWith(HARD_SIGMOID_SCALE)) return l;
    const nodes = Array.isArray(l.inbound_nodes) ? l.inbound_nodes : [];
    return { ...l, inbound_nodes: nodes.map((node) => (Array.isArray(node) ? node.map(rewire) : node)) };
  });
}

/** The rewired output references of a functional model whose layers were expanded. */
const rewireRefs = (refs: Json, layers: JsonObject[]): Json => {
  const names = new Set(layers.map((l) => String(l.name)));
  return Array.isArray(refs)
    ? refs.map((r) =>
        Array.isArray(r) && typeof r[0] === 'string' && names.has(`${r[0]}${HARD_SIGMOID_CLIP}`)
          ? [`${r[0]}${HARD_SIGMOID_CLIP}`, ...r.slice(1)]
          : r,
      )
    : refs;
};

/** The layer whose shapes stand for an added hard_sigmoid layer (the same as the original's). */
const shapeSource = (name: string): string =>
  name.endsWith(HARD_SIGMOID_SCALE)
    ? name.slice(0, -HARD_SIGMOID_SCALE.length)
    : name.endsWith(HARD_SIGMOID_CLIP)
      ? name.slice(0, -HARD_SIGMOID_CLIP.length)
      : name;

function modelToKeras(entry: JsonObject, shapes?: TensorShapes): JsonObject {
  const tfjsClass = String(entry.class_name);
  const config = isObject(entry.config) ? entry.config : {};
  const name = String(config.name ?? 'model');
  const layers = expandHardSigmoid(
    Array.isArray(config.layers) ? config.layers.filter(isObject) : [],
    tfjsClass !== 'Sequential',
  );
  if (tfjsClass === 'Sequential') {
    const first = isObject(layers[0]?.config) ? layers[0].config : {};
    const batchShape = (first.batch_input_shape ?? null) as Json;
    const out: JsonObject[] = [];
    if (batchShape !== null)
      out.push(
        layerToKeras({ class_name: 'InputLayer', config: { batch_input_shape: batchShape, name: `${name}_input` } }),
      );
    for (const l of layers)
      out.push(layerToKeras(l, shapes?.inputShape(shapeSource(String(l.config && (l.config as JsonObject).name)))));
    const model = kerasObject('keras', 'Sequential', {
      name,
      trainable: true,
      dtype: DTYPE_POLICY,
      layers: out,
      ...(batchShape !== null ? { build_input_shape: batchShape } : {}),
    });
    if (batchShape !== null) model.build_config = { input_shape: batchShape };
    return model;
  }
  const out: JsonObject[] = layers.map((l) => {
    const lname = String(l.name);
    const serialised = layerToKeras(l);
    const nodes = Array.isArray(l.inbound_nodes) ? l.inbound_nodes : [];
    serialised.name = lname;
    serialised.inbound_nodes = nodes.map((node) => {
      const refs = (Array.isArray(node) ? node : []).filter(Array.isArray) as Json[][];
      const tensors = refs.map((r) =>
        kerasTensor(shapes?.outputShape(shapeSource(String(r[0])), Number(r[1]), Number(r[2])) ?? null, [
          r[0],
          r[1],
          r[2],
        ]),
      );
      return { args: tensors.length === 1 ? [tensors[0]] : [tensors], kwargs: {} };
    });
    return serialised;
  });
  return kerasObject('keras', 'Functional', {
    name,
    trainable: true,
    layers: out,
    input_layers: (config.input_layers ?? []) as Json,
    output_layers: rewireRefs((config.output_layers ?? []) as Json, layers),
  });
}

/** Shapes of a built model's tensors, for Keras 3's `__keras_tensor__` and `build_config`. */
interface TensorShapes {
  outputShape(layer: string, node: number, tensor: number): Json;
  inputShape(layer: string): Json | undefined;
}

function shapesOf(model: tfl.LayersModel): TensorShapes {
  const find = (name: string): tfl.layers.Layer | undefined => model.layers.find((l) => l.name === name);
  return {
    outputShape(layer, node, tensor) {
      const shape = find(layer)?.inboundNodes[node]?.outputTensors[tensor]?.shape;
      return shape ? (shape as Json) : null;
    },
    inputShape(layer) {
      const shapes = find(layer)?.inboundNodes[0]?.inputShapes;
      if (!shapes) return undefined;
      return (Array.isArray(shapes[0]) ? (shapes.length === 1 ? shapes[0] : shapes) : shapes) as Json;
    },
  };
}

/** The Keras 3 config.json of a tfjs-layers model. */
export function modelConfigToKeras(model: tfl.LayersModel): JsonObject {
  const json = model.toJSON(null, false) as unknown as JsonObject;
  completeConfig(model, json);
  return modelToKeras(json, shapesOf(model));
}

/** Fills in what tfjs-layers' getConfig leaves out (SeparableConv2D's depth_multiplier). */
export function completeConfig(model: tfl.LayersModel, json: JsonObject): void {
  const config = isObject(json.config) ? json.config : {};
  const entries = Array.isArray(config.layers) ? config.layers.filter(isObject) : [];
  for (const layer of model.layers) {
    const entry = entries.find((e) => isObject(e.config) && e.config.name === layer.name);
    if (!entry || !isObject(entry.config)) continue;
    if (layer instanceof tfl.LayersModel) completeConfig(layer, entry);
    const depthMultiplier = (layer as unknown as { depthMultiplier?: number }).depthMultiplier;
    if (layer.getClassName() === 'SeparableConv2D' && entry.config.depth_multiplier === undefined)
      entry.config.depth_multiplier = depthMultiplier ?? 1;
  }
}
