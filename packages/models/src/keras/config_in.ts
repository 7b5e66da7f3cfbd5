/**
 * Keras model configs (Keras 3's config.json and Keras 2's model_config attribute) → the Keras 2
 * style topology tfjs-layers deserialises (the layout of tfjs model.json's modelTopology), plus
 * where each layer's variables sit in a Keras 3 weights file. Nothing is built and no weight is
 * read here: an unsupported or code-running layer is refused from the config alone.
 *
 * Followed: keras/src/saving/serialization_lib.py (module / class_name / registered_name,
 * `__keras_tensor__` call arguments), keras/src/models/functional.py (inbound_nodes,
 * input_layers), keras/src/saving/saving_lib.py (`_save_container_state`: weights filed under
 * class-derived names), and tfjs-converter's keras_h5_conversion.py (what tfjs-layers expects).
 */
import { CODE_LAYERS, LAYER_ALIASES, LAYERS, SUPPORTED_CLASSES, toSnakeCase } from './layer_table.js';
import { isObject, kerasError, type Json, type JsonObject } from './errors.js';

/** Where one layer's variables are in a Keras 3 weights file, in tfjs-layers' weight order. */
export interface WeightNode {
  /** The layer's name (as in the config and the built tfjs model). */
  readonly name: string;
  /** Keras class (canonical name). */
  readonly className: string;
  /** Groups whose datasets `0, 1, …` are the layer's variables, in order (leaf layers). */
  readonly groups: readonly string[];
  /** A nested model's layers (their weights are set one layer at a time). */
  readonly children?: readonly WeightNode[];
}

/** A config translated for tfjs-layers. */
export interface TranslatedModel {
  /** `{class_name, config}` as tfjs-layers' `modelFromJSON` takes it. */
  readonly topology: JsonObject;
  /** The top-level layers that may hold weights, in the config's order. */
  readonly layers: readonly WeightNode[];
}

const KERAS_INITIALIZERS: Record<string, string> = {
  OrthogonalInitializer: 'Orthogonal',
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
  IdentityInitializer: 'Identity',
};
const TFJS_INITIALIZERS = new Set([
  'Zeros',
  'Ones',
  'Constant',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'Identity',
  'VarianceScaling',
  'GlorotUniform',
  'GlorotNormal',
  'HeNormal',
  'HeUniform',
  'LeCunNormal',
  'LeCunUniform',
  'Orthogonal',
]);
const INIT_KEYS: Record<string, readonly string[]> = {
  Constant: ['value'],
  RandomUniform: ['minval', 'maxval', 'seed'],
  RandomNormal: ['mean', 'stddev', 'seed'],
  TruncatedNormal: ['mean', 'stddev', 'seed'],
  Identity: ['gain'],
  VarianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  Orthogonal: ['gain', 'seed'],
};

/** A Keras initializer → tfjs-layers' (they only initialise: the file's weights replace them). */
function initializer(v: Json): Json {
  if (v === null) return null;
  let name: string;
  let config: JsonObject = {};
  if (typeof v === 'string') name = v.replace(/(^|_)([a-z])/g, (_, _u, c: string) => c.toUpperCase());
  else if (isObject(v) && typeof v.class_name === 'string') {
    name = v.class_name;
    if (isObject(v.config)) config = v.config;
  } else return { class_name: 'Zeros', config: {} };
  name = KERAS_INITIALIZERS[name] ?? name;
  if (name === 'Glorotuniform') name = 'GlorotUniform';
  if (!TFJS_INITIALIZERS.has(name)) return { class_name: 'Zeros', config: {} };
  const kept: JsonObject = {};
  for (const k of INIT_KEYS[name] ?? ['seed']) if (config[k] !== undefined) kept[k] = config[k];
  // tfjs-layers' VarianceScaling calls its truncated normal 'normal' (anything else draws uniform).
  if (name === 'VarianceScaling' && kept.distribution !== 'uniform') kept.distribution = 'normal';
  return { class_name: name, config: kept };
}

/** Keras L1 / L2 / L1L2 → tfjs-layers' L1L2 (other regularizers only matter in training: dropped). */
function regularizer(v: Json): Json {
  if (!isObject(v) || typeof v.class_name !== 'string') return null;
  const c = isObject(v.config) ? v.config : {};
  const l1 = typeof c.l1 === 'number' ? c.l1 : 0;
  const l2 = typeof c.l2 === 'number' ? c.l2 : 0;
  if (!['L1', 'L2', 'L1L2', 'L1L2Regularizer'].includes(v.class_name)) return null;
  return { class_name: 'L1L2', config: { l1, l2 } };
}

const TFJS_CONSTRAINTS = new Set(['MaxNorm', 'UnitNorm', 'NonNeg', 'MinMaxNorm']);
function constraint(v: Json): Json {
  if (!isObject(v) || typeof v.class_name !== 'string' || !TFJS_CONSTRAINTS.has(v.class_name)) return null;
  const c = isObject(v.config) ? { ...v.config } : {};
  return { class_name: v.class_name, config: c };
}

const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hard_sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  mish: 'mish',
  gelu: 'gelu',
};

function activation(v: Json, where: string, keras3: boolean): Json {
  if (v === null || v === undefined) return 'linear';
  // Keras 3 may serialise a built-in activation as {class_name: 'function', config: 'relu'}.
  const name = typeof v === 'string' ? v : isObject(v) && typeof v.config === 'string' ? v.config : undefined;
  if (name === undefined || ACTIVATIONS[name] === undefined) {
    kerasError(
      `${where} uses the activation ${JSON.stringify(v)}, which is not supported: expected one of ${Object.keys(ACTIVATIONS).join(', ')}`,
    );
  }
  // Keras 3's hard_sigmoid is relu6(x + 3) / 6; Keras 2's and tfjs-layers' is 0.2·x + 0.5.
  if (name === 'hard_sigmoid' && keras3)
    kerasError(
      `${where} uses Keras 3's hard_sigmoid (x/6 + 0.5) inside a recurrent or wrapped layer, which tfjs-layers cannot compute (its hard_sigmoid is 0.2·x + 0.5)`,
    );
  return ACTIVATIONS[name];
}

/** Keys whose values are Keras objects to convert, by kind. */
function convertValue(key: string, value: Json, where: string, keras3: boolean): Json {
  if (key.endsWith('_initializer')) return initializer(value);
  if (key.endsWith('_regularizer')) return regularizer(value);
  if (key.endsWith('_constraint')) return constraint(value);
  if (key === 'activation' || key === 'recurrent_activation') return activation(value, where, keras3);
  return value;
}

const DROPPED_KEYS = new Set([
  'module',
  'registered_name',
  'build_config',
  'compile_config',
  'shared_object_id',
  'dtype',
  'seed',
  'synchronized',
  'use_cudnn',
  'time_major',
  'autocast',
  'optional',
  'ragged',
  'quantization_config',
  'lora_rank',
  'lora_alpha',
]);

/** The name of a layer entry (Keras 3 puts it beside config in functional models). */
const entryName = (entry: JsonObject): string =>
  typeof entry.name === 'string'
    ? entry.name
    : isObject(entry.config) && typeof entry.config.name === 'string'
      ? entry.config.name
      : '(unnamed)';

function canonicalClass(entry: JsonObject): string {
  const cls = typeof entry.class_name === 'string' ? entry.class_name : '';
  return LAYER_ALIASES[cls] ?? cls;
}

/** Problems found while walking a config (all unsupported layers are named in one error). */
interface Walk {
  unsupported: string[];
  /** Written by Keras 3 (whose hard_sigmoid differs). */
  keras3: boolean;
  /** Layers to insert after a layer (by name) whose activation tfjs-layers lacks. */
  extras: Map<string, JsonObject[]>;
}

/**
 * Activations tfjs-layers lacks, as the layers that compute them after a linear one: Keras 3's
 * hard_sigmoid, relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1), as Rescaling(1/6, 0.5) + ReLU(max 1);
 * leaky_relu (Keras 3, slope 0.2) as LeakyReLU(0.2).
 */
function activationLayers(v: Json, keras3: boolean, name: string): JsonObject[] | undefined {
  const act = typeof v === 'string' ? v : isObject(v) && typeof v.config === 'string' ? v.config : undefined;
  if (act === 'hard_sigmoid' && keras3) {
    return [
      { class_name: 'Rescaling', config: { name: `${name}_hard_sigmoid_scale`, scale: 1 / 6, offset: 0.5 } },
      { class_name: 'ReLU', config: { name: `${name}_hard_sigmoid`, max_value: 1 } },
    ];
  }
  if (act === 'leaky_relu') return [{ class_name: 'LeakyReLU', config: { name: `${name}_leaky_relu`, alpha: 0.2 } }];
  return undefined;
}

/** Checks a layer's config for options tfjs-layers cannot honour. */
function checkOptions(cls: string, name: string, c: JsonObject): void {
  const refuse = (what: string): never =>
    kerasError(`layer '${name}' (${cls}) uses ${what}, which is not supported: re-save the model without it`);
  if (typeof c.groups === 'number' && c.groups !== 1) refuse(`groups=${c.groups}`);
  if (c.lora_rank != null) refuse('LoRA (lora_rank)');
  if (c.quantization_config != null) refuse('quantization');
  if (cls === 'ReLU' && ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0))
    refuse('negative_slope / threshold');
  if (cls === 'Conv2DTranspose' && c.output_padding != null) refuse('output_padding');
  // tfjs-layers implements neither.
  if (c.padding === 'causal' && cls === 'Conv1D') refuse("padding='causal'");
  if (cls === 'ELU' && typeof c.alpha === 'number' && c.alpha !== 1) refuse(`alpha=${c.alpha} (only 1)`);
  if (cls === 'BatchNormalization' && c.renorm === true) refuse('renorm');
  if (cls === 'LayerNormalization' && c.rms_scaling === true) refuse('rms_scaling');
  if (cls.startsWith('Global') && c.keepdims === true) refuse('keepdims=True');
  if (cls === 'Bidirectional' && c.backward_layer != null) {
    // A given backward layer is fine only as the forward one run backwards (tfjs-layers builds that itself).
    const b = c.backward_layer;
    if (!isObject(b) || !isObject(b.config) || b.config.go_backwards !== true) refuse('a custom backward_layer');
  }
}

/** One layer's config → tfjs-layers' Keras 2 style `{class_name, config}` (no inbound_nodes). */
function translateLayer(
  entry: JsonObject,
  walk: Walk,
  path: string,
  nodes: WeightNode[] | null,
  expandable = false,
): JsonObject {
  const cls = canonicalClass(entry);
  const name = entryName(entry);
  let config = isObject(entry.config) ? entry.config : {};
  if (CODE_LAYERS.has(cls)) {
    kerasError(
      `layer '${name}' is a ${cls}, which runs Python code stored in the file: refused, as Keras' own safe_mode refuses it. Replace it with built-in layers and re-save`,
    );
  }
  if (cls === 'Sequential' || cls === 'Functional') {
    const inner = translateModel(entry, walk, path);
    nodes?.push({ name, className: cls, groups: [], children: inner.layers });
    return inner.topology;
  }
  const spec = LAYERS[cls];
  if (!spec) {
    walk.unsupported.push(`'${name}' (${String(entry.class_name)})`);
    return { class_name: cls, config: {} };
  }
  checkOptions(cls, name, config);
  // A model's own (not wrapped, not recurrent) layer may hand its activation to layers after it.
  const extras =
    expandable && (spec.vars ?? 'own') === 'own' ? activationLayers(config.activation, walk.keras3, name) : undefined;
  if (extras) {
    walk.extras.set(name, extras);
    config = { ...config, activation: 'linear' };
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(config)) {
    if (DROPPED_KEYS.has(k)) continue;
    out[k] = convertValue(k, v, `layer '${name}' (${cls})`, walk.keras3);
  }
  out.name = name;
  out.dtype = 'float32';
  if (cls === 'InputLayer') {
    if (config.batch_shape !== undefined) out.batch_input_shape = config.batch_shape;
    else if (config.batch_input_shape === undefined && Array.isArray(config.input_shape))
      out.batch_input_shape = [null, ...config.input_shape];
    delete out.batch_shape;
    delete out.input_shape;
    delete out.sparse;
  }
  if (cls === 'LeakyReLU') {
    out.alpha = (config.negative_slope ?? config.alpha ?? 0.3) as Json;
    delete out.negative_slope;
  }
  if (cls === 'ReLU') {
    delete out.negative_slope;
    delete out.threshold;
  }
  if (cls === 'BatchNormalization' && Array.isArray(config.axis) && config.axis.length === 1) out.axis = config.axis[0];
  if (cls === 'Embedding') delete out.sparse;
  let groups: string[] = [`${path}/vars`];
  if (cls === 'Bidirectional' || cls === 'TimeDistributed') {
    const inner = config.layer;
    if (!isObject(inner)) kerasError(`layer '${name}' (${cls}) has no inner layer in its config`);
    const innerCls = canonicalClass(inner);
    if (cls === 'Bidirectional' && !['LSTM', 'GRU', 'SimpleRNN'].includes(innerCls))
      walk.unsupported.push(`'${entryName(inner)}' (${String(inner.class_name)} inside Bidirectional)`);
    out.layer = translateLayer(inner, walk, `${path}/layer`, null);
    delete out.backward_layer;
    if (cls === 'Bidirectional') {
      // keras/src/layers/rnn/bidirectional.py: forward_layer and backward_layer, each an RNN with a cell.
      groups = [`${path}/vars`];
      for (const side of ['forward_layer', 'backward_layer'])
        groups.push(`${path}/${side}/vars`, `${path}/${side}/cell/vars`);
    } else {
      groups = [`${path}/vars`, ...innerGroups(innerCls, `${path}/layer`)];
    }
  } else groups = innerGroups(cls, path);
  nodes?.push({ name, className: cls, groups });
  return { class_name: spec.tfjs, config: out };
}

/** The activation layers to insert after `name`, removed from `walk` (nested models reuse names). */
function takeExtras(walk: Walk, name: string): JsonObject[] {
  const extras = walk.extras.get(name) ?? [];
  walk.extras.delete(name);
  return extras;
}

/** A leaf layer's variable groups: its own, then its RNN cell's. */
function innerGroups(cls: string, path: string): string[] {
  return LAYERS[cls]?.vars === 'cell' ? [`${path}/vars`, `${path}/cell/vars`] : [`${path}/vars`];
}

/** A Keras tensor reference in a Keras 3 call → `[layer, node, tensor, {}]`. */
function tensorRef(v: Json, where: string): Json[] {
  if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config)) {
    const h = v.config.keras_history;
    if (Array.isArray(h) && h.length === 3) return [h[0], h[1], h[2], {}];
  }
  return kerasError(`${where} is called with an argument this reader does not support: ${JSON.stringify(v)}`);
}

/** Keras 3 inbound_nodes (`{args, kwargs}`) or Keras 2 ones (lists) → Keras 2's lists. */
function inboundNodes(nodes: Json, where: string): Json {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((node) => {
    if (Array.isArray(node)) return node; // Keras 2: [[layer, node, tensor, kwargs], …]
    if (!isObject(node)) return kerasError(`${where} has a malformed inbound node`);
    const refs: Json[] = [];
    const collect = (v: Json): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else refs.push(tensorRef(v, where));
    };
    collect(Array.isArray(node.args) ? node.args : []);
    if (isObject(node.kwargs)) {
      for (const [k, v] of Object.entries(node.kwargs)) {
        if (isObject(v) && v.class_name === '__keras_tensor__')
          kerasError(`${where} is called with a tensor as its '${k}' argument, which is not supported`);
      }
    }
    return refs;
  });
}

/** `["name", 0, 0]` or `[["name", 0, 0], …]` → the list form. */
const refList = (v: Json): Json[] =>
  Array.isArray(v) && v.length > 0 && typeof v[0] === 'string' ? [v] : Array.isArray(v) ? v : [];

function translateModel(entry: JsonObject, walk: Walk, path: string): TranslatedModel {
  const cls = canonicalClass(entry);
  // Keras ≤ 2.2 wrote a Sequential's config as the bare list of its layers.
  const config: JsonObject = Array.isArray(entry.config)
    ? { name: 'sequential', layers: entry.config }
    : isObject(entry.config)
      ? entry.config
      : {};
  const name = typeof config.name === 'string' ? config.name : cls.toLowerCase();
  const layerEntries = Array.isArray(config.layers) ? config.layers.filter(isObject) : [];
  const nodes: WeightNode[] = [];
  const used = new Map<string, number>();
  // saving_lib._save_container_state: `<snake_case class>`, then `_1`, `_2`, … for repeats.
  const childPath = (entry: JsonObject): string => {
    const pyClass = String(entry.class_name ?? '');
    const snake = toSnakeCase(pyClass === 'Model' ? 'Functional' : pyClass);
    const n = used.get(snake);
    used.set(snake, n === undefined ? 0 : n + 1);
    return `${path === '' ? '' : `${path}/`}layers/${n === undefined ? snake : `${snake}_${n + 1}`}`;
  };
  if (cls === 'Sequential') {
    const layers: JsonObject[] = [];
    let batchShape: Json | undefined = Array.isArray(config.build_input_shape) ? config.build_input_shape : undefined;
    for (const e of layerEntries) {
      if (canonicalClass(e) === 'InputLayer') {
        const ic = isObject(e.config) ? e.config : {};
        batchShape = (ic.batch_shape ?? ic.batch_input_shape ?? batchShape) as Json;
        continue;
      }
      const t = translateLayer(e, walk, childPath(e), nodes, true);
      // Keras 3 Sequential models keep their input in an InputLayer; tfjs-layers wants it on the first layer.
      if (layers.length === 0 && batchShape !== undefined && isObject(t.config) && t.config.batch_input_shape == null)
        t.config.batch_input_shape = batchShape;
      layers.push(t, ...takeExtras(walk, entryName(e)));
    }
    return { topology: { class_name: 'Sequential', config: { name, layers } }, layers: nodes };
  }
  const layers: JsonObject[] = [];
  // A layer followed by activation layers: its consumers read the last of them instead.
  const lastOf = new Map<string, string>();
  const added = new Set<string>();
  for (const e of layerEntries) {
    const lname = entryName(e);
    const input = canonicalClass(e) === 'InputLayer';
    const t = translateLayer(e, walk, childPath(e), input ? null : nodes, !input);
    const inbound = inboundNodes(e.inbound_nodes ?? [], `layer '${lname}'`) as Json[];
    layers.push({ ...t, name: lname, inbound_nodes: inbound });
    let previous = lname;
    for (const x of takeExtras(walk, lname)) {
      const xname = String((x.config as JsonObject).name);
      const calls = Math.max(1, inbound.length);
      layers.push({
        ...x,
        name: xname,
        inbound_nodes: Array.from({ length: calls }, (_, k) => [[previous, k, 0, {}]]),
      });
      added.add(xname);
      previous = xname;
    }
    if (previous !== lname) lastOf.set(lname, previous);
  }
  const rewire = (ref: Json): Json =>
    Array.isArray(ref) && typeof ref[0] === 'string' && lastOf.has(ref[0])
      ? [lastOf.get(ref[0])!, ...ref.slice(1)]
      : ref;
  for (const l of layers) {
    if (added.has(String(l.name)) || !Array.isArray(l.inbound_nodes)) continue;
    l.inbound_nodes = l.inbound_nodes.map((node) => (Array.isArray(node) ? node.map(rewire) : node));
  }
  return {
    topology: {
      class_name: 'Model',
      config: {
        name,
        layers,
        input_layers: refList(config.input_layers),
        output_layers: refList(config.output_layers).map(rewire),
      },
    },
    layers: nodes,
  };
}

/**
 * Translates a Keras model config (`{class_name, config, …}`; `keras3`: written by Keras 3). Throws one {@link InvalidInputError}
 * naming every unsupported layer, before anything is built or read.
 */
export function translateConfig(modelConfig: Json, what: string, keras3: boolean): TranslatedModel {
  if (
    !isObject(modelConfig) ||
    typeof modelConfig.class_name !== 'string' ||
    !(isObject(modelConfig.config) || Array.isArray(modelConfig.config))
  )
    kerasError(`${what} has no model config (class_name and config): is it a Keras model file?`);
  const cls = canonicalClass(modelConfig);
  if (cls !== 'Sequential' && cls !== 'Functional') {
    kerasError(
      `${what} holds a ${modelConfig.class_name} model: only Sequential and functional models can be loaded (a subclassed model's code is not in the file)`,
    );
  }
  const walk: Walk = { unsupported: [], keras3, extras: new Map() };
  const translated = translateModel(modelConfig, walk, '');
  if (walk.unsupported.length > 0) {
    kerasError(
      `${what} has layers of classes this reader does not support: ${walk.unsupported.join(', ')}. Supported: ${SUPPORTED_CLASSES.join(', ')}`,
    );
  }
  return translated;
}
