// Uploads: a picture of a digit (file input or drag-and-drop) and a user's own model (a Keras
// .keras / .h5 file, or tfjs model.json + weights). Every failure becomes one inline message saying
// what was wrong and what to do; the page keeps its previous digit or model.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  checkModelWeights,
  checkWeightBytes,
  evaluateClassifier,
  kerasContainerOf,
  loadKerasModel,
  modelInputShape,
  withImageInput,
  toMnistInput,
  type ImageSet,
} from '@lanes/models';
import { el } from './dom';

/** A failure the user can fix: `message` says what was wrong, `hint` what to do. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const IMAGE_HINT = 'choose a PNG, JPEG, WebP, GIF or BMP picture of one digit';
const IMAGE_TYPES = 'image/png,image/jpeg,image/webp,image/gif,image/bmp';

/** A picture turned into one MNIST input. */
export interface UploadedDigit {
  /** 784 values in [0, 1], white on black, MNIST-centred. */
  pixels: Float32Array;
  /** File name. */
  name: string;
  /** Size of the picture. */
  width: number;
  height: number;
  /** Whether it was dark on light and has been inverted. */
  inverted: boolean;
}

type Format = 'PNG' | 'JPEG' | 'GIF' | 'BMP' | 'WebP';

const ascii = (b: Uint8Array, from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));

/** The image format named by the first bytes, if any. */
function formatOf(b: Uint8Array): Format | undefined {
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'PNG';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'JPEG';
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8') return 'GIF';
  if (b.length >= 2 && ascii(b, 0, 2) === 'BM') return 'BMP';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'WebP';
  return undefined;
}

/** Whether the bytes look like text (for "it is a text file"). */
function looksLikeText(b: Uint8Array): boolean {
  return b.subarray(0, 512).every((v) => v === 9 || v === 10 || v === 13 || (v >= 32 && v < 127) || v >= 0xc2);
}

/** Whether `marker` occurs in the last `tail` bytes. */
function endsWith(b: Uint8Array, marker: readonly number[], tail = 256): boolean {
  for (let i = b.length - marker.length; i >= Math.max(0, b.length - tail); i--) {
    if (marker.every((v, k) => b[i + k] === v)) return true;
  }
  return false;
}

/** Whether the file stops before its format's end marker; browsers decode such files partially instead of failing. */
function truncated(format: Format, b: Uint8Array): boolean {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (format) {
    case 'PNG':
      return !endsWith(b, [0x49, 0x45, 0x4e, 0x44]); // the IEND chunk
    case 'JPEG':
      return !endsWith(b, [0xff, 0xd9]); // end of image
    case 'GIF':
      return !endsWith(b, [0x3b], 16); // trailer
    case 'BMP':
      return b.length < 6 || view.getUint32(2, true) > b.length;
    case 'WebP':
      return view.getUint32(4, true) + 8 > b.length;
  }
}

/** The header's width × height, where it is easy to read (PNG), to name a 0×0 picture. */
function headerSize(format: Format, b: Uint8Array): [number, number] | undefined {
  if (format !== 'PNG' || b.length < 24 || ascii(b, 12, 16) !== 'IHDR') return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

/** Longest side the picture is drawn at before the area-averaging to 20×20 (big photos stay cheap). */
const MAX_SIDE = 560;

/**
 * Decodes a picture file into an MNIST digit the way the drawing pad does: alpha composited over
 * white, luminance, inverted when the border is light (MNIST digits are white on black), the
 * background level subtracted, then scaled to 20×20 and centred by mass in 28×28.
 * Throws an {@link UploadError} naming what is wrong.
 */
async function decodeDigitFile(file: File): Promise<UploadedDigit> {
  const name = file.name || 'the file';
  if (file.size === 0) throw new UploadError(`“${name}” is empty (0 bytes)`, IMAGE_HINT);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = formatOf(bytes);
  if (!format) {
    const what = looksLikeText(bytes) ? 'a text file' : `${bytes.length} bytes of an unknown kind`;
    throw new UploadError(`“${name}” is not a picture: it is ${what}`, IMAGE_HINT);
  }
  const size = headerSize(format, bytes);
  if (size && (size[0] === 0 || size[1] === 0))
    throw new UploadError(`“${name}” is a ${size[0]}×${size[1]} ${format}, with no pixels`, IMAGE_HINT);
  if (truncated(format, bytes))
    throw new UploadError(
      `“${name}” is a truncated ${format} (${bytes.length} bytes, it ends early)`,
      `${IMAGE_HINT}; this one is damaged`,
    );
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: file.type || `image/${format.toLowerCase()}` }));
  } catch {
    throw new UploadError(`“${name}” looks like a ${format} but the browser cannot decode it (damaged?)`, IMAGE_HINT);
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw new UploadError(`“${name}” has no pixels (${width}×${height})`, IMAGE_HINT);
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale)),
      h = Math.max(1, Math.round(height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.fillStyle = '#fff'; // transparent parts count as paper
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(bitmap, 0, 0, w, h);
    const { pixels, inverted } = toMnist(ctx.getImageData(0, 0, w, h).data, w, h);
    return { pixels, name, width, height, inverted };
  } finally {
    bitmap.close();
  }
}

/**
 * The canvas's RGBA pixels → the MNIST input (`toMnistInput` of @lanes/models, as the CLI does).
 * @public exported for the CLI's same-picture test, which imports this file by path
 */
export function toMnist(rgba: ArrayLike<number>, w: number, h: number): { pixels: Float32Array; inverted: boolean } {
  return toMnistInput({ data: rgba, width: w, height: h, channels: 4 });
}

/** Shapes the CNN and Adversarial pages' models must have: `[N, 28, 28, 1]` → `[N, 10]`. */
const WANT_IN = [28, 28, 1];
/** What to choose, for a model that is `what`. */
const modelHint = (what: string): string =>
  `choose a Keras .keras or .h5 file, or model.json together with its weights file(s) (select them all at once), saved from ${what}`;
const KERAS_HINT = 'save it again from Keras (model.save("model.keras")) or choose a tfjs model.json with its weights';

/** How an uploaded model was stored. */
type ModelFileFormat = 'tfjs' | 'keras' | 'h5';

/** A user's model, loaded and checked. */
export interface UploadedModel {
  model: tfl.LayersModel;
  /** The file that named it: model.json, or the Keras file. */
  name: string;
  format: ModelFileFormat;
  /** The model as loaded, when {@link UploadedModel.model} wraps it to take `[N, 28, 28, 1]` (its layers are inside). */
  inner?: tfl.LayersModel;
}

/** What a page needs of a model. */
export interface ModelCheck {
  /** The model wanted, e.g. "a model taking [N, 28, 28, 1] and giving [N, 10]". */
  what: string;
  /** The model the page uses (`model`, or a wrapper of it); throws an {@link UploadError} naming a mismatch. */
  check(model: tfl.LayersModel, name: string): tfl.LayersModel;
}

const shapeText = (s: readonly (number | null)[]): string => `[N, ${s.map((d) => d ?? '?').join(', ')}]`;

/** The CNN and Adversarial pages' check: an MNIST classifier, `[N, 28, 28, 1]` → `[N, 10]`. */
const classifierCheck: ModelCheck = {
  what: 'a model taking [N, 28, 28, 1] and giving [N, 10]',
  check(model, name) {
    const input = modelInputShape(model);
    const output = model.outputs[0].shape.slice(1);
    // Keras MNIST models often take [N, 28, 28] or [N, 784]: the same pixels, reshaped by a wrapper.
    const images =
      output.length === 1 && output[0] === 10 && model.outputs.length === 1
        ? withImageInput(model, WANT_IN)
        : undefined;
    if (!images)
      throw new UploadError(
        `wrong shapes: this page needs a model taking [N, 28, 28, 1] and giving [N, 10]; “${name}” takes ${shapeText(input)} and gives ${shapeText(output)}`,
        'upload an MNIST classifier (e.g. one saved by `lanes train mnist-cnn`)',
      );
    return images;
  },
};

/** The GAN page's check: a generator from `[N, d]` latent vectors to `[N, 28, 28, 1]` images. */
export const generatorCheck: ModelCheck = {
  what: 'a generator taking [N, d] latent vectors and giving [N, 28, 28, 1] images',
  check(model, name) {
    const input = modelInputShape(model);
    const output = model.outputs[0].shape.slice(1);
    const fits =
      model.inputs.length === 1 &&
      input.length === 1 &&
      typeof input[0] === 'number' &&
      output.length === 3 &&
      output.every((d, i) => d === WANT_IN[i]) &&
      model.outputs.length === 1;
    if (!fits)
      throw new UploadError(
        `wrong shapes: this page needs a generator taking [N, d] latent vectors and giving [N, 28, 28, 1] images; “${name}” takes ${shapeText(input)} and gives ${shapeText(output)}`,
        'upload an MNIST generator (e.g. one saved by `lanes train mnist-dcgan-generator`)',
      );
    return model;
  },
};

/** Reads a JSON file or names why not. */
async function readModelJson(file: File, hint: string): Promise<tf.io.ModelJSON> {
  if (file.size === 0) throw new UploadError(`“${file.name}” is empty (0 bytes)`, hint);
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (e) {
    throw new UploadError(`“${file.name}” is not valid JSON (${e instanceof Error ? e.message : String(e)})`, hint);
  }
  if (json === null || typeof json !== 'object' || !('modelTopology' in json) || !json.modelTopology) {
    throw new UploadError(`“${file.name}” is JSON but not a tfjs model (no modelTopology)`, hint);
  }
  const manifest = (json as tf.io.ModelJSON).weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0 || manifest.every((g) => !g.paths?.length)) {
    throw new UploadError(
      `“${file.name}” lists no weights files (no weightsManifest)`,
      'save the model with model.save(…), which writes model.json and its weights together',
    );
  }
  return json as tf.io.ModelJSON;
}

/** The Keras format named by a file's first bytes (a zip is a `.keras`, HDF5 an `.h5`). */
function kerasFormatOf(b: Uint8Array): 'keras' | 'h5' | undefined {
  const container = kerasContainerOf(b);
  return container === 'zip' ? 'keras' : container === 'hdf5' ? 'h5' : undefined;
}

const KERAS_NAME = /\.(keras|h5|hdf5)$/i;

/**
 * The one Keras file among `files`, told by its bytes, or undefined when they are a tfjs model.
 * A file named like a Keras file whose bytes are not one is refused here, with what it is instead.
 */
async function kerasFileOf(
  files: readonly File[],
  hint: string,
): Promise<{ file: File; format: 'keras' | 'h5' } | undefined> {
  if (files.some((f) => f.name.toLowerCase().endsWith('.json'))) return undefined;
  const heads = await Promise.all(files.map(async (f) => new Uint8Array(await f.slice(0, 8).arrayBuffer())));
  const keras = files.flatMap((file, i) => {
    const format = kerasFormatOf(heads[i]);
    return format ? [{ file, format }] : [];
  });
  if (keras.length > 1) throw new UploadError(`${keras.length} Keras files chosen, expected one`, hint);
  if (keras.length === 1) {
    if (files.length > 1)
      throw new UploadError(
        `“${keras[0].file.name}” is a Keras file and holds its weights: choose it alone (${files.length} files chosen)`,
        hint,
      );
    return keras[0];
  }
  const named = files.find((f) => KERAS_NAME.test(f.name));
  if (named) {
    if (named.size === 0) throw new UploadError(`“${named.name}” is empty (0 bytes)`, hint);
    const b = new Uint8Array(await named.slice(0, 512).arrayBuffer());
    const what = looksLikeText(b) ? 'a text file' : `${named.size} bytes of an unknown kind`;
    throw new UploadError(
      `“${named.name}” is not a Keras file (a .keras file is a zip, an .h5 file HDF5): it is ${what}`,
      hint,
    );
  }
  return undefined;
}

/** A Keras file through `loadKerasModel`, whose HDF5 and zip readers load only now (a separate chunk). */
async function loadKerasFile(file: File): Promise<tfl.LayersModel> {
  try {
    return await loadKerasModel(file);
  } catch (e) {
    throw new UploadError(
      `the Keras model in “${file.name}” cannot be loaded: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
      KERAS_HINT,
    );
  }
}

/** A tfjs model: model.json + the weights files it names. */
async function loadTfjsFiles(files: readonly File[], hint: string): Promise<{ model: tfl.LayersModel; name: string }> {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length !== 1)
    throw new UploadError(
      jsons.length
        ? `${jsons.length} .json files chosen, expected one model.json`
        : 'no model.json among the chosen files',
      hint,
    );
  const json = await readModelJson(jsons[0], hint);
  const byName = new Map(files.map((f) => [f.name, f]));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const missing = paths.filter((p) => !byName.has(p.split('/').pop()!));
  if (missing.length)
    throw new UploadError(
      `weights file${missing.length > 1 ? 's' : ''} ${missing.map((m) => `“${m}”`).join(', ')} missing (model.json names ${paths.length})`,
      hint,
    );
  const weights = paths.map((p) => byName.get(p.split('/').pop()!)!);
  try {
    checkWeightBytes(
      `“${jsons[0].name}”`,
      specs,
      weights.reduce((s, f) => s + f.size, 0),
    );
  } catch (e) {
    throw new UploadError((e as Error).message, 'choose the weights saved with this model.json');
  }
  try {
    return { model: await tfl.loadLayersModel(tf.io.browserFiles([jsons[0], ...weights])), name: jsons[0].name };
  } catch (e) {
    throw new UploadError(
      `the model in “${jsons[0].name}” cannot be built: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
      hint,
    );
  }
}

/**
 * Loads a user's model from `files`: one Keras `.keras` / `.h5` file (told by its bytes), or
 * model.json + the weights files it names. Checks it against `want` (default: an MNIST classifier,
 * `[N, 28, 28, 1]` → `[N, 10]`) and that its weights are finite. Throws an {@link UploadError}
 * naming the problem; nothing stays allocated on failure.
 */
async function loadModelFiles(files: readonly File[], want: ModelCheck = classifierCheck): Promise<UploadedModel> {
  const hint = modelHint(want.what);
  if (files.length === 0) throw new UploadError('no files chosen', hint);
  const keras = await kerasFileOf(files, hint);
  const { model, name } = keras
    ? { model: await loadKerasFile(keras.file), name: keras.file.name }
    : await loadTfjsFiles(files, hint);
  let used = model;
  try {
    used = want.check(model, name);
    try {
      checkModelWeights(`“${name}”`, model);
    } catch (e) {
      throw new UploadError(
        (e as Error).message,
        keras ? 'its weights are damaged: save the model again' : 'its weights file is damaged: save the model again',
      );
    }
    return { model: used, name, format: keras?.format ?? 'tfjs', inner: used === model ? undefined : model };
  } catch (e) {
    used.dispose(); // a wrapper disposes the model it wraps
    throw e;
  }
}

/** File types the model inputs offer (Keras files and tfjs model.json + weights). */
const MODEL_ACCEPT = '.keras,.h5,.hdf5,.json,.bin,application/json,application/octet-stream';

/** How an uploaded model is named in the pages' messages. */
export function describeUpload(u: UploadedModel, files: number): string {
  return u.format === 'tfjs'
    ? `${files} file${files > 1 ? 's' : ''}`
    : `Keras ${u.format === 'keras' ? '.keras' : '.h5'} file “${u.name}”`;
}

/**
 * Accuracy of a classifier on the demo's test digits, as a number and a sentence: the pages show it
 * once a model is uploaded, so a user sees whether their preprocessing matches (x / 255, white on black).
 */
export async function accuracyOf(
  model: tfl.LayersModel,
  digits: ImageSet,
): Promise<{ accuracy: number; text: string }> {
  const { accuracy } = await evaluateClassifier(model, digits);
  return { accuracy, text: `${(100 * accuracy).toFixed(1)} % of the ${digits.count} test digits right` };
}

/** What {@link modelChooser} needs from a page. */
export interface ModelChooserOptions<T> {
  /** Id of the file input. */
  id: string;
  /** Where progress and failures show. */
  message: ReturnType<typeof messageLine>;
  /** Leaving the page drops a load in flight. */
  signal: AbortSignal;
  /** What the page needs of the model (default: an MNIST classifier). */
  want?: ModelCheck;
  /** Work on the checked model before it is used (its accuracy, samples…); throwing refuses the model. */
  prepare: (up: UploadedModel) => Promise<T>;
  /** Puts the model in use (it is the page's to dispose from now on); returns the message to show. */
  use: (up: UploadedModel, prepared: T, files: readonly File[]) => string;
}

/**
 * A file input for a user's model (Keras file or model.json + weights); `take` loads dropped files
 * the same way. The latest choice wins: a slower earlier load is disposed, never used. Failures
 * show on the message line and leave the page's model as it was.
 */
export function modelChooser<T>(o: ModelChooserOptions<T>): { input: HTMLInputElement; take: (files: File[]) => void } {
  const input = el('input', { type: 'file', id: o.id, multiple: true, accept: MODEL_ACCEPT });
  let loading = 0;
  const load = async (files: File[]): Promise<void> => {
    const mine = ++loading;
    o.message.ok('Loading the model…');
    try {
      const up = await loadModelFiles(files, o.want);
      let prepared: T;
      try {
        prepared = await o.prepare(up);
      } catch (e) {
        up.model.dispose();
        throw e instanceof UploadError
          ? e
          : new UploadError(
              `“${up.name}” failed on this page: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
              'upload a model built from layers this page runs',
            );
      }
      if (mine !== loading || o.signal.aborted) {
        up.model.dispose();
        return;
      }
      o.message.ok(o.use(up, prepared, files));
    } catch (e) {
      if (mine === loading) o.message.error(e);
    }
  };
  const take = (files: File[]): void => void load(files);
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // choosing the same file again fires 'change' again
    if (files.length) take(files);
  });
  return { input, take };
}

/** An inline message line: `error(e)` shows what was wrong and what to do, `ok(text)` a note. */
export function messageLine(id: string): {
  node: HTMLElement;
  error: (e: unknown) => void;
  ok: (text: string) => void;
  clear: () => void;
} {
  const node = el('p', { id, className: 'upload-message', role: 'status' });
  node.hidden = true;
  return {
    node,
    error: (e) => {
      const text =
        e instanceof UploadError
          ? `${e.message} — ${e.hint}.`
          : `Upload failed: ${e instanceof Error ? e.message : String(e)}`;
      node.textContent = text;
      node.className = 'upload-message error';
      node.dataset.state = 'error';
      node.hidden = false;
    },
    ok: (text) => {
      node.textContent = text;
      node.className = 'upload-message caption';
      node.dataset.state = 'ok';
      node.hidden = false;
    },
    clear: () => {
      node.hidden = true;
      node.textContent = '';
      delete node.dataset.state;
    },
  };
}

/** Calls `take` with the files dropped on `target` (and highlights it while dragging over). */
export function acceptDrops(target: HTMLElement, take: (files: File[]) => void): void {
  target.addEventListener('dragover', (e) => {
    e.preventDefault();
    target.classList.add('dropping');
  });
  target.addEventListener('dragleave', () => target.classList.remove('dropping'));
  target.addEventListener('drop', (e) => {
    e.preventDefault();
    target.classList.remove('dropping');
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length) take(files);
  });
}

/**
 * A file input (and drop target) for a picture of a digit. `onDigit` gets each decoded digit;
 * failures show inline and leave the previous digit in place. `drop` targets get drag-and-drop too.
 */
export function digitUpload(onDigit: (d: UploadedDigit) => void, ...drop: HTMLElement[]): HTMLElement {
  const input = el('input', { type: 'file', id: 'digit-upload', accept: IMAGE_TYPES });
  const message = messageLine('upload-message');
  // Uploads finish in order: a slow decode never overwrites a later one.
  let latest = 0;
  const take = (files: File[]): void => {
    const mine = ++latest;
    if (files.length !== 1) {
      message.error(new UploadError(`${files.length} files dropped`, `${IMAGE_HINT} at a time`));
      return;
    }
    decodeDigitFile(files[0]).then(
      (d) => {
        if (mine !== latest) return;
        const how = d.inverted ? 'dark on light, inverted to MNIST’s white on black' : 'light on dark, as MNIST';
        message.ok(`Uploaded “${d.name}” (${d.width}×${d.height}, ${how}), scaled to 20×20 and centred in 28×28.`);
        onDigit(d);
      },
      (e: unknown) => {
        if (mine === latest) message.error(e);
      },
    );
  };
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // choosing the same file again fires 'change' again
    if (files.length) take(files);
  });
  const zone = el(
    'div',
    { className: 'upload', id: 'digit-drop' },
    el('label', {}, 'or upload a picture ', input),
    el('span', { className: 'caption' }, ' (or drop one here or on the pad)'),
    message.node,
  );
  acceptDrops(zone, take);
  for (const t of drop) acceptDrops(t, take);
  return zone;
}
