/**
 * Saving and loading tfjs models as files in Node (tfjs-node's `file://` handler without
 * tfjs-node): `<dir>/model.json` + `<dir>/weights.bin`. Each file is written to a temporary name
 * and renamed into place, so an interrupted save never leaves a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { checkWeightBytes } from '../validate.js';

/** Name of the model topology file. */
export const MODEL_JSON = 'model.json';
/** Name of the weights file. */
export const WEIGHTS_BIN = 'weights.bin';

/** Writes `data` to `path` atomically (temporary file in the same directory, then rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * An IOHandler reading and writing `<dir>/model.json` and `<dir>/weights.bin`
 * (`model.save(fileSystemHandler(dir))`, `tf.loadLayersModel(fileSystemHandler(dir))`).
 * For loading, `path` may also name the model.json file itself.
 */
export function fileSystemHandler(path: string): tf.io.IOHandler {
  const dir = path.endsWith('.json') ? dirname(resolve(path)) : resolve(path);
  const jsonPath = path.endsWith('.json') ? resolve(path) : join(dir, MODEL_JSON);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new Error('fileSystemHandler: binary (GraphDef) topologies are not supported');
      const weights =
        artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightsManifest: manifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.signature) modelJson.signature = artifacts.signature;
      // Weights first: a model.json on disk always refers to complete weights.
      await writeFileAtomic(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await writeFileAtomic(jsonPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let text: string;
      try {
        text = await readFile(jsonPath, 'utf8');
      } catch (e) {
        throw new Error(`cannot read the model file ${jsonPath}: ${(e as Error).message}`);
      }
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(text) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`${jsonPath} is not valid JSON: ${(e as Error).message}`);
      }
      if (modelJson.modelTopology == null) throw new Error(`${jsonPath} has no modelTopology: not a tfjs model.json`);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = join(dirname(jsonPath), p);
            let bytes: Buffer;
            try {
              bytes = await readFile(file);
            } catch (e) {
              throw new Error(`cannot read the weights file ${file}: ${(e as Error).message}`);
            }
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        const weights = tf.io.concatenateArrayBuffers(buffers);
        checkWeightBytes(jsonPath, specs, weights.byteLength);
        return [specs, weights];
      });
    },
  };
}

const SCHEME = 'file://';
let registered = false;

/**
 * Lets tfjs resolve `file://` URLs (`model.save('file://out/cnn')`,
 * `tf.loadLayersModel('file://out/cnn/model.json')`) with {@link fileSystemHandler}.
 * Importing `@lanes/models/node` calls it; calling it again does nothing.
 */
export function registerFileSystemScheme(): void {
  if (registered) return;
  registered = true;
  tf.io.registerSaveRouter(yieldingRouter(tf.io.getSaveHandlers));
  tf.io.registerLoadRouter(yieldingRouter(tf.io.getLoadHandlers));
}

/**
 * A `file://` router that gives way: it answers only when no other router claims the URL, so beside
 * `@tensorflow/tfjs-node` (which handles `file://` too) tfjs finds one handler, not two.
 */
function yieldingRouter(others: (url: string) => tf.io.IOHandler[]): (url: string | string[]) => tf.io.IOHandler {
  let asking = false;
  // tfjs routers return null for URLs they do not handle (its IORouter type omits the null).
  return ((url: string | string[]) => {
    const u = Array.isArray(url) ? url[0] : url;
    if (asking || typeof u !== 'string' || !u.startsWith(SCHEME)) return null;
    asking = true;
    try {
      if (others(u).length > 0) return null;
    } finally {
      asking = false;
    }
    return fileSystemHandler(u.slice(SCHEME.length));
  }) as (url: string | string[]) => tf.io.IOHandler;
}
