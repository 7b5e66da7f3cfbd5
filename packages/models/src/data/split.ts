/** Seeded train/test splits over sample indices. */
import { Rng } from '../random.js';

/** Indices of a split: disjoint, together covering the samples that were split. */
export interface IndexSplit {
  /** Training indices (shuffled). */
  readonly train: Int32Array;
  /** Held-out indices (shuffled). */
  readonly test: Int32Array;
}

/** Shuffles 0..n-1 with `seed` and puts the first `round(n·testFraction)` into `test`. */
export function randomSplit(n: number, testFraction: number, seed: number): IndexSplit {
  checkFraction(testFraction);
  const order = new Rng(seed).permutation(n);
  const nTest = Math.round(n * testFraction);
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}

/**
 * Splits so that every class keeps its share: within each class, `round(count·testFraction)`
 * samples go to `test`. Both outputs are shuffled with `seed`.
 */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, seed: number): IndexSplit {
  checkFraction(testFraction);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = rng.shuffle(byClass.get(key) as number[]);
    const nTest = Math.round(list.length * testFraction);
    test.push(...list.slice(0, nTest));
    train.push(...list.slice(nTest));
  }
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

/**
 * A seeded sample of `count` indices from 0..n-1 with (as nearly as possible) the same number per
 * class — for small, balanced training subsets.
 */
export function balancedSample(labels: ArrayLike<number>, count: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const order = rng.permutation(labels.length);
  const classes = new Set<number>();
  for (let i = 0; i < labels.length; i++) classes.add(labels[i]);
  const quota = Math.ceil(count / classes.size);
  const taken = new Map<number, number>();
  const out: number[] = [];
  for (const i of order) {
    if (out.length >= count) break;
    const c = labels[i];
    const t = taken.get(c) ?? 0;
    if (t < quota) {
      taken.set(c, t + 1);
      out.push(i);
    }
  }
  return rng.shuffle(Int32Array.from(out));
}

function checkFraction(f: number): void {
  if (!(f >= 0 && f <= 1)) throw new RangeError(`testFraction must be in [0, 1], got ${f}`);
}
