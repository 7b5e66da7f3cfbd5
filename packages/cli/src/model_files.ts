/** Loading models from directories, with errors that say how to fix them. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/**
 * Loads `<dir>/model.json` (+ weights), or the shipped model `fallback` when `dir` is omitted.
 * `dir` may also name a shipped model (`mnist-cnn-robust`) when no such directory exists here.
 */
export async function loadModel(
  dir: string | undefined,
  fallback: ShippedModel,
  trainHint: string,
): Promise<{ model: tfl.LayersModel; path: string }> {
  const node = await import('@lanes/models/node');
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
  const json = path.endsWith('.json') ? path : join(path, 'model.json');
  if (!existsSync(json)) {
    const what =
      existsSync(path) && statSync(path).isDirectory() ? `${path} holds no model.json` : `no model at ${path}`;
    throw new CliError(what, `pass the directory a \`lanes train\` run wrote (e.g. \`${trainHint}\`)`);
  }
  let model: tfl.LayersModel;
  try {
    model = await node.loadModelFromDir(path);
  } catch (e) {
    throw new CliError(
      `cannot load the model in ${path}: ${(e as Error).message.split('\n')[0]}`,
      'the files are damaged or not a tfjs layers model: train it again',
    );
  }
  // NaN or ±Inf weights load silently and then predict NaN for everything: refuse them here.
  const { checkModelWeights } = await import('@lanes/models');
  try {
    checkModelWeights(`cannot use the model in ${path}`, model);
  } catch (e) {
    model.dispose();
    throw new CliError(
      (e as Error).message,
      'its weights file is damaged: train the model again or restore weights.bin',
    );
  }
  return { model, path };
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
