/**
 * Reading a model's weights out of HDF5 into plain float arrays (no tensor is made here), in
 * tfjs-layers' order for each layer.
 *
 * Keras 3 `model.weights.h5` (keras/src/saving/saving_lib.py, H5IOStore / H5Entry): a layer's own
 * variables are the datasets `0, 1, …` of `<path>/vars`, where `<path>` is `layers/<snake_case
 * class>[_<n>]` and sub-objects add `/cell`, `/forward_layer`, `/layer`, …; tf-keras 2.13+ files
 * use `_layer_checkpoint_dependencies` for `layers` (H5Entry's 2.13 compatibility branch).
 *
 * Legacy `.h5` (keras/src/legacy/saving/legacy_h5_format.py, load_weights_from_hdf5_group):
 * `model_weights` lists `layer_names`; each layer group lists `weight_names`, dataset paths
 * relative to it (`<layer>/kernel:0` in Keras 2, `kernel` in Keras 3's writer).
 */
import type { WeightNode } from './config_in.js';
import { kerasError } from './errors.js';
import type { H5Array, H5Reader } from './hdf5.js';

/** The arrays of each weight-holding layer (leaf layers, or whole nested models for legacy files). */
export type LayerArrays = Map<WeightNode, H5Array[]>;

const numericKeys = (keys: string[]): string[] =>
  keys.filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));

/** Reads a Keras 3 (or tf-keras 2.13+) weights file for every leaf layer of `layers`. */
export function readKeras3Weights(r: H5Reader, layers: readonly WeightNode[]): LayerArrays {
  const out: LayerArrays = new Map();
  const tfKeras = !r.isGroup('layers') && r.isGroup('_layer_checkpoint_dependencies');
  const locate = (group: string): string =>
    tfKeras ? group.replace(/(^|\/)layers(?=\/)/g, '$1_layer_checkpoint_dependencies') : group;
  const visit = (nodes: readonly WeightNode[]): void => {
    for (const node of nodes) {
      if (node.children) {
        visit(node.children);
        continue;
      }
      // Files that filed layers under their names rather than their classes (early Keras 3
      // releases did) are read from there when the class-named group is missing.
      const own = node.groups[0] ?? '';
      const named = own.replace(/layers\/[^/]+\/vars$/, `layers/${node.name}/vars`);
      const byName = !r.isGroup(locate(own)) && named !== own && r.isGroup(locate(named));
      const base = own.slice(0, -'/vars'.length);
      const arrays: H5Array[] = [];
      for (const g of node.groups) {
        const at = locate(
          byName && g.startsWith(base) ? `${named.slice(0, -'/vars'.length)}${g.slice(base.length)}` : g,
        );
        for (const k of numericKeys(r.keys(at))) arrays.push(r.read(`${at}/${k}`));
      }
      out.set(node, arrays);
    }
  };
  visit(layers);
  return out;
}

const asTexts = (v: string | string[] | number[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v.map(String);

/** Reads a legacy `.h5` file's weights for each top-level layer of `layers`. */
export function readLegacyWeights(r: H5Reader, layers: readonly WeightNode[], what: string): LayerArrays {
  const root = r.isGroup('model_weights') ? 'model_weights' : '';
  const names = new Set(asTexts(r.attr(root, 'layer_names')));
  const out: LayerArrays = new Map();
  for (const node of layers) {
    const group = `${root === '' ? '' : `${root}/`}${node.name}`;
    if (!names.has(node.name) && !r.isGroup(group)) {
      out.set(node, []);
      continue;
    }
    const weightNames = asTexts(r.attr(group, 'weight_names'));
    const arrays: H5Array[] = [];
    for (const w of weightNames) {
      if (r.shape(`${group}/${w}`) === undefined)
        kerasError(`${what} is corrupt: layer '${node.name}' lists the weight ${w}, which is not in the file`);
      arrays.push(r.read(`${group}/${w}`));
    }
    out.set(node, arrays);
  }
  return out;
}

/** Throws if any weight holds NaN or ±Infinity (such a model predicts NaN everywhere). */
export function checkFinite(arrays: LayerArrays, what: string): void {
  for (const [node, list] of arrays) {
    list.forEach((a, i) => {
      for (let j = 0; j < a.values.length; j++) {
        const v = a.values[j];
        if (!Number.isFinite(v)) {
          const kind = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
          kerasError(
            `${what} has ${kind} in the weights of layer '${node.name}' (weight ${i}, index ${j}): a model with non-finite weights predicts NaN — retrain or re-save it`,
          );
        }
      }
    });
  }
}
