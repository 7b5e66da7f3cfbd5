/** Recipe of the shipped `spam-char-lstm`: character ids [N, 400] → P(spam) [N, 1]; alphabet in the model metadata. */
import { subset } from '../data/dataset.js';
import { prepareSpamCharData, spamCharVocabSize } from '../data/spam_chars.js';
import type { SpamAssassinMessage } from '../data/spam.js';
import { randomSplit } from '../data/split.js';
import { evaluateBinaryClassifier } from '../eval/classifier.js';
import { setModelMetadata } from '../models/metadata.js';
import { buildSpamClassifier, type SpamModelOptions } from '../models/recurrent_models.js';
import { ClippedAdamOptimizer } from '../train/clipped_adam.js';
import { trainModel } from '../train/train.js';
import type { RecipeOptions, RecipeResult } from './types.js';
import type { RecipeEntry } from './recipe-entry.js';

/** Options of {@link trainSpamCharLstm}. */
export interface SpamCharLstmRecipeOptions extends RecipeOptions {
  /** Characters per message: subject, then body (default 400). */
  readonly maxChars?: number;
  /** Characters with their own id (default 90). */
  readonly alphabetSize?: number;
  /** Model size (default embedding 16, 32 LSTM units, forget-gate biases starting at 1). */
  readonly model?: Omit<SpamModelOptions, 'vocabSize' | 'sequenceLength' | 'seed' | 'learningRate'>;
  /** Initial Adam learning rate (default 0.01), multiplied by 0.88 each epoch. */
  readonly learningRate?: number;
  /** Largest global L2 norm of a batch's gradients (default 1). */
  readonly clipNorm?: number;
}

/** Metrics of the character-level spam model. */
export interface SpamCharMetrics extends Record<string, number> {
  /** Accuracy on the held-out 20 % (the word model's test messages). */
  readonly testAccuracy: number;
  /** Accuracy of always answering the majority class (ham). */
  readonly majorityBaseline: number;
  /** Share of training characters outside the alphabet. */
  readonly otherCharShare: number;
}

/**
 * Trains a character-level spam LSTM on SpamAssassin: the same 80/20 stratified seeded split as
 * `spam-lstm` (so both models are tested on the same messages), 10 % of training held out for
 * early stopping on validation loss; defaults: 400 characters (case kept), 90-character alphabet, embedding
 * 16 → LSTM 32 (forget-gate biases start at 1: the evidence of 400 steps must survive) → sigmoid,
 * 30 epochs (patience 5), batch 32, Adam 0.01 × 0.88^epoch with gradients clipped to global norm 1. `timeLimitMs` bounds the
 * run (the best validation epoch is kept).
 *
 * @example
 * ```ts
 * import { trainSpamCharLstm, classifyEmailChars } from '@lanes/models';
 * import { loadSpamAssassin } from '@lanes/models/node';
 * const { model, metrics } = await trainSpamCharLstm(loadSpamAssassin(), { timeLimitMs: 15 * 60_000 });
 * console.log(metrics.testAccuracy, await classifyEmailChars(model, ['Subject: FREE money!!!\n\nClick here']));
 * ```
 */
export async function trainSpamCharLstm(
  messages: readonly SpamAssassinMessage[],
  options: SpamCharLstmRecipeOptions = {},
): Promise<RecipeResult<SpamCharMetrics>> {
  const seed = options.seed ?? 0;
  const data = prepareSpamCharData(messages, {
    seed,
    limit: options.limit,
    maxChars: options.maxChars ?? 400,
    alphabetSize: options.alphabetSize,
  });
  const { maxChars } = data.encoding;
  const split = randomSplit(data.train.size, 0.1, seed + 1);
  const lr = options.learningRate ?? 0.01;
  const modelOptions = { embeddingDim: 16, units: 32, unitForgetBias: true, ...options.model };
  const model = buildSpamClassifier({
    ...modelOptions,
    vocabSize: spamCharVocabSize(data.encoding),
    sequenceLength: maxChars,
    seed,
    learningRate: lr,
  });
  const clipNorm = options.clipNorm ?? 1;
  model.compile({
    optimizer: new ClippedAdamOptimizer(lr, clipNorm),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  const epochs = options.epochs ?? 30;
  const batchSize = options.batchSize ?? 32;
  const result = await trainModel(model, subset(data.train, split.train), {
    epochs,
    batchSize,
    seed,
    validation: subset(data.train, split.test),
    learningRate: (e) => lr * 0.88 ** e,
    earlyStopping: { monitor: 'val_loss', patience: 5, restoreBestWeights: true },
    checkpoint: options.checkpoint,
    signal: options.signal,
    timeLimitMs: options.timeLimitMs,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  setModelMetadata(model, { kind: 'spam-char-lstm', encoding: data.encoding });
  const test = await evaluateBinaryClassifier(model, data.test);
  return {
    model,
    metrics: {
      testAccuracy: test.accuracy,
      majorityBaseline: Math.max(data.spamShare, 1 - data.spamShare),
      otherCharShare: data.otherShare,
    },
    config: {
      seed,
      epochs,
      learningRate: lr,
      clipNorm,
      batchSize,
      maxChars,
      alphabet: JSON.stringify(data.encoding.alphabet),
      trainMessages: split.train.length,
      validationMessages: split.test.length,
      testMessages: data.test.size,
      model: JSON.stringify(modelOptions),
    },
    run: { epochsCompleted: result.epochsCompleted, stopReason: result.stopReason, elapsedMs: result.elapsedMs },
  };
}

/** {@link trainSpamCharLstm} in the recipe registry. */
export const spamCharLstmRecipe: RecipeEntry = {
  name: 'spam-char-lstm',
  summary: 'character-level LSTM spam filter of the SpamAssassin corpus; test accuracy',
  data: 'spam-assassin',
  settings: {},
  run: async (load, options) => trainSpamCharLstm(await load('spam-assassin'), options),
};
