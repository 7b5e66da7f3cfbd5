import type * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { iterativeAttack } from './iterative.js';
import type { WhiteBoxModel } from './model.js';
import type { AttackLoss } from './objective.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link pgd}. */
export interface PgdOptions extends AttackBaseOptions {
  /** Perturbation budget. */
  eps: number;
  /** Default 'linf'. */
  norm?: Norm;
  /** Steps per restart. Default 40. */
  steps?: number;
  /** Step size. Default 2.5·ε/steps (Madry et al.). */
  stepSize?: number;
  /** Random restarts; each one attacks only the examples still unbroken. Default 1. */
  restarts?: number;
  /** Start from a uniform random point of the ε-ball. Default true. */
  randomStart?: boolean;
  /** Default 'ce'; 'margin' is the C&W loss (often stronger on confident models). */
  loss?: AttackLoss;
}

/**
 * Projected Gradient Descent (Madry et al. 2018): random start in the ε-ball, `steps` projected
 * gradient steps, best of `restarts` runs per example. L∞ or L2; untargeted or targeted.
 */
export async function pgd(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: PgdOptions,
): Promise<AttackResult> {
  await checkAttackInputs('pgd', x, labels, options);
  const steps = options.steps ?? 40;
  return iterativeAttack(
    model,
    x,
    labels,
    {
      norm: options.norm ?? 'linf',
      eps: options.eps,
      stepSize: options.stepSize ?? (2.5 * options.eps) / steps,
      steps,
      randomStart: options.randomStart ?? true,
      restarts: options.restarts ?? 1,
      momentum: 0,
      loss: options.loss ?? 'ce',
    },
    options,
  );
}

/** {@link pgd} in the attack registry. */
export const pgdAttack: AttackEntry = {
  name: 'pgd',
  title: 'PGD',
  summary: 'projected gradient descent from a random start (Madry et al., 2018)',
  access: 'white-box',
  kind: 'budget',
  norms: ['linf', 'l2'],
  defaults: { eps: 0.2, norm: 'linf', steps: 40, restarts: 1 },
  run: (m, x, labels, p) =>
    pgd(m.whiteBox, x, labels, {
      eps: p.eps!,
      norm: p.norm,
      steps: p.steps,
      restarts: p.restarts,
      target: p.target,
      seed: p.seed,
    }),
};
