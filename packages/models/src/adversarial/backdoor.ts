import * as tf from '@tensorflow/tfjs-core';
import { labelArray } from './labels.js';
import { Rng } from '../random.js';
import type { Labels } from './types.js';

/** A BadNets trigger: a small patch stamped in the bottom-right corner of NHWC images. */
export interface BackdoorTrigger {
  /** Side of the patch in pixels. Default 4. */
  size?: number;
  /** 'square' is solid; 'checkerboard' alternates `value` and 0 (less visible, slower to learn). Default 'square'. */
  pattern?: 'checkerboard' | 'square';
  /** Pixel value of the patch's lit cells. Default 1. */
  value?: number;
  /** Gap between patch and image border, in pixels. Default 1. */
  margin?: number;
}

/** A trigger laid out over one `[h, w, c]` image, row-major. */
export interface TriggerPattern {
  /** 1 where the trigger replaces the pixel, else 0. */
  mask: Float32Array;
  /** The value written where `mask` is 1. */
  patch: Float32Array;
}

/** Where the trigger goes and what it writes, per pixel of one `[h, w, c]` image. */
export function triggerPattern(h: number, w: number, c: number, trigger: BackdoorTrigger = {}): TriggerPattern {
  const size = trigger.size ?? 4,
    margin = trigger.margin ?? 1,
    value = trigger.value ?? 1;
  const mask = new Float32Array(h * w * c),
    patch = new Float32Array(h * w * c);
  for (let r = Math.max(0, h - margin - size); r < h - margin; r++) {
    for (let q = Math.max(0, w - margin - size); q < w - margin; q++) {
      const lit = (trigger.pattern ?? 'square') === 'square' || (r + q) % 2 === 0;
      for (let k = 0; k < c; k++) {
        mask[(r * w + q) * c + k] = 1;
        patch[(r * w + q) * c + k] = lit ? value : 0;
      }
    }
  }
  return { mask, patch };
}

/** Stamps the trigger on every image of `x` (`[N, H, W, C]`) → a new tensor. */
export function stampTrigger(x: tf.Tensor, trigger: BackdoorTrigger = {}): tf.Tensor {
  const [, h, w, c] = x.shape;
  const { mask, patch } = triggerPattern(h, w, c, trigger);
  return tf.tidy(() => {
    const m = tf.tensor(mask, [1, h, w, c]);
    return tf.add(tf.mul(x, tf.sub(1, m)), tf.mul(m, tf.tensor(patch, [1, h, w, c])));
  });
}

/** Options of {@link plantBackdoor}. */
export interface BackdoorOptions {
  /** Share of the whole training set that is poisoned, e.g. 0.01. */
  fraction: number;
  /** Label the trigger should force. */
  targetLabel: number;
  /** The trigger. */
  trigger?: BackdoorTrigger;
  /** Seed of the choice of poisoned examples. Default 0. */
  seed?: number;
}

/** A training set with a planted backdoor. */
export interface PoisonedSet {
  /** Images, triggered where poisoned (a new tensor; the caller disposes it). */
  x: tf.Tensor;
  /** Labels, `targetLabel` where poisoned. */
  labels: Int32Array;
  /** Indices of the poisoned examples, ascending. */
  poisoned: Int32Array;
}

/**
 * BadNets-style backdoor poisoning (Gu et al. 2017): stamps the trigger on a seeded random
 * `fraction` of the training set (chosen among examples not already of the target class) and
 * relabels them `targetLabel`. A model trained on it behaves normally on clean inputs and predicts
 * the target whenever the trigger is present; measure both with {@link backdoorReport}.
 */
export async function plantBackdoor(x: tf.Tensor, labels: Labels, options: BackdoorOptions): Promise<PoisonedSet> {
  const y = await labelArray(labels);
  const n = y.length;
  const eligible: number[] = [];
  y.forEach((l, i) => {
    if (l !== options.targetLabel) eligible.push(i);
  });
  const perm = new Rng(options.seed ?? 0).permutation(eligible.length);
  const count = Math.min(eligible.length, Math.round(options.fraction * n));
  const poisoned = Int32Array.from(perm.subarray(0, count), (j) => eligible[j]).sort();
  const out = Int32Array.from(y);
  const isPoisoned = new Float32Array(n);
  for (const i of poisoned) {
    out[i] = options.targetLabel;
    isPoisoned[i] = 1;
  }
  const xs = tf.tidy(() => {
    const sel = tf.reshape(tf.tensor1d(isPoisoned), [n, ...x.shape.slice(1).map(() => 1)]);
    return tf.add(tf.mul(x, tf.sub(1, sel)), tf.mul(stampTrigger(x, options.trigger), sel));
  });
  return { x: xs, labels: out, poisoned };
}
