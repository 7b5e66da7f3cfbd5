/** Sampling names from the next-character model, and how new and name-like they are. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { encodeNameContext, NAME_BOUNDARY_ID, nameVocabSize, type NameEncoding } from '../data/names.js';
import { Rng } from '../random.js';

/** Options of {@link generateNames}. */
export interface GenerateNamesOptions {
  /** Names to sample (default 100). */
  readonly count?: number;
  /** Softmax temperature: < 1 safer, > 1 wilder (default 1). */
  readonly temperature?: number;
  /** Seed of the sampling (default 0). */
  readonly seed?: number;
  /** Longest name (default 15 characters). */
  readonly maxLength?: number;
  /** Every name starts with this (default ''). */
  readonly prefix?: string;
}

/** Samples names character by character (all names advance together, one forward pass per step). */
export async function generateNames(
  model: tfl.LayersModel,
  encoding: NameEncoding,
  options: GenerateNamesOptions = {},
): Promise<string[]> {
  const count = options.count ?? 100;
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0)) throw new RangeError('temperature must be > 0');
  const maxLength = options.maxLength ?? 15;
  const rng = new Rng(options.seed ?? 0);
  const vocab = nameVocabSize(encoding);
  const names = new Array<string>(count).fill((options.prefix ?? '').toLowerCase());
  const done = new Array<boolean>(count).fill(false);
  const ctx = encoding.contextLength;
  for (let step = names[0].length; step < maxLength && done.includes(false); step++) {
    const x = new Float32Array(count * ctx);
    names.forEach((n, i) => encodeNameContext(encoding, n, x.subarray(i * ctx, (i + 1) * ctx)));
    const input = tf.tensor2d(x, [count, ctx]);
    const out = tf.tidy(() => model.predict(input) as tf.Tensor);
    const p = await out.data();
    tf.dispose([input, out]);
    for (let i = 0; i < count; i++) {
      if (done[i]) continue;
      const id = sample(p.subarray(i * vocab, (i + 1) * vocab), temperature, rng);
      if (id === NAME_BOUNDARY_ID || id === 0) done[i] = true;
      else names[i] += encoding.alphabet[id - 2];
    }
  }
  return names;
}

function sample(probs: ArrayLike<number>, temperature: number, rng: Rng): number {
  const w = new Float64Array(probs.length);
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    w[i] = Math.pow(Math.max(probs[i], 1e-12), 1 / temperature);
    total += w[i];
  }
  let r = rng.next() * total;
  for (let i = 0; i < w.length; i++) {
    r -= w[i];
    if (r < 0) return i;
  }
  return w.length - 1;
}

/**
 * A rough "looks like a name" test: 2–15 letters (hyphens only inside, never doubled), at least one
 * vowel, no more than 3 consonants or 2 vowels in a row, no letter three times in a row.
 */
export function looksPronounceable(name: string): boolean {
  if (!/^[a-z]+(-[a-z]+)*$/.test(name)) return false;
  const letters = name.replace(/-/g, '');
  if (letters.length < 2 || letters.length > 15) return false;
  return name
    .split('-')
    .every(
      (part) =>
        /[aeiouy]/.test(part) && !/[^aeiouy-]{4}/.test(part) && !/[aeiou]{3}/.test(part) && !/(.)\1\1/.test(part),
    );
}

/** Result of {@link nameStatistics}. */
export interface NameStatistics {
  /** Names generated. */
  readonly count: number;
  /** Distinct names among them, as a share. */
  readonly uniqueShare: number;
  /** Share of names not in the training list (the novelty rate). */
  readonly novelty: number;
  /** Share that pass {@link looksPronounceable}. */
  readonly pronounceable: number;
  /** Share that are both new and pronounceable-looking. */
  readonly novelAndPronounceable: number;
  /** Share that are real names the model never saw (held-out list): generalisation, not copying. */
  readonly heldOutHits: number;
}

/** Novelty and plausibility of generated names against the training (and held-out) lists. */
export function nameStatistics(
  generated: readonly string[],
  trainNames: Iterable<string>,
  heldOutNames: Iterable<string> = [],
): NameStatistics {
  const train = new Set(trainNames);
  const held = new Set(heldOutNames);
  const n = Math.max(1, generated.length);
  let novel = 0,
    pron = 0,
    both = 0,
    hits = 0;
  for (const g of generated) {
    const isNew = !train.has(g);
    const ok = looksPronounceable(g);
    if (isNew) novel++;
    if (ok) pron++;
    if (isNew && ok) both++;
    if (isNew && held.has(g)) hits++;
  }
  return {
    count: generated.length,
    uniqueShare: new Set(generated).size / n,
    novelty: novel / n,
    pronounceable: pron / n,
    novelAndPronounceable: both / n,
    heldOutHits: hits / n,
  };
}
