/** Recipe of the shipped `mnist-dcgan-generator`: input [N, latent] standard normal, output [N, 28, 28, 1] in [0, 1]. */
import type * as tfl from '@tensorflow/tfjs-layers';
import { takeImages, type ImageSet } from '../data/images.js';
import { balancedSample } from '../data/split.js';
import { judgeCodes, type CodeJudgement } from '../eval/codes.js';
import { evaluateGenerator, type GeneratorEvaluation } from '../eval/generator.js';
import {
  buildDcganDiscriminator,
  buildDcganGenerator,
  type DiscriminatorOptions,
  type GeneratorOptions,
} from '../models/dcgan.js';
import { setModelMetadata } from '../models/metadata.js';
import type { CheckpointOptions, Logs } from '../train/callbacks.js';
import { GanTrainer, type GanLoss, type GanTrainerOptions } from '../train/gan_trainer.js';
import type { RecipeOptions } from './types.js';
import { flagSetting, numberSetting, stringSetting, type RecipeEntry } from './recipe-entry.js';

/**
 * Options of {@link trainMnistDcgan}. Why the defaults are what they are — the measurements behind
 * each — is the experiment log of `pretrained/mnist-dcgan-generator/MODEL.md`.
 */
export interface MnistDcganRecipeOptions extends Omit<RecipeOptions, 'checkpoint'> {
  /** Generator architecture (default latent 100, 32 filters). */
  readonly generator?: Omit<GeneratorOptions, 'seed'>;
  /** Discriminator architecture (default 32 filters, no dropout: it cost time for no gain). */
  readonly discriminator?: Omit<DiscriminatorOptions, 'seed'>;
  /**
   * Adam learning rate of the generator, and of the discriminator unless given apart (default 8e-4:
   * spectral normalisation keeps D steady at rates that unsettle a plain DCGAN).
   */
  readonly learningRate?: number;
  /** Adam learning rate of the discriminator (default: `learningRate`). */
  readonly discriminatorLearningRate?: number;
  /**
   * Share of the run (steps or time budget, whichever is further) after which both learning rates
   * fall linearly to 0 at the end (default 1: no decay).
   */
  readonly decayFrom?: number;
  /** Generator steps after each discriminator step (default 2). */
  readonly generatorSteps?: number;
  /** Instance noise on the discriminator's inputs, annealed to 0 at the end of the run (default 0). */
  readonly instanceNoise?: number;
  /**
   * Adversarial loss (default 'hinge', with the discriminator spectrally normalised unless
   * `discriminator.spectralNorm` is false).
   */
  readonly loss?: GanLoss;
  /**
   * Categorical codes carried by the latent's first coordinate (default 10 with `codeLabels`,
   * else 20; 0 turns them off): see {@link GeneratorOptions.codes}. The shipped generator keeps
   * the input [N, latent] standard normal.
   */
  readonly codes?: number;
  /** Weight of the InfoGAN code loss (default 1). */
  readonly codeWeight?: number;
  /**
   * Weight of the clustering term on real images (default 1 with unsupervised codes): see
   * {@link GanTrainerOptions.codeBalance}.
   */
  readonly codeBalance?: number;
  /**
   * Supervise the codes with the digits' labels (AC-GAN; default true unless `codes` is 0): code c
   * draws digit c, see {@link GanTrainerOptions.codeLabels}. False trains without labels (20 codes
   * and the clustering term by default).
   */
  readonly codeLabels?: boolean;
  /** Decay of the generator's weight average, which is what gets shipped (default 0.999; 0 = last weights). */
  readonly emaDecay?: number;
  /** Generated samples judged at the end (default 1000). */
  readonly evaluationSamples?: number;
  /** Checkpoint the generator every epoch. */
  readonly checkpoint?: Pick<CheckpointOptions, 'target' | 'everyEpochs'>;
}

/** Result of {@link trainMnistDcgan}. */
export interface MnistDcganRecipeResult {
  /** The trained generator (metadata set). */
  readonly model: tfl.LayersModel;
  /** The trained discriminator. */
  readonly discriminator: tfl.LayersModel;
  /** Judgement by the classifier (when one was given). */
  readonly evaluation?: GeneratorEvaluation;
  /** With codes and a classifier: the digit each code came to draw. */
  readonly codeJudgement?: CodeJudgement;
  /** Metrics for MODEL.md. */
  readonly metrics: Record<string, number>;
  /** Mean D/G losses and D accuracy per epoch. */
  readonly history: Logs[];
  /** Every step's logs (the D/G curves over time). */
  readonly steps: Logs[];
  /** Hyperparameters. */
  readonly config: Record<string, string | number | boolean>;
  /** Epochs completed and why training stopped. */
  readonly run: {
    readonly epochsCompleted: number;
    readonly steps: number;
    readonly stopReason: string;
    readonly elapsedMs: number;
  };
}

/**
 * Trains the DCGAN on MNIST training digits (defaults: hinge loss with a spectrally normalised
 * discriminator, 10 epochs or `timeLimitMs`, batch 64, Adam 8e-4 for both networks, two generator
 * steps per discriminator step, no discriminator dropout, one latent code per digit supervised by
 * the labels) and ships the averaged generator; given the `classifier` (mnist-cnn) and real test digits, judges
 * 1000 of its samples.
 */
export async function trainMnistDcgan(
  train: ImageSet,
  options: MnistDcganRecipeOptions = {},
  judge?: { classifier: tfl.LayersModel; real: ImageSet },
): Promise<MnistDcganRecipeResult> {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 64;
  const learningRate = options.learningRate ?? 8e-4;
  const dLearningRate = options.discriminatorLearningRate ?? learningRate;
  const decayFrom = options.decayFrom ?? 1;
  const images =
    options.limit !== undefined
      ? takeImages(train, balancedSample(train.labels.subarray(0, train.count), options.limit, seed))
      : train;
  const gOptions = options.generator ?? {};
  const loss = options.loss ?? 'hinge';
  const dOptions = { dropout: 0, spectralNorm: loss === 'hinge', ...options.discriminator };
  const codeLabels = options.codeLabels ?? options.codes !== 0;
  const codes = options.codes ?? (codeLabels ? train.classNames.length : 20);
  const codeWeight = options.codeWeight ?? 1;
  const codeBalance = codes > 0 && !codeLabels ? (options.codeBalance ?? 1) : 0;
  const generator = buildDcganGenerator({ ...gOptions, codes, seed });
  const discriminator = buildDcganDiscriminator({ ...dOptions, codes, seed: seed + 1 });
  const emaDecay = options.emaDecay ?? 0.999;
  const generatorSteps = options.generatorSteps ?? 2;
  const instanceNoise = options.instanceNoise ?? 0;
  const trainer = new GanTrainer(generator, discriminator, {
    seed: seed + 2,
    learningRate,
    discriminatorLearningRate: dLearningRate,
    emaDecay: emaDecay > 0 ? emaDecay : undefined,
    generatorSteps,
    instanceNoise,
    loss,
    codes,
    codeWeight,
    codeBalance,
    codeLabels,
  });
  const fit = await trainer.fit(images, {
    epochs,
    batchSize,
    signal: options.signal,
    learningRateScale: decayFrom < 1 ? (p) => linearDecay(p, decayFrom) : undefined,
    timeLimitMs: options.timeLimitMs,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
    checkpoint: options.checkpoint
      ? { generator: options.checkpoint.target, everyEpochs: options.checkpoint.everyEpochs }
      : undefined,
  });
  trainer.useAveragedGenerator();
  trainer.dispose();
  const latentDim = gOptions.latentDim ?? 100;
  setModelMetadata(generator, {
    kind: 'mnist-dcgan-generator',
    latentDim,
    ...(codes > 0 ? { codes } : {}),
    ...(codeLabels ? { codeClasses: [...train.classNames] } : {}),
  });
  const evaluation = judge
    ? await evaluateGenerator(generator, judge.classifier, judge.real, {
        samples: options.evaluationSamples ?? 1000,
        seed,
      })
    : undefined;
  const codeJudgement =
    judge && codes > 0 ? await judgeCodes(generator, judge.classifier, codes, 100, seed) : undefined;
  const tail = fit.steps.slice(-Math.max(1, Math.floor(fit.steps.length / 10)));
  const mean = (k: string) => tail.reduce((a, l) => a + l[k], 0) / tail.length;
  const metrics: Record<string, number> = {
    finalDLoss: mean('dLoss'),
    finalGLoss: mean('gLoss'),
    finalDAccuracy: mean('dAcc'),
  };
  if (evaluation) {
    Object.assign(metrics, {
      confidentShare: evaluation.confidentShare,
      minClassShare: evaluation.minClassShare,
      frechetDistance: evaluation.frechetDistance,
      frechetRealBaseline: evaluation.frechetRealBaseline,
    });
  }
  if (codeJudgement) metrics['codePurity'] = codeJudgement.purity;
  // With labels, code c was trained to draw class c: the share of its samples classified so.
  if (codeJudgement && codeLabels)
    metrics['codeAccuracy'] = codeJudgement.classShares.reduce((a, shares, c) => a + shares[c], 0) / codes;
  return {
    model: generator,
    discriminator,
    evaluation,
    codeJudgement,
    metrics,
    history: fit.history,
    steps: fit.steps,
    config: {
      seed,
      epochs,
      batchSize,
      loss,
      learningRate,
      discriminatorLearningRate: dLearningRate,
      decayFrom,
      emaDecay,
      generatorSteps,
      instanceNoise,
      codes,
      codeWeight,
      codeBalance,
      codeLabels,
      timeLimitMs: options.timeLimitMs ?? 'none',
      steps: fit.steps.length,
      trainImages: images.count,
      latentDim,
      generator: JSON.stringify(gOptions),
      discriminator: JSON.stringify(dOptions),
    },
    run: {
      epochsCompleted: fit.epochsCompleted,
      steps: fit.steps.length,
      stopReason: fit.stopReason,
      elapsedMs: fit.elapsedMs,
    },
  };
}

/** 1 until `progress` reaches `from`, then linearly down to 0 at `progress` 1. */
function linearDecay(progress: number, from: number): number {
  return progress <= from ? 1 : Math.max(0, (1 - progress) / (1 - from));
}

/** {@link trainMnistDcgan} in the recipe registry; judged by the shipped mnist-cnn when it is there. */
export const mnistDcganRecipe: RecipeEntry = {
  name: 'mnist-dcgan-generator',
  summary: 'DCGAN generator of MNIST digits, one latent code per digit (AC-GAN); judged by mnist-cnn',
  data: 'mnist',
  settings: {
    discriminatorLearningRate: { type: 'number', min: 0, description: 'Adam learning rate of the discriminator' },
    decayFrom: { type: 'number', min: 0, max: 1, description: 'share of the run after which learning rates decay' },
    generatorSteps: { type: 'integer', min: 1, description: 'generator steps per discriminator step (default 2)' },
    instanceNoise: { type: 'number', min: 0, description: 'std of the annealed instance noise (default 0)' },
    discriminatorDropout: { type: 'number', min: 0, max: 0.9, description: 'dropout in the discriminator (default 0)' },
    loss: { type: 'choice', choices: ['bce', 'lsgan', 'hinge'], default: 'hinge', description: 'adversarial loss' },
    codes: { type: 'integer', min: 0, description: 'latent codes (default: one per digit)' },
    codeWeight: { type: 'number', min: 0, description: 'weight of the code loss (default 1)' },
    codeBalance: { type: 'number', min: 0, description: 'weight of the clustering term (unsupervised codes)' },
    unsupervised: { type: 'boolean', description: 'codes without the digit labels (InfoGAN + clustering)' },
  },
  run: async (load, options) => {
    const mnist = await load('mnist');
    const classifier = await load('mnist-classifier');
    const dropout = numberSetting(options, 'discriminatorDropout');
    const loss = stringSetting(options, 'loss');
    const result = await trainMnistDcgan(
      mnist.train,
      {
        ...options,
        discriminatorLearningRate: numberSetting(options, 'discriminatorLearningRate'),
        decayFrom: numberSetting(options, 'decayFrom'),
        generatorSteps: numberSetting(options, 'generatorSteps'),
        instanceNoise: numberSetting(options, 'instanceNoise'),
        discriminator: dropout !== undefined ? { dropout } : undefined,
        loss: loss === 'bce' || loss === 'lsgan' ? loss : 'hinge',
        codes: numberSetting(options, 'codes'),
        codeWeight: numberSetting(options, 'codeWeight'),
        codeBalance: numberSetting(options, 'codeBalance'),
        codeLabels: flagSetting(options, 'unsupervised') ? false : undefined,
      },
      classifier ? { classifier, real: mnist.test } : undefined,
    );
    const metrics: Record<string, number | string> = { ...result.metrics };
    if (result.evaluation) metrics.classHistogram = result.evaluation.classHistogram.map((h) => h.toFixed(3)).join(' ');
    if (result.codeJudgement) metrics.codeDigits = result.codeJudgement.majorityClass.join(' ');
    return {
      ...result,
      metrics,
      note: classifier ? undefined : () => 'Not judged: the shipped mnist-cnn was missing when it was trained.',
    };
  },
};
