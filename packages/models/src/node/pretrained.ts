/** The shipped models on disk (`packages/models/pretrained/<name>/`). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { PretrainedName } from '../pretrained.js';
import { PRETRAINED_NAMES } from '../pretrained.js';
import { fileSystemHandler, MODEL_JSON } from './file_io.js';

/** The package root (dist/ and src/node/ are both two levels or one level below it). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('@lanes/models: cannot find the package root');
}

/** Directory of a shipped model. */
export function pretrainedDir(name: PretrainedName): string {
  if (!PRETRAINED_NAMES.includes(name))
    throw new Error(`unknown pretrained model '${name}' (known: ${PRETRAINED_NAMES.join(', ')})`);
  return join(packageRoot(), 'pretrained', name);
}

/** Whether a shipped model's files exist (they appear once its training command has run). */
export function hasPretrained(name: PretrainedName): boolean {
  return existsSync(join(pretrainedDir(name), MODEL_JSON));
}

/** Loads a shipped model. @throws naming the training command when it has not been trained yet. */
export async function loadPretrained(name: PretrainedName): Promise<tfl.LayersModel> {
  if (!hasPretrained(name)) {
    throw new Error(
      `the pretrained model '${name}' is missing: train it with \`node packages/models/scripts/train.mjs ${name}\``,
    );
  }
  return loadModelFromDir(pretrainedDir(name));
}

/**
 * Loads a model saved as `<dir>/model.json` + weights (or the model.json path itself), after the
 * active backend (e.g. 'lanes', initialised asynchronously) is ready.
 */
export async function loadModelFromDir(path: string): Promise<tfl.LayersModel> {
  await tf.ready();
  return tfl.loadLayersModel(fileSystemHandler(path));
}
