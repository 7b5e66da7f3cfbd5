/**
 * How good and how varied a digit generator is, judged by a trained classifier: confident
 * samples, class coverage (mode collapse shows as empty classes), and the Fréchet distance on the
 * classifier's penultimate features next to the real-vs-real baseline.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchesOf, range } from '../data/dataset.js';
import { imagesToTensor, type ImageSet } from '../data/images.js';
import { penultimateFeatures } from '../models/cnn.js';
import { latentDimOf } from '../models/latent.js';
import { Rng } from '../random.js';
import { checkCount, checkImageSet, InvalidInputError, modelInputShape } from '../validate.js';
import { frechetDistance } from './frechet.js';

/** Options of {@link evaluateGenerator}. */
export interface GeneratorEvaluationOptions {
  /** Generated samples (default 1000). */
  readonly samples?: number;
  /** Seed of latent vectors and of the real-image draw (default 0). */
  readonly seed?: number;
  /** A sample counts as confident when its top probability is at least this (default 0.9). */
  readonly confidence?: number;
  /** Samples per forward pass (default 250). */
  readonly batchSize?: number;
}

/** Result of {@link evaluateGenerator}. */
export interface GeneratorEvaluation {
  /** Generated samples evaluated. */
  readonly samples: number;
  /** Share of samples whose top class probability ≥ the confidence threshold. */
  readonly confidentShare: number;
  /** Mean top class probability. */
  readonly meanConfidence: number;
  /** Share of samples predicted as each class (sums to 1). */
  readonly classHistogram: number[];
  /** Smallest entry of the histogram (mode collapse drives it to 0). */
  readonly minClassShare: number;
  /** Classes predicted for at least one sample. */
  readonly classesCovered: number;
  /** Fréchet distance between generated and real features. */
  readonly frechetDistance: number;
  /** Fréchet distance between two disjoint real draws of the same size (what "perfect" scores). */
  readonly frechetRealBaseline: number;
  /** Samples per set used for the Fréchet distances. */
  readonly frechetSamples: number;
}

/**
 * Generates seeded samples, classifies them with `classifier` and compares penultimate features
 * with `real` images (which need at least 2 × min(samples, real.count / 2) images for the baseline).
 */
export async function evaluateGenerator(
  generator: tfl.LayersModel,
  classifier: tfl.LayersModel,
  real: ImageSet,
  options: GeneratorEvaluationOptions = {},
): Promise<GeneratorEvaluation> {
  const n = options.samples ?? 1000;
  const batchSize = options.batchSize ?? 250;
  const threshold = options.confidence ?? 0.9;
  checkCount('evaluateGenerator', 'options.samples', n);
  checkCount('evaluateGenerator', 'options.batchSize', batchSize);
  const judged = modelInputShape(classifier);
  const made = generator.outputs[0].shape.slice(1);
  if (made.length !== judged.length || made.some((d, i) => d !== judged[i] && judged[i] !== null)) {
    throw new InvalidInputError(
      `evaluateGenerator: generator and classifier do not fit: expected the generator to make [N, ${judged.join(', ')}] images (the classifier's input), got [N, ${made.join(', ')}]`,
    );
  }
  checkImageSet('evaluateGenerator', 'real', real, judged);
  const rng = new Rng(options.seed ?? 0);
  const latentDim = latentDimOf(generator);
  const features = penultimateFeatures(classifier);
  const featureDim = features.outputs[0].shape[features.outputs[0].shape.length - 1] as number;
  const classes = classifier.outputs[0].shape[classifier.outputs[0].shape.length - 1] as number;

  const hist = new Array<number>(classes).fill(0);
  let confident = 0,
    confidenceSum = 0;
  const genFeatures = new Float32Array(n * featureDim);
  for (const idx of batchesOf(range(n), batchSize)) {
    const z = tf.tensor2d(rng.normals(idx.length * latentDim), [idx.length, latentDim]);
    const [probs, feats] = tf.tidy(() => {
      const images = generator.predict(z) as tf.Tensor;
      return [classifier.predict(images) as tf.Tensor, features.predict(images) as tf.Tensor];
    });
    const p = await probs.data();
    genFeatures.set(await feats.data(), idx[0] * featureDim);
    tf.dispose([z, probs, feats]);
    for (let i = 0; i < idx.length; i++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
      const top = p[i * classes + best];
      hist[best]++;
      confidenceSum += top;
      if (top >= threshold) confident++;
    }
  }

  const m = Math.min(n, Math.floor(real.count / 2));
  if (m < 2) throw new Error(`evaluateGenerator: need at least 4 real images, got ${real.count}`);
  const order = rng.permutation(real.count);
  const realA = await featuresOf(features, real, order.subarray(0, m), featureDim, batchSize);
  const realB = await featuresOf(features, real, order.subarray(m, 2 * m), featureDim, batchSize);
  const histogram = hist.map((h) => h / n);
  return {
    samples: n,
    confidentShare: confident / n,
    meanConfidence: confidenceSum / n,
    classHistogram: histogram,
    minClassShare: Math.min(...histogram),
    classesCovered: hist.filter((h) => h > 0).length,
    frechetDistance: frechetDistance(genFeatures.subarray(0, m * featureDim), realA, featureDim),
    frechetRealBaseline: frechetDistance(realB, realA, featureDim),
    frechetSamples: m,
  };
}

async function featuresOf(
  model: tfl.LayersModel,
  set: ImageSet,
  indices: Int32Array,
  d: number,
  batchSize: number,
): Promise<Float32Array> {
  const out = new Float32Array(indices.length * d);
  for (let s = 0; s < indices.length; s += batchSize) {
    const idx = indices.subarray(s, Math.min(indices.length, s + batchSize));
    const x = imagesToTensor(set, idx);
    const f = tf.tidy(() => model.predict(x) as tf.Tensor);
    out.set(await f.data(), s * d);
    tf.dispose([x, f]);
  }
  return out;
}
