/** Recipe of the shipped `spam-lstm`: token ids [N, 100] → P(spam) [N, 1]; vocabulary in the model metadata. */
import { subset } from '../data/dataset.js';
import { prepareSpamData, type SpamAssassinMessage } from '../data/spam.js';
import { randomSplit } from '../data/split.js';
import { evaluateBinaryClassifier } from '../eval/classifier.js';
import { setModelMetadata } from '../models/metadata.js';
import { buildSpamClassifier, type SpamModelOptions } from '../models/recurrent_models.js';
import { trainModel } from '../train/train.js';
import type { RecipeOptions, RecipeResult } from './types.js';
import type { RecipeEntry } from './recipe-entry.js';

/** Options of {@link trainSpamLstm}. */
export interface SpamLstmRecipeOptions extends RecipeOptions {
  /** Vocabulary size (default 5000). */
  readonly vocabSize?: number;
  /** Tokens per message (default 100). */
  readonly sequenceLength?: number;
  /** Model size (default embedding 32, 32 LSTM units). */
  readonly model?: Omit<SpamModelOptions, 'vocabSize' | 'sequenceLength' | 'seed' | 'learningRate'>;
  /** Initial Adam learning rate (default 0.004), multiplied by 0.8 each epoch. */
  readonly learningRate?: number;
}

/**
 * Trains the spam LSTM on SpamAssassin (80/20 stratified split; 10 % of training held out for
 * early stopping on validation loss; defaults: 12 epochs, batch 32, Adam 0.004 × 0.8^epoch).
 */
export async function trainSpamLstm(
  messages: readonly SpamAssassinMessage[],
  options: SpamLstmRecipeOptions = {},
): Promise<RecipeResult<{ testAccuracy: number; majorityBaseline: number }>> {
  const seed = options.seed ?? 0;
  const data = prepareSpamData(messages, {
    seed,
    vocabSize: options.vocabSize,
    sequenceLength: options.sequenceLength,
    limit: options.limit,
  });
  const { vocabulary, sequenceLength } = data.encoding;
  const split = randomSplit(data.train.size, 0.1, seed + 1);
  const model = buildSpamClassifier({
    ...options.model,
    vocabSize: vocabulary.tokens.length,
    sequenceLength,
    seed,
    learningRate: options.learningRate ?? 0.004,
  });
  const lr = options.learningRate ?? 0.004;
  const epochs = options.epochs ?? 12;
  const result = await trainModel(model, subset(data.train, split.train), {
    epochs,
    batchSize: options.batchSize ?? 32,
    seed,
    validation: subset(data.train, split.test),
    learningRate: (e) => lr * 0.8 ** e,
    earlyStopping: { monitor: 'val_loss', patience: 4, restoreBestWeights: true },
    checkpoint: options.checkpoint,
    signal: options.signal,
    timeLimitMs: options.timeLimitMs,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  setModelMetadata(model, { kind: 'spam-lstm', encoding: data.encoding });
  const test = await evaluateBinaryClassifier(model, data.test);
  return {
    model,
    metrics: { testAccuracy: test.accuracy, majorityBaseline: Math.max(data.spamShare, 1 - data.spamShare) },
    config: {
      seed,
      epochs,
      learningRate: lr,
      batchSize: options.batchSize ?? 32,
      vocabSize: vocabulary.tokens.length,
      sequenceLength,
      trainMessages: split.train.length,
      testMessages: data.test.size,
      model: JSON.stringify(options.model ?? {}),
    },
    run: { epochsCompleted: result.epochsCompleted, stopReason: result.stopReason, elapsedMs: result.elapsedMs },
  };
}

/** {@link trainSpamLstm} in the recipe registry. */
export const spamLstmRecipe: RecipeEntry = {
  name: 'spam-lstm',
  summary: 'word-level LSTM spam filter of the SpamAssassin corpus; test accuracy',
  data: 'spam-assassin',
  settings: {},
  run: async (load, options) => trainSpamLstm(await load('spam-assassin'), options),
};
