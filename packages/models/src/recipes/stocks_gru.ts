/** Recipe of the shipped `stocks-gru`: 20 scaled daily log returns [N, 20, 1] → the next one [N, 1]. */
import { prepareSeriesData } from '../data/series.js';
import { evaluateSeriesModel } from '../eval/series.js';
import { setModelMetadata } from '../models/metadata.js';
import { buildSeriesModel, type SeriesModelOptions } from '../models/recurrent_models.js';
import { trainModel } from '../train/train.js';
import type { RecipeOptions, RecipeResult } from './types.js';
import type { RecipeEntry } from './recipe-entry.js';

/** Options of {@link trainStocksGru}. */
export interface StocksGruRecipeOptions extends RecipeOptions {
  /** Returns per window (default 20). */
  readonly windowLength?: number;
  /** Model size (default 16 GRU units). */
  readonly model?: Omit<SeriesModelOptions, 'windowLength' | 'seed'>;
}

/** Metrics of the series model (prices, held-out last 20 % of the series). */
export interface StocksMetrics extends Record<string, number> {
  /** RMSE of the model's next-day prices. */
  readonly testRmse: number;
  /** RMSE of "tomorrow = today". */
  readonly lastValueRmse: number;
  /** 1 − testRmse / lastValueRmse. */
  readonly improvement: number;
}

/**
 * Trains the GRU on a price series (the S&P 500 daily closes by default in the script) with a
 * chronological 70/10/20 split and early stopping on validation loss (defaults: 30 epochs,
 * batch 64).
 */
export async function trainStocksGru(
  prices: Float64Array,
  options: StocksGruRecipeOptions = {},
): Promise<RecipeResult<StocksMetrics>> {
  const seed = options.seed ?? 0;
  const data = prepareSeriesData(prices, { windowLength: options.windowLength });
  const model = buildSeriesModel({
    ...options.model,
    learningRate: options.learningRate ?? options.model?.learningRate,
    windowLength: data.encoding.windowLength,
    seed,
  });
  const epochs = options.epochs ?? 30;
  const batchSize = options.batchSize ?? 64;
  const result = await trainModel(model, data.train.dataset, {
    epochs,
    batchSize,
    seed,
    validation: data.validation.dataset,
    earlyStopping: { patience: 5, restoreBestWeights: true },
    checkpoint: options.checkpoint,
    signal: options.signal,
    timeLimitMs: options.timeLimitMs,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  setModelMetadata(model, { kind: 'stocks-gru', encoding: data.encoding });
  const test = await evaluateSeriesModel(model, data.test, prices, data.encoding);
  return {
    model,
    metrics: { testRmse: test.rmse, lastValueRmse: test.baselineRmse, improvement: test.improvement },
    config: {
      seed,
      epochs,
      batchSize,
      windowLength: data.encoding.windowLength,
      returnScale: data.encoding.returnScale,
      trainWindows: data.train.dataset.size,
      testWindows: data.test.dataset.size,
      model: JSON.stringify(options.model ?? {}),
    },
    run: { epochsCompleted: result.epochsCompleted, stopReason: result.stopReason, elapsedMs: result.elapsedMs },
  };
}

/** {@link trainStocksGru} in the recipe registry. */
export const stocksGruRecipe: RecipeEntry = {
  name: 'stocks-gru',
  summary: 'GRU forecasting the next daily S&P 500 return; RMSE against the last-value baseline',
  data: 'sp500-daily',
  settings: {},
  run: async (load, options) => trainStocksGru((await load('sp500-daily')).prices, options),
};
