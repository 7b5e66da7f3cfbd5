import type { ImageSet } from '../data/images.js';
import { triggerPattern, type BackdoorOptions } from './backdoor.js';
import { Rng } from '../random.js';

/** An image set with a planted backdoor. */
export interface PoisonedImageSet {
  /** A copy of the set: triggered images, relabelled to the target. */
  set: ImageSet;
  /** Indices of the poisoned images, ascending. */
  poisoned: Int32Array;
}

/**
 * {@link plantBackdoor} for an image set kept as bytes (the models package's `ImageSet`, e.g.
 * MNIST's 60 000 training digits), so the poisoned set trains through the usual recipes. The
 * trigger's `value` (default 1) is scaled to 255. Same choice of images as `plantBackdoor` for the
 * same labels, fraction and seed.
 */
export function plantBackdoorInImageSet(set: ImageSet, options: BackdoorOptions): PoisonedImageSet {
  const n = set.count;
  const eligible: number[] = [];
  for (let i = 0; i < n; i++) if (set.labels[i] !== options.targetLabel) eligible.push(i);
  const perm = new Rng(options.seed ?? 0).permutation(eligible.length);
  const count = Math.min(eligible.length, Math.round(options.fraction * n));
  const poisoned = Int32Array.from(perm.subarray(0, count), (j) => eligible[j]).sort();
  const size = set.height * set.width * set.channels;
  const { mask, patch } = triggerPattern(set.height, set.width, set.channels, options.trigger);
  const images = set.images.slice(0, n * size);
  const labels = set.labels.slice(0, n);
  for (const i of poisoned) {
    labels[i] = options.targetLabel;
    for (let p = 0; p < size; p++) {
      if (mask[p]) images[i * size + p] = Math.round(Math.min(1, Math.max(0, patch[p])) * 255);
    }
  }
  return { set: { ...set, images, labels }, poisoned };
}
