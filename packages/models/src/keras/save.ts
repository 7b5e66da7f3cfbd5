/**
 * saveKerasModel: a tfjs-layers model → a Keras 3 `.keras` zip (metadata.json, config.json,
 * model.weights.h5, as keras/src/saving/saving_lib.py `_save_model_to_fileobj` writes them).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { modelConfigToKeras } from './config_out.js';
import { saveError } from './errors.js';
import { writeHdf5 } from './hdf5.js';
import { writeModelWeights } from './weights_out.js';
import { writeZip } from './zip.js';

/** The Keras release whose `.keras` layout the writer follows (recorded in metadata.json). */
export const KERAS_FORMAT_VERSION = '3.10.0';

const pad = (n: number): string => String(n).padStart(2, '0');
const dateSaved = (d: Date): string =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}@${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

const NODE_FS = 'node:fs/promises';
const NODE_PATH = 'node:path';

async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  if (typeof process === 'undefined' || !process.versions?.node)
    saveError(`cannot write ${path} outside Node: call it without a destination and keep the returned bytes`);
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs/promises');
  const { dirname } = (await import(/* @vite-ignore */ NODE_PATH)) as typeof import('node:path');
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Saves a tfjs-layers model (Sequential or functional, of the layers {@link loadKerasModel}
 * reads) as a Keras 3 `.keras` file that `keras.saving.load_model` loads: Keras 3 class names
 * and arguments in config.json, metadata.json, and the weights in Keras 3's
 * `layers/<name>/vars/<i>` layout. Returns the file's bytes and, given a path (Node), also
 * writes them there (atomically). Throws an {@link InvalidInputError} naming any layer Keras 3
 * cannot be told about.
 */
export async function saveKerasModel(model: tfl.LayersModel, destination?: string): Promise<Uint8Array> {
  if (!(model instanceof tfl.LayersModel))
    saveError(`model is not a tfjs-layers model: expected a tf.LayersModel, got ${typeof model}`);
  const config = modelConfigToKeras(model);
  const weights = await writeHdf5((w) => writeModelWeights(w, model, config, ''));
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved(new Date()) };
  const encoder = new TextEncoder();
  const bytes = await writeZip({
    'metadata.json': encoder.encode(JSON.stringify(metadata)),
    'config.json': encoder.encode(JSON.stringify(config)),
    'model.weights.h5': weights,
  });
  if (destination !== undefined) await writeFileAtomic(destination, bytes);
  return bytes;
}
