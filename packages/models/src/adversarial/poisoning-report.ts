import type * as tf from '@tensorflow/tfjs-core';
import { stampTrigger, type BackdoorTrigger } from './backdoor.js';
import { labelArray } from './labels.js';
import { predictClasses, type WhiteBoxModel } from './model.js';
import type { Labels, ProbabilityFn } from './types.js';

/** Clean accuracy of a poisoned model and the success of its poisoning. */
export interface PoisoningReport {
  /** Accuracy on the clean test inputs. */
  cleanAccuracy: number;
  /** Share of the attacked test inputs the poisoning redirects (see the producing function). */
  attackSuccessRate: number;
  /** Number of test inputs the success rate is measured on. */
  attacked: number;
}

/**
 * Measures a backdoor: clean accuracy on `x`, and the attack success rate — the share of test
 * images whose true label is not the target that the model classifies as the target once triggered.
 */
export async function backdoorReport(
  model: WhiteBoxModel | ProbabilityFn,
  x: tf.Tensor,
  labels: Labels,
  options: { targetLabel: number; trigger?: BackdoorTrigger },
): Promise<PoisoningReport> {
  const y = await labelArray(labels);
  const clean = await predictClasses(model, x);
  const triggered = stampTrigger(x, options.trigger);
  const dirty = await predictClasses(model, triggered);
  triggered.dispose();
  let correct = 0,
    attacked = 0,
    hit = 0;
  for (let i = 0; i < y.length; i++) {
    if (clean[i] === y[i]) correct++;
    if (y[i] === options.targetLabel) continue;
    attacked++;
    if (dirty[i] === options.targetLabel) hit++;
  }
  return { cleanAccuracy: correct / Math.max(1, y.length), attackSuccessRate: hit / Math.max(1, attacked), attacked };
}

/**
 * Measures targeted label flipping: clean accuracy on `x`, and the share of test images of class
 * `source` the model classifies as `target`.
 */
export async function labelFlipReport(
  model: WhiteBoxModel | ProbabilityFn,
  x: tf.Tensor,
  labels: Labels,
  options: { source: number; target: number },
): Promise<PoisoningReport> {
  const y = await labelArray(labels);
  const pred = await predictClasses(model, x);
  let correct = 0,
    attacked = 0,
    hit = 0;
  for (let i = 0; i < y.length; i++) {
    if (pred[i] === y[i]) correct++;
    if (y[i] !== options.source) continue;
    attacked++;
    if (pred[i] === options.target) hit++;
  }
  return { cleanAccuracy: correct / Math.max(1, y.length), attackSuccessRate: hit / Math.max(1, attacked), attacked };
}
