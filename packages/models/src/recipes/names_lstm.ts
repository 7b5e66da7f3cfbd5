/** Recipe of the shipped `names-lstm`: character ids [N, 10] → next-character probabilities. */
import { subset } from '../data/dataset.js';
import { nameVocabSize, prepareNamesData } from '../data/names.js';
import { Rng } from '../random.js';
import { generateNames, nameStatistics } from '../eval/names.js';
import { setModelMetadata } from '../models/metadata.js';
import { buildNamesModel, type NamesModelOptions } from '../models/recurrent_models.js';
import { trainModel } from '../train/train.js';
import type { RecipeOptions, RecipeResult } from './types.js';
import type { RecipeEntry } from './recipe-entry.js';

/** Options of {@link trainNamesLstm}. */
export interface NamesLstmRecipeOptions extends RecipeOptions {
  /** Characters of context (default 10). */
  readonly contextLength?: number;
  /** Model size (default embedding 16, 64 LSTM units). */
  readonly model?: Omit<NamesModelOptions, 'vocabSize' | 'contextLength' | 'seed'>;
  /** Names sampled for the novelty report (default 1000, temperature 0.8). */
  readonly samples?: number;
}

/** Metrics of the names model. */
export interface NamesMetrics extends Record<string, number> {
  /** Next-character accuracy on held-out names. */
  readonly heldOutCharAccuracy: number;
  /** Share of sampled names not in the training list. */
  readonly novelty: number;
  /** Share of sampled names that look pronounceable. */
  readonly pronounceable: number;
  /** Share both new and pronounceable-looking. */
  readonly novelAndPronounceable: number;
  /** Share that are real held-out names. */
  readonly heldOutHits: number;
}

/**
 * Trains the names LSTM on the female + male first-name lists (90/10 split by name; defaults:
 * 15 epochs, batch 128, early stopping on held-out loss) and samples names to measure novelty.
 */
export async function trainNamesLstm(
  names: Iterable<string>,
  options: NamesLstmRecipeOptions = {},
): Promise<RecipeResult<NamesMetrics> & { readonly samples: string[] }> {
  const seed = options.seed ?? 0;
  const data = prepareNamesData(names, { seed, contextLength: options.contextLength });
  const train =
    options.limit !== undefined && options.limit < data.train.size
      ? subset(data.train, new Rng(seed).permutation(data.train.size).subarray(0, options.limit))
      : data.train;
  const model = buildNamesModel({
    ...options.model,
    learningRate: options.learningRate ?? options.model?.learningRate,
    vocabSize: nameVocabSize(data.encoding),
    contextLength: data.encoding.contextLength,
    seed,
  });
  const epochs = options.epochs ?? 15;
  const batchSize = options.batchSize ?? 128;
  const result = await trainModel(model, train, {
    epochs,
    batchSize,
    seed,
    validation: data.test,
    earlyStopping: { patience: 2, restoreBestWeights: true },
    checkpoint: options.checkpoint,
    signal: options.signal,
    timeLimitMs: options.timeLimitMs,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  setModelMetadata(model, { kind: 'names-lstm', encoding: data.encoding });
  const samples = await generateNames(model, data.encoding, { count: options.samples ?? 1000, temperature: 0.8, seed });
  const stats = nameStatistics(samples, data.trainNames, data.testNames);
  const best = result.history[Math.max(0, result.bestEpoch)];
  return {
    model,
    samples,
    metrics: {
      heldOutCharAccuracy: best?.['val_acc'] ?? NaN,
      novelty: stats.novelty,
      pronounceable: stats.pronounceable,
      novelAndPronounceable: stats.novelAndPronounceable,
      heldOutHits: stats.heldOutHits,
    },
    config: {
      seed,
      epochs,
      batchSize,
      contextLength: data.encoding.contextLength,
      trainNames: data.trainNames.length,
      heldOutNames: data.testNames.length,
      samplingTemperature: 0.8,
      model: JSON.stringify(options.model ?? {}),
    },
    run: { epochsCompleted: result.epochsCompleted, stopReason: result.stopReason, elapsedMs: result.elapsedMs },
  };
}

/** {@link trainNamesLstm} in the recipe registry; its metrics show 20 sampled names. */
export const namesLstmRecipe: RecipeEntry = {
  name: 'names-lstm',
  summary: 'character LSTM that generates first names; novelty and pronounceability of samples',
  data: 'first-names',
  settings: {},
  run: async (load, options) => {
    const result = await trainNamesLstm(await load('first-names'), options);
    return { ...result, metrics: { ...result.metrics, examples: result.samples.slice(0, 20).join(', ') } };
  },
};
