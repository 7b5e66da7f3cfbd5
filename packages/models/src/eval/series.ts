/** One-step-ahead price prediction and its error against the last-value baseline. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { encodeSeriesWindow, type SeriesEncoding, type SeriesPart } from '../data/series.js';
import { predictDataset } from './classifier.js';
import { checkPrices } from '../validate.js';

/** Result of {@link evaluateSeriesModel}. */
export interface SeriesEvaluation {
  /** Predictions evaluated. */
  readonly count: number;
  /** RMSE of the predicted prices. */
  readonly rmse: number;
  /** RMSE of "tomorrow = today" (the last-value baseline). */
  readonly baselineRmse: number;
  /** 1 − rmse / baselineRmse (positive = the model beats the baseline). */
  readonly improvement: number;
  /** Predicted prices, one per sample. */
  readonly predicted: Float64Array;
  /** Actual prices, one per sample. */
  readonly actual: Float64Array;
}

/** Price predictions from predicted scaled returns: p[last] · exp(r̂ · scale). */
function toPrices(
  returns: ArrayLike<number>,
  lastIndex: ArrayLike<number>,
  prices: ArrayLike<number>,
  scale: number,
): Float64Array {
  return Float64Array.from(lastIndex, (last, k) => prices[last] * Math.exp(returns[k] * scale));
}

/** RMSE of the model's next-price predictions on one part of a series, next to the last-value baseline. */
export async function evaluateSeriesModel(
  model: tfl.LayersModel,
  part: SeriesPart,
  prices: Float64Array,
  encoding: SeriesEncoding,
): Promise<SeriesEvaluation> {
  const r = await predictDataset(model, part.dataset);
  const predicted = toPrices(r, part.lastPriceIndex, prices, encoding.returnScale);
  const actual = Float64Array.from(part.lastPriceIndex, (last) => prices[last + 1]);
  let se = 0,
    seBase = 0;
  part.lastPriceIndex.forEach((last, k) => {
    se += (predicted[k] - actual[k]) ** 2;
    seBase += (prices[last] - actual[k]) ** 2;
  });
  const n = Math.max(1, actual.length);
  const rmse = Math.sqrt(se / n);
  const baselineRmse = Math.sqrt(seBase / n);
  return { count: actual.length, rmse, baselineRmse, improvement: 1 - rmse / baselineRmse, predicted, actual };
}

/**
 * The model's prediction of the next price after each index from `windowLength` on:
 * `out[i]` predicts `prices[i + 1]` (NaN where no full window exists).
 */
export async function predictNextPrices(
  model: tfl.LayersModel,
  prices: ArrayLike<number>,
  encoding: SeriesEncoding,
): Promise<Float64Array> {
  const w = encoding.windowLength;
  checkPrices('predictNextPrices', prices, 0);
  const out = new Float64Array(prices.length).fill(NaN);
  const n = prices.length - w;
  if (n <= 0) return out;
  const x = new Float32Array(n * w);
  for (let k = 0; k < n; k++) x.set(encodeSeriesWindow(encoding, prices, w + k), k * w);
  const input = tf.tensor3d(x, [n, w, 1]);
  const y = tf.tidy(() => model.predict(input) as tf.Tensor);
  const r = await y.data();
  tf.dispose([input, y]);
  for (let k = 0; k < n; k++) out[w + k] = prices[w + k] * Math.exp(r[k] * encoding.returnScale);
  return out;
}
