import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { subset } from '../data/dataset.js';
import { imageDataset, imagesToTensor, type ImageSplit } from '../data/images.js';
import { balancedSample, randomSplit } from '../data/split.js';
import { evaluateClassifier } from '../eval/classifier.js';
import { buildCnn, compileClassifier } from '../models/cnn.js';
import { setModelMetadata } from '../models/metadata.js';
import type { RecipeOptions, RecipeResult } from '../recipes/types.js';
import { trainModel } from '../train/train.js';
import { adversarialDataset, linearRamp } from './adversarial-training.js';
import { fgsm } from './fgsm.js';
import { predictClasses } from './model.js';
import { pgd } from './pgd.js';
import { headImages } from '../data/images.js';
import { numberSetting, stringSetting, type RecipeEntry } from '../recipes/recipe-entry.js';

/** Options of {@link trainMnistCnnRobust}. */
export interface MnistCnnRobustOptions extends RecipeOptions {
  /** 'fgsm-rs' (fast adversarial training, default) or 'pgd' (Madry et al.). */
  readonly method?: 'fgsm-rs' | 'pgd';
  /** L∞ budget trained against (default 0.3). */
  readonly eps?: number;
  /**
   * Epochs over which ε grows linearly from 0 (default 1). Full ε from the first batch (0) can
   * leave a fresh network at the constant-output optimum (loss ln 10) on short runs.
   */
  readonly rampEpochs?: number;
  /** PGD steps per training batch with method 'pgd' (default 10; Madry et al. used 40). */
  readonly pgdSteps?: number;
  /** 'fast' (default) or 'madry': see {@link buildRobustCnn}. */
  readonly architecture?: RobustArchitecture;
  /**
   * Training digits held out and attacked with PGD-10 after every epoch (default 1000; 0 = none).
   * Their robust accuracy picks the epoch whose weights are kept, which also undoes the sudden
   * collapse of robustness fast adversarial training is prone to ("catastrophic overfitting").
   */
  readonly validationSize?: number;
  /** Test digits attacked with FGSM and PGD-40 for the reported robust accuracies (default 1000). */
  readonly evalExamples?: number;
}

/** The robust model's architectures (see {@link buildRobustCnn}). */
export type RobustArchitecture = 'fast' | 'madry';

/**
 * The robust model's network, uncompiled, softmax output; no BatchNorm (its batch statistics differ
 * between the attacked and the trained pass) and no dropout.
 * 'fast': the network of the fast-adversarial-training MNIST runs (Wong, Rice & Kolter 2020) —
 * 4×4 stride-2 convolutions with 16 and 32 filters, dense 100 (≈ 0.6 M multiply-adds per digit).
 * 'madry': Madry et al.'s — 5×5 'same' convolutions with 32 and 64 filters, each followed by 2×2
 * max pooling, dense 1024 (≈ 14 M multiply-adds per digit).
 */
export function buildRobustCnn(architecture: RobustArchitecture = 'fast', seed = 0): tfl.Sequential {
  if (architecture === 'madry') {
    return buildCnn({
      filters: [32, 64],
      kernelSize: 5,
      padding: 'same',
      dense: 1024,
      batchNorm: false,
      dropout: 0,
      seed,
    });
  }
  const init = (k: number) => tfl.initializers.heNormal({ seed: seed * 16 + k });
  return tfl.sequential({
    name: 'cnn_fast',
    layers: [
      tfl.layers.zeroPadding2d({ inputShape: [28, 28, 1], padding: 1, name: 'pad1' }),
      tfl.layers.conv2d({
        filters: 16,
        kernelSize: 4,
        strides: 2,
        activation: 'relu',
        kernelInitializer: init(1),
        name: 'conv1',
      }),
      tfl.layers.zeroPadding2d({ padding: 1, name: 'pad2' }),
      tfl.layers.conv2d({
        filters: 32,
        kernelSize: 4,
        strides: 2,
        activation: 'relu',
        kernelInitializer: init(2),
        name: 'conv2',
      }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 100, activation: 'relu', kernelInitializer: init(3), name: 'dense' }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed * 16 + 4 }),
        name: 'probabilities',
      }),
    ],
  });
}

/** Held-out metrics of {@link trainMnistCnnRobust}. */
export interface MnistCnnRobustMetrics extends Record<string, number> {
  /** Clean accuracy on the 10 000 test digits. */
  testAccuracy: number;
  /** Accuracy under FGSM at ε on the first `evalExamples` test digits. */
  fgsmAccuracy: number;
  /** Accuracy under PGD-40 (one random start) at ε on the first `evalExamples` test digits. */
  pgdAccuracy: number;
  /** PGD-10 accuracy of the held-out training digits at the kept epoch. */
  validationRobustAccuracy: number;
}

/**
 * Trains `mnist-cnn-robust`: the same input/output convention as `mnist-cnn` (input
 * [N, 28, 28, 1] in [0, 1], softmax [N, 10]) trained on adversarial examples — FGSM with random
 * start (α = 1.25ε) or PGD — regenerated against the current weights for every batch.
 * Defaults (those of the fast-adversarial-training MNIST runs): 'fast' network, FGSM with random
 * start, ε 0.3 (reached after one epoch), α 0.375, 10 epochs, batch 100, Adam with a one-cycle
 * learning rate peaking at `learningRate` = 0.005 over the epochs or `timeLimitMs`, whichever ends first.
 */
export async function trainMnistCnnRobust(
  data: ImageSplit,
  options: MnistCnnRobustOptions = {},
): Promise<RecipeResult<MnistCnnRobustMetrics>> {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 100;
  const method = options.method ?? 'fgsm-rs';
  const eps = options.eps ?? 0.3;
  const rampEpochs = options.rampEpochs ?? 1;
  const pgdSteps = options.pgdSteps ?? 10;
  const lr = options.learningRate ?? 0.005;
  const architecture = options.architecture ?? 'fast';
  // One cycle (the fast-adversarial-training schedule): linear up to the peak at mid-run, then down.
  const schedule = (progress: number): number => lr * Math.max(0.02, 1 - Math.abs(2 * progress - 1));
  const evalExamples = Math.min(options.evalExamples ?? 1000, data.test.count);

  const all = imageDataset(data.train);
  const pool =
    options.limit !== undefined
      ? balancedSample(data.train.labels.subarray(0, data.train.count), options.limit, seed)
      : undefined;
  const n = pool?.length ?? data.train.count;
  const valSize = Math.min(options.validationSize ?? 1000, Math.floor(n / 5));
  const split = randomSplit(n, valSize / n, seed + 1);
  const map = (idx: Int32Array): Int32Array => (pool ? Int32Array.from(idx, (i) => pool[i]) : idx);
  const clean = subset(all, map(split.train));
  const batches = Math.ceil(clean.size / batchSize);

  const model = buildRobustCnn(architecture, seed);
  compileClassifier(model, { learningRate: schedule(0) });
  const train = adversarialDataset(clean, model, {
    method,
    eps: linearRamp(eps, rampEpochs * batches),
    steps: pgdSteps,
    seed: seed + 2,
  });
  const validation =
    valSize > 0
      ? adversarialDataset(subset(all, map(split.test)), model, { method: 'pgd', eps, steps: 10, seed: seed + 3 })
      : undefined;
  const result = await trainModel(model, train, {
    epochs,
    batchSize,
    seed,
    validation,
    learningRate: (_, progress) => schedule(progress),
    timeLimitMs: options.timeLimitMs,
    // Never stops early; keeps the weights of the epoch with the best robust validation accuracy.
    earlyStopping: validation
      ? { monitor: 'val_acc', mode: 'max', patience: epochs + 1, restoreBestWeights: true }
      : undefined,
    checkpoint: options.checkpoint,
    signal: options.signal,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  setModelMetadata(model, { kind: 'mnist-cnn' });

  const test = await evaluateClassifier(model, data.test);
  const x = imagesToTensor(
    data.test,
    Int32Array.from({ length: evalExamples }, (_, i) => i),
  );
  const y = Int32Array.from(data.test.labels.subarray(0, evalExamples));
  const robust = async (
    attack: (xb: tf.Tensor, yb: Int32Array) => Promise<{ adversarial: tf.Tensor }>,
  ): Promise<number> => {
    let correct = 0;
    for (let s = 0; s < evalExamples; s += 250) {
      const k = Math.min(250, evalExamples - s);
      const xb = tf.slice(x, s, k);
      const yb = y.subarray(s, s + k);
      const { adversarial } = await attack(xb, yb);
      const pred = await predictClasses(model, adversarial);
      pred.forEach((p, i) => {
        if (p === yb[i]) correct++;
      });
      tf.dispose([xb, adversarial]);
    }
    return correct / Math.max(1, evalExamples);
  };
  const fgsmAccuracy = await robust((xb, yb) => fgsm(model, xb, yb, { eps }));
  const pgdAccuracy = await robust((xb, yb) => pgd(model, xb, yb, { eps, steps: 40, seed }));
  x.dispose();
  const best = result.bestEpoch >= 0 ? result.history[result.bestEpoch] : result.history[result.history.length - 1];
  return {
    model,
    metrics: {
      testAccuracy: test.accuracy,
      fgsmAccuracy,
      pgdAccuracy,
      validationRobustAccuracy: best?.['val_acc'] ?? NaN,
    },
    config: {
      seed,
      epochs,
      batchSize,
      method,
      eps,
      rampEpochs,
      pgdSteps: method === 'pgd' ? pgdSteps : 0,
      learningRate: lr,
      schedule: 'one cycle (peak at mid-run)',
      timeLimitMs: options.timeLimitMs ?? 'none',
      trainImages: clean.size,
      validationImages: valSize,
      evalExamples,
      keptEpoch: result.bestEpoch + 1,
      architecture,
    },
    run: { epochsCompleted: result.epochsCompleted, stopReason: result.stopReason, elapsedMs: result.elapsedMs },
  };
}

/** {@link trainMnistCnnRobust} in the recipe registry. */
export const mnistCnnRobustRecipe: RecipeEntry = {
  name: 'mnist-cnn-robust',
  summary: 'the mnist-cnn convention, adversarially trained against L∞ perturbations (FGSM with random start, or PGD)',
  data: 'mnist',
  settings: {
    method: {
      type: 'choice',
      choices: ['fgsm-rs', 'pgd'],
      default: 'fgsm-rs',
      description: 'attack trained against: FGSM with a random start (fast adversarial training) or PGD',
    },
    eps: { type: 'number', min: 0, max: 1, default: 0.3, description: 'L∞ budget trained against' },
    architecture: { type: 'choice', choices: ['fast', 'madry'], default: 'fast', description: 'network size' },
    rampEpochs: { type: 'integer', min: 0, description: 'epochs over which ε ramps up from 0' },
    pgdSteps: { type: 'integer', min: 1, description: 'steps of PGD training' },
    validationSize: {
      type: 'integer',
      min: 0,
      description: 'training images held out for PGD-10 validation (default 1000)',
    },
    evalExamples: {
      type: 'integer',
      min: 1,
      description: 'test digits attacked for the reported accuracies (default 1000)',
    },
    testN: { type: 'integer', min: 1, description: 'report on the first n test digits only (quick runs)' },
  },
  run: async (load, options) => {
    const data = await load('mnist');
    const testN = numberSetting(options, 'testN');
    const eps = numberSetting(options, 'eps') ?? 0.3;
    const result = await trainMnistCnnRobust(testN ? { train: data.train, test: headImages(data.test, testN) } : data, {
      ...options,
      method: stringSetting(options, 'method') === 'pgd' ? 'pgd' : 'fgsm-rs',
      eps,
      architecture: stringSetting(options, 'architecture') === 'madry' ? 'madry' : 'fast',
      rampEpochs: numberSetting(options, 'rampEpochs'),
      pgdSteps: numberSetting(options, 'pgdSteps'),
      validationSize: numberSetting(options, 'validationSize'),
      evalExamples: numberSetting(options, 'evalExamples') ?? testN,
    });
    const note = (
      model: string,
    ): string => `Adversarially trained against L∞ perturbations of ε = ${eps}; the weights of epoch ${result.config.keptEpoch} are kept (best PGD-10 validation accuracy).
fgsmAccuracy and pgdAccuracy are measured on the first ${result.config.evalExamples} test digits (PGD-40, one
random start). The full evaluation (PGD-40 with 10 restarts on the 10 000 test digits, and every other
attack): \`node packages/models/scripts/adversarial.mjs report --model ${model} --attacks pgd --pgd-restarts 10 --epsilons ${eps}\`
(add \`--sample 1000\` for a seeded sample of 1000 test digits).`;
    return { ...result, note };
  },
};
