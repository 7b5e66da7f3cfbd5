/** The MNIST classifier commands work on, and digits as tensors. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from './errors.js';
import { readDigitPicture, type DigitPicture } from './image_input.js';
import { loadModel, requireInputShape } from './model_files.js';

/**
 * Which classifier: a directory or Keras file, or the shipped mnist-cnn (or mnist-cnn-robust with
 * `robust`). It takes `[N, 28, 28, 1]`; one taking `[N, 28, 28]` or `[N, 784]` is wrapped to.
 */
export async function loadClassifier(
  dir: string | undefined,
  robust: boolean | undefined,
): Promise<{ model: tfl.LayersModel; path: string }> {
  if (dir !== undefined && robust)
    throw new CliError('both a model directory and --robust-model given', 'pass one of them', 2);
  const robustHint = robust || dir === 'mnist-cnn-robust';
  const loaded = await loadModel(
    dir,
    robust ? 'mnist-cnn-robust' : 'mnist-cnn',
    robustHint ? 'lanes train mnist-cnn-robust --out DIR' : 'lanes train mnist-cnn --out DIR',
  );
  // Keras MNIST models often take [N, 28, 28] or [N, 784]: the same pixels, reshaped.
  const { withImageInput } = await import('@lanes/models');
  const images = withImageInput(loaded.model, [28, 28, 1]);
  if (!images) {
    const inputs = loaded.model.inputs.length;
    try {
      requireInputShape(loaded.model, [28, 28, 1], 'MNIST digits');
    } finally {
      loaded.model.dispose();
    }
    throw new CliError(
      `wrong input: the model takes ${inputs} inputs, not one batch of MNIST digits`,
      'pass a classifier of [N, 28, 28, 1] images',
    );
  }
  return { ...loaded, model: images ?? loaded.model };
}

/** Pictures read as one `[k, 28, 28, 1]` batch. */
export async function readPictures(files: string[]): Promise<{ pictures: DigitPicture[]; x: tf.Tensor4D }> {
  const pictures: DigitPicture[] = [];
  for (const f of files) pictures.push(await readDigitPicture(f));
  const data = new Float32Array(pictures.length * 784);
  pictures.forEach((p, i) => data.set(p.pixels, i * 784));
  return { pictures, x: tf.tensor4d(data, [pictures.length, 28, 28, 1]) };
}

/** Softmax outputs of the classifier, in batches, as one array `[n × classes]`. */
export async function probabilities(
  model: tfl.LayersModel,
  x: tf.Tensor,
  batch = 256,
): Promise<{ p: Float32Array; classes: number }> {
  const n = x.shape[0];
  const classes = model.outputs[0].shape[1] ?? 10;
  const p = new Float32Array(n * classes);
  for (let s = 0; s < n; s += batch) {
    const k = Math.min(batch, n - s);
    const out = tf.tidy(() => model.predict(tf.slice(x, s, k)) as tf.Tensor);
    p.set((await out.data()) as Float32Array, s * classes);
    out.dispose();
  }
  return { p, classes };
}

/** Rows of `p` as plain arrays rounded to 6 decimals (JSON output). */
export function rows(p: Float32Array, classes: number): number[][] {
  return Array.from({ length: p.length / classes }, (_, i) =>
    Array.from(p.subarray(i * classes, (i + 1) * classes), (v) => Math.round(v * 1e6) / 1e6),
  );
}
