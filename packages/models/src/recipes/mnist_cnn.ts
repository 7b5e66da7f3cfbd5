/** Recipe of the shipped `mnist-cnn`: input [N, 28, 28, 1] in [0, 1], softmax [N, 10]. */
import { subset } from '../data/dataset.js';
import { imageDataset, type ImageSplit } from '../data/images.js';
import { balancedSample, randomSplit } from '../data/split.js';
import { evaluateClassifier } from '../eval/classifier.js';
import { buildCnn, compileClassifier, type CnnOptions } from '../models/cnn.js';
import { setModelMetadata } from '../models/metadata.js';
import { trainModel } from '../train/train.js';
import type { RecipeOptions, RecipeResult } from './types.js';
import { headImages } from '../data/images.js';
import { flagSetting, numberSetting, type RecipeEntry } from './recipe-entry.js';

/** Options of {@link trainMnistCnn}. */
export interface MnistCnnRecipeOptions extends RecipeOptions {
  /** Architecture (default: the {@link MNIST_CNN_ARCHITECTURE}). */
  readonly architecture?: Omit<CnnOptions, 'seed'>;
  /** Peak Adam learning rate (default 0.002), decayed along a cosine to 2 % of it by the end of the run. */
  readonly learningRate?: number;
  /** Training images held out for per-epoch validation (default 5000; 0 = none). */
  readonly validationSize?: number;
}

/**
 * The shipped CNN: two 5×5 conv blocks (32, 64 filters), dense 128, dropout 0.25. No BatchNorm:
 * on 'lanes' its training ops double the time per batch, and under a time budget the plain
 * network gets twice the epochs.
 */
export const MNIST_CNN_ARCHITECTURE: Omit<CnnOptions, 'seed'> = {
  filters: [32, 64],
  kernelSize: 5,
  dense: 128,
  batchNorm: false,
  dropout: 0.25,
};

/** Cosine decay from `peak` to 2 % of it as `progress` goes from 0 to 1. */
function cosineLearningRate(peak: number, progress: number): number {
  return peak * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
}

/**
 * Trains the MNIST CNN (defaults: 6 epochs, batch 64, Adam peaking at 0.002 with cosine decay over
 * the epochs or `timeLimitMs`, whichever ends first) and reports its accuracy on the 10 000 test
 * digits.
 */
export async function trainMnistCnn(
  data: ImageSplit,
  options: MnistCnnRecipeOptions = {},
): Promise<RecipeResult<{ testAccuracy: number; validationAccuracy: number }>> {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 6;
  const batchSize = options.batchSize ?? 64;
  const lr = options.learningRate ?? 0.002;
  const architecture = options.architecture ?? MNIST_CNN_ARCHITECTURE;
  const all = imageDataset(data.train);
  const pool =
    options.limit !== undefined
      ? balancedSample(data.train.labels.subarray(0, data.train.count), options.limit, seed)
      : undefined;
  const n = pool?.length ?? data.train.count;
  const valSize = Math.min(options.validationSize ?? 5000, Math.floor(n / 5));
  const split = randomSplit(n, valSize / n, seed + 1);
  const map = (idx: Int32Array) => (pool ? Int32Array.from(idx, (i) => pool[i]) : idx);
  const train = subset(all, map(split.train));
  const validation = valSize > 0 ? subset(all, map(split.test)) : undefined;

  const model = buildCnn({ ...architecture, seed });
  compileClassifier(model, { learningRate: lr });
  const result = await trainModel(model, train, {
    epochs,
    batchSize,
    seed,
    validation,
    learningRate: (_, progress) => cosineLearningRate(lr, progress),
    timeLimitMs: options.timeLimitMs,
    checkpoint: options.checkpoint,
    signal: options.signal,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  setModelMetadata(model, { kind: 'mnist-cnn' });
  const test = await evaluateClassifier(model, data.test);
  const last = result.history[result.history.length - 1];
  return {
    model,
    metrics: { testAccuracy: test.accuracy, validationAccuracy: last?.['val_acc'] ?? NaN },
    config: {
      seed,
      epochs,
      batchSize,
      learningRate: lr,
      schedule: 'cosine to 2 %',
      timeLimitMs: options.timeLimitMs ?? 'none',
      trainImages: train.size,
      validationImages: valSize,
      architecture: JSON.stringify(architecture),
    },
    run: {
      epochsCompleted: result.epochsCompleted,
      steps: result.batchLosses.length,
      stopReason: result.stopReason,
      elapsedMs: result.elapsedMs,
    },
  };
}

/** {@link trainMnistCnn} in the recipe registry. */
export const mnistCnnRecipe: RecipeEntry = {
  name: 'mnist-cnn',
  summary: 'CNN classifier of MNIST digits: two 5×5 conv blocks, dense 128, dropout; test accuracy',
  data: 'mnist',
  settings: {
    batchNorm: { type: 'boolean', description: 'BatchNorm after each convolution and the dense layer' },
    validationSize: { type: 'integer', min: 0, description: 'training images held out for validation (default 5000)' },
    testN: { type: 'integer', min: 1, description: 'report on the first n test digits only (quick runs)' },
  },
  run: async (load, options) => {
    const data = await load('mnist');
    const testN = numberSetting(options, 'testN');
    return trainMnistCnn(testN ? { train: data.train, test: headImages(data.test, testN) } : data, {
      ...options,
      validationSize: numberSetting(options, 'validationSize'),
      architecture: { ...MNIST_CNN_ARCHITECTURE, batchNorm: flagSetting(options, 'batchNorm') },
    });
  },
};
