/**
 * Price series from `vega-datasets` (sp500-2000.csv: S&P 500 daily 2000–2020; stocks.csv: five
 * stocks monthly 2000–2010) and their windowing for next-step prediction. The models predict the
 * next log return scaled by the training returns' standard deviation; prices are rebuilt from it.
 */
import { columnDataset, type Dataset } from './dataset.js';
import { checkPrices } from '../validate.js';

/** A dated price series. */
export interface PriceSeries {
  /** Name (symbol or index). */
  readonly name: string;
  /** Date of each point, as written in the source. */
  readonly dates: readonly string[];
  /** Price of each point. */
  readonly prices: Float64Array;
}

/** Parses `sp500-2000.csv` (date,open,high,low,close,adjclose,volume) into its closing prices. */
export function parseSp500Daily(csv: string): PriceSeries {
  const rows = csvRows(csv);
  const header = rows[0];
  const dateCol = header.indexOf('date');
  const closeCol = header.indexOf('close');
  if (dateCol < 0 || closeCol < 0) throw new Error('sp500 CSV: needs date and close columns');
  const body = rows.slice(1);
  return {
    name: 'S&P 500',
    dates: body.map((r) => r[dateCol]),
    prices: Float64Array.from(body, (r) => Number(r[closeCol])),
  };
}

/** Parses `stocks.csv` (symbol,date,price) into one series per symbol, in file order. */
export function parseStocksMonthly(csv: string): PriceSeries[] {
  const rows = csvRows(csv).slice(1);
  const bySymbol = new Map<string, { dates: string[]; prices: number[] }>();
  for (const [symbol, date, price] of rows) {
    let s = bySymbol.get(symbol);
    if (!s) bySymbol.set(symbol, (s = { dates: [], prices: [] }));
    s.dates.push(date);
    s.prices.push(Number(price));
  }
  return [...bySymbol].map(([name, s]) => ({ name, dates: s.dates, prices: Float64Array.from(s.prices) }));
}

function csvRows(csv: string): string[][] {
  return csv
    .trim()
    .split(/\r?\n/)
    .map((line) => line.split(','));
}

/** How prices become model input; stored in the model's metadata. */
export interface SeriesEncoding {
  /** Returns per input window. */
  readonly windowLength: number;
  /** Standard deviation of the training log returns (inputs and targets are divided by it). */
  readonly returnScale: number;
}

/** Log returns: r[i] = ln(p[i+1] / p[i]). */
export function logReturns(prices: ArrayLike<number>): Float64Array {
  const r = new Float64Array(Math.max(0, prices.length - 1));
  for (let i = 0; i < r.length; i++) r[i] = Math.log(prices[i + 1] / prices[i]);
  return r;
}

/** Options of {@link prepareSeriesData}. */
export interface SeriesDataOptions {
  /** Returns per window (default 20). */
  readonly windowLength?: number;
  /** Last share of the series held out for testing (default 0.2). */
  readonly testFraction?: number;
  /** Share before the test part used for validation / early stopping (default 0.1). */
  readonly validationFraction?: number;
}

/** One chronological part of a windowed series. */
export interface SeriesPart {
  /** xs `[n, windowLength, 1]` scaled returns, ys `[n, 1]` the next scaled return. */
  readonly dataset: Dataset;
  /** Index into `prices` of the last known price of each sample (the prediction is for index+1). */
  readonly lastPriceIndex: Int32Array;
}

/** A windowed series split chronologically into train / validation / test. */
export interface SeriesData {
  /** Training windows (oldest). */
  readonly train: SeriesPart;
  /** Validation windows (after training). */
  readonly validation: SeriesPart;
  /** Test windows (newest). */
  readonly test: SeriesPart;
  /** The encoding (window length, return scale from the training part). */
  readonly encoding: SeriesEncoding;
  /** The prices. */
  readonly prices: Float64Array;
}

/**
 * Windows of `windowLength` log returns predicting the next one. The split is by time: the
 * targets of the test part are the last `testFraction` of returns, validation the
 * `validationFraction` before them. The scale comes from the training returns only.
 */
export function prepareSeriesData(prices: Float64Array, options: SeriesDataOptions = {}): SeriesData {
  const w = options.windowLength ?? 20;
  // Three windows at least (train, validation, test): w + 3 returns, one price more.
  checkPrices('prepareSeriesData', prices, w + 4);
  const r = logReturns(prices);
  const targets = r.length - w; // sample k: inputs r[k..k+w-1], target r[k+w]
  const nTest = Math.round(targets * (options.testFraction ?? 0.2));
  const nVal = Math.round(targets * (options.validationFraction ?? 0.1));
  const nTrain = targets - nTest - nVal;
  let sum = 0,
    sq = 0;
  const trainReturns = nTrain + w;
  for (let i = 0; i < trainReturns; i++) sum += r[i];
  const mean = sum / trainReturns;
  for (let i = 0; i < trainReturns; i++) sq += (r[i] - mean) ** 2;
  const encoding: SeriesEncoding = { windowLength: w, returnScale: Math.sqrt(sq / trainReturns) || 1 };
  const part = (from: number, to: number): SeriesPart => {
    const n = to - from;
    const x = new Float32Array(n * w);
    const y = new Float32Array(n);
    const last = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const s = from + k;
      for (let j = 0; j < w; j++) x[k * w + j] = r[s + j] / encoding.returnScale;
      y[k] = r[s + w] / encoding.returnScale;
      last[k] = s + w; // r[s+w] = ln(p[s+w+1] / p[s+w])
    }
    return {
      dataset: columnDataset({ values: x, sampleShape: [w, 1] }, { values: y, sampleShape: [1] }),
      lastPriceIndex: last,
    };
  };
  return {
    train: part(0, nTrain),
    validation: part(nTrain, nTrain + nVal),
    test: part(nTrain + nVal, targets),
    encoding,
    prices,
  };
}

/** Model input `[1·windowLength]` scaled returns for the window ending at price index `last`. */
export function encodeSeriesWindow(encoding: SeriesEncoding, prices: ArrayLike<number>, last: number): Float32Array {
  const w = encoding.windowLength;
  if (last < w) throw new RangeError(`need ${w + 1} prices up to index ${last}`);
  const x = new Float32Array(w);
  for (let j = 0; j < w; j++) {
    const i = last - w + j;
    x[j] = Math.log(prices[i + 1] / prices[i]) / encoding.returnScale;
  }
  return x;
}
