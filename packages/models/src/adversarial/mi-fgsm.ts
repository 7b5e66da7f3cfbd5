import type * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { iterativeAttack } from './iterative.js';
import type { WhiteBoxModel } from './model.js';
import type { AttackLoss } from './objective.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link miFgsm}. */
export interface MiFgsmOptions extends AttackBaseOptions {
  /** Perturbation budget. */
  eps: number;
  /** Default 'linf'. */
  norm?: Norm;
  /** Number of steps. Default 10. */
  steps?: number;
  /** Step size. Default ε/steps. */
  stepSize?: number;
  /** Momentum decay μ. Default 1. */
  decay?: number;
  /** Default 'ce'. */
  loss?: AttackLoss;
}

/**
 * Momentum Iterative FGSM (Dong et al. 2018): accumulates L1-normalised gradients with decay μ
 * and steps along the accumulated direction; momentum makes the examples transfer better.
 */
export async function miFgsm(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: MiFgsmOptions,
): Promise<AttackResult> {
  await checkAttackInputs('miFgsm', x, labels, options);
  const steps = options.steps ?? 10;
  return iterativeAttack(
    model,
    x,
    labels,
    {
      norm: options.norm ?? 'linf',
      eps: options.eps,
      stepSize: options.stepSize ?? options.eps / steps,
      steps,
      randomStart: false,
      restarts: 1,
      momentum: options.decay ?? 1,
      loss: options.loss ?? 'ce',
    },
    options,
  );
}

/** {@link miFgsm} in the attack registry. */
export const miFgsmAttack: AttackEntry = {
  name: 'mi-fgsm',
  title: 'MI-FGSM',
  summary: 'momentum iterative FGSM, transfers better (Dong et al., 2018)',
  access: 'white-box',
  kind: 'budget',
  norms: ['linf', 'l2'],
  defaults: { eps: 0.2, norm: 'linf', steps: 10 },
  run: (m, x, labels, p) =>
    miFgsm(m.whiteBox, x, labels, { eps: p.eps!, norm: p.norm, steps: p.steps, target: p.target, seed: p.seed }),
};
