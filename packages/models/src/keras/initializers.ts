/**
 * Models are built with every initializer swapped for Zeros — the file's weights replace the
 * initial values anyway, so drawing them (an Orthogonal initializer runs a QR decomposition) only
 * costs time — and with LSTM's unit_forget_bias off (tfjs-layers' LSTMCell leaves 4 tensors behind
 * building that bias); then both are put back on the built layers, so the model's config (and any
 * re-save) keeps them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isObject, type Json, type JsonObject } from './errors.js';

const ZEROS: JsonObject = { class_name: 'Zeros', config: {} };

/** A deep copy of a pythonic topology with every `*_initializer` set to Zeros and unit_forget_bias off. */
export function withZeroInitializers(v: Json): Json {
  if (Array.isArray(v)) return v.map(withZeroInitializers);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.endsWith('_initializer') && x !== null) out[k] = ZEROS;
    else if (k === 'unit_forget_bias') out[k] = false;
    else out[k] = withZeroInitializers(x);
  }
  return out;
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const camelConfig = (v: Json): Json =>
  Array.isArray(v)
    ? v.map(camelConfig)
    : isObject(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelConfig(x)]))
      : typeof v === 'string'
        ? camel(v)
        : v;

function makeInitializer(v: JsonObject): unknown {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[String(v.class_name)];
  if (!entry) return undefined;
  const [cls, fromConfig] = entry;
  return fromConfig(cls, camelConfig(isObject(v.config) ? v.config : {}) as tf.serialization.ConfigDict);
}

type Holder = Record<string, unknown>;

/** Puts the initializers of `config` (pythonic) back on `layer` (or its cell / wrapped layers). */
function restoreLayer(layer: Holder, config: JsonObject): void {
  const cell = layer.cell as Holder | undefined;
  if (config.unit_forget_bias === true && cell && 'unitForgetBias' in cell) cell.unitForgetBias = true;
  for (const [k, v] of Object.entries(config)) {
    if (!k.endsWith('_initializer') || !isObject(v)) continue;
    const key = camel(k);
    const init = makeInitializer(v);
    if (init === undefined) continue;
    // RNN layers read their initializers from their cell.
    const holder = Object.prototype.hasOwnProperty.call(layer, key) ? layer : cell;
    if (holder && Object.prototype.hasOwnProperty.call(holder, key)) holder[key] = init;
  }
  const inner = config.layer;
  if (isObject(inner) && isObject(inner.config)) {
    for (const sub of [layer.layer, layer.forwardLayer, layer.backwardLayer])
      if (sub) restoreLayer(sub as Holder, inner.config);
  }
}

/** Restores the initializers of `topology` (pythonic) on the model built from its zeroed copy. */
export function restoreInitializers(model: tfl.LayersModel, topology: JsonObject): void {
  const config = isObject(topology.config) ? topology.config : {};
  const layers = Array.isArray(config.layers) ? config.layers.filter(isObject) : [];
  for (const entry of layers) {
    const c = isObject(entry.config) ? entry.config : {};
    const name = String(c.name ?? entry.name);
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) continue;
    if (entry.class_name === 'Sequential' || entry.class_name === 'Model')
      restoreInitializers(layer as tfl.LayersModel, entry);
    else restoreLayer(layer as unknown as Holder, c);
  }
}
