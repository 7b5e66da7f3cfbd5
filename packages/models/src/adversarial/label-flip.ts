import { labelArray } from './labels.js';
import { Rng } from '../random.js';
import type { Labels } from './types.js';

/** Options of {@link flipLabels}. */
export interface LabelFlipOptions {
  /** Share of the eligible examples relabelled, in [0, 1]. */
  fraction: number;
  /** Number of classes. Default 10. */
  classes?: number;
  /** Only examples of this class are flipped. Default: every class. */
  source?: number;
  /** Flipped examples get this label. Default: a random other class each. */
  target?: number;
  /** Seed of the choice. Default 0. */
  seed?: number;
}

/** Poisoned labels and which examples were changed. */
export interface LabelFlipResult {
  /** The new labels (a copy; the input is untouched). */
  labels: Int32Array;
  /** Indices of the flipped examples, ascending. */
  flipped: Int32Array;
}

/**
 * Label-flipping poisoning: relabels a seeded random `fraction` of the eligible training examples
 * (those of `source`, if given, and not already of `target`), to `target` or to a random wrong class.
 * Train on the result and compare test accuracy (random flips) or the source→target rate
 * ({@link labelFlipReport}) against a clean run.
 */
export async function flipLabels(labels: Labels, options: LabelFlipOptions): Promise<LabelFlipResult> {
  const y = await labelArray(labels);
  const classes = options.classes ?? 10;
  const rng = new Rng(options.seed ?? 0);
  const eligible: number[] = [];
  y.forEach((l, i) => {
    if ((options.source === undefined || l === options.source) && l !== options.target) eligible.push(i);
  });
  const perm = rng.permutation(eligible.length);
  const count = Math.round(Math.min(1, Math.max(0, options.fraction)) * eligible.length);
  const flipped = Int32Array.from(perm.subarray(0, count), (j) => eligible[j]).sort();
  const out = Int32Array.from(y);
  for (const i of flipped) out[i] = options.target ?? (y[i] + 1 + rng.int(classes - 1)) % classes;
  return { labels: out, flipped };
}
