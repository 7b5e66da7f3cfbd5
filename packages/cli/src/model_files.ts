/** Loading models from tfjs directories and Keras files, with errors that say how to fix them. */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PretrainedName } from '@lanes/models';
import { CliError } from './errors.js';

/** Shipped models the CLI defaults to (the robust CNN ships beside the others). */
export type ShippedModel = PretrainedName | 'mnist-cnn-robust';

/** Every shipped model name `--model` accepts in place of a directory. */
const SHIPPED_MODELS: readonly ShippedModel[] = [
  'mnist-cnn',
  'mnist-cnn-robust',
  'mnist-dcgan-generator',
  'spam-lstm',
  'spam-char-lstm',
  'names-lstm',
  'stocks-gru',
];

/** Directory of a shipped model under packages/models/pretrained/. */
export async function shippedDir(name: ShippedModel): Promise<string> {
  const node = await import('@lanes/models/node');
  return join(dirname(node.pretrainedDir('mnist-cnn')), name);
}

/** How a model is stored: a tfjs directory (model.json + weights), a Keras 3 `.keras` zip or a Keras HDF5 `.h5`. */
export type ModelFormat = 'tfjs' | 'keras' | 'h5';

/** What each format is called in messages. */
export const FORMAT_NAMES: Record<ModelFormat, string> = {
  tfjs: 'tfjs model.json + weights',
  keras: 'Keras .keras zip',
  h5: 'Keras HDF5 .h5',
};

/** The Keras format a file's first bytes name (a zip is a `.keras`, HDF5 an `.h5`), whatever its name. */
async function kerasFormatOf(head: Uint8Array): Promise<'keras' | 'h5' | undefined> {
  const { kerasContainerOf } = await import('@lanes/models');
  const container = kerasContainerOf(head);
  return container === 'zip' ? 'keras' : container === 'hdf5' ? 'h5' : undefined;
}

/** The first `n` bytes of a file. */
function readHead(path: string, n = 8): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** A loaded model, where it came from and in which format. */
export interface LoadedModel {
  model: tfl.LayersModel;
  path: string;
  format: ModelFormat;
}

/**
 * Loads `<dir>/model.json` (+ weights), a Keras `.keras` or `.h5` file (told by its bytes), or the
 * shipped model `fallback` when `dir` is omitted. `dir` may also name a shipped model
 * (`mnist-cnn-robust`) when no such file or directory exists here.
 */
export async function loadModel(
  dir: string | undefined,
  fallback: ShippedModel,
  trainHint: string,
): Promise<LoadedModel> {
  const named =
    dir !== undefined && !existsSync(dir) && (SHIPPED_MODELS as readonly string[]).includes(dir)
      ? (dir as ShippedModel)
      : undefined;
  if (dir === undefined || named) {
    const name = named ?? fallback;
    dir = await shippedDir(name);
    if (!existsSync(join(dir, 'model.json'))) {
      const which = named ? `the shipped '${name}' model` : `no --model given and the shipped '${name}' model`;
      throw new CliError(`${which} is not trained yet`, `train one with \`${trainHint}\` and pass --model DIR`);
    }
  }
  const path = resolve(dir);
  const format = existsSync(path) && statSync(path).isFile() ? await kerasFormatOf(readHead(path)) : undefined;
  const model = format ? await loadKeras(path) : await loadTfjs(path, trainHint);
  // NaN or ±Inf weights load silently and then predict NaN for everything: refuse them here.
  const { checkModelWeights } = await import('@lanes/models');
  try {
    checkModelWeights(`cannot use the model in ${path}`, model);
  } catch (e) {
    model.dispose();
    throw new CliError(
      (e as Error).message,
      format
        ? 'its weights are damaged: save the model again from Keras'
        : 'its weights file is damaged: train the model again or restore weights.bin',
    );
  }
  return { model, path, format: format ?? 'tfjs' };
}

/** A tfjs layers model from a directory holding model.json, or the model.json path itself. */
async function loadTfjs(path: string, trainHint: string): Promise<tfl.LayersModel> {
  const json = path.endsWith('.json') ? path : join(path, 'model.json');
  if (!existsSync(json)) {
    const what = !existsSync(path)
      ? `no model at ${path}`
      : statSync(path).isDirectory()
        ? `${path} holds no model.json`
        : `${path} is not a model: neither a Keras file (zip or HDF5) nor a tfjs model.json`;
    throw new CliError(
      what,
      `pass a .keras or .h5 file saved by Keras, or the directory a \`lanes train\` run wrote (e.g. \`${trainHint}\`)`,
    );
  }
  const node = await import('@lanes/models/node');
  try {
    return await node.loadModelFromDir(path);
  } catch (e) {
    throw new CliError(
      `cannot load the model in ${path}: ${(e as Error).message.split('\n')[0]}`,
      'the files are damaged or not a tfjs layers model: train it again',
    );
  }
}

/** A Keras 3 `.keras` or Keras 2 / legacy `.h5` file, translated to tfjs layers by `loadKerasModel`. */
async function loadKeras(path: string): Promise<tfl.LayersModel> {
  const { loadKerasModel } = await import('@lanes/models');
  await tf.ready();
  try {
    return await loadKerasModel(path);
  } catch (e) {
    throw new CliError(
      `cannot load the Keras model in ${path}: ${(e as Error).message.split('\n')[0]}`,
      'the README section "From Keras and back" lists the layers and formats lanes reads',
    );
  }
}

/** Checks the model takes inputs of shape [N, ...shape]. */
export function requireInputShape(model: tfl.LayersModel, shape: readonly number[], what: string): void {
  const got = model.inputs[0]?.shape.slice(1) ?? [];
  if (got.length !== shape.length || got.some((d, i) => d !== null && d !== shape[i])) {
    throw new CliError(
      `wrong input shape: the model takes [N, ${got.join(', ')}] but ${what} are [N, ${shape.join(', ')}]`,
      'pass a model trained on this data (e.g. `lanes train mnist-cnn`)',
    );
  }
}
