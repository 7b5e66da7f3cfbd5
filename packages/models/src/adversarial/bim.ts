import type * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { iterativeAttack } from './iterative.js';
import type { WhiteBoxModel } from './model.js';
import type { AttackLoss } from './objective.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link bim}. */
export interface BimOptions extends AttackBaseOptions {
  /** Perturbation budget. */
  eps: number;
  /** Default 'linf'. */
  norm?: Norm;
  /** Number of steps. Default 10. */
  steps?: number;
  /** Step size. Default ε/steps·1.25 (reaches the boundary with some slack). */
  stepSize?: number;
  /** Default 'ce'. */
  loss?: AttackLoss;
}

/**
 * Basic Iterative Method (Kurakin et al. 2017): FGSM repeated with a small step, projected back to
 * the ε-ball and the valid range after every step; starts at the clean input (no random start).
 */
export async function bim(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: BimOptions,
): Promise<AttackResult> {
  await checkAttackInputs('bim', x, labels, options);
  const steps = options.steps ?? 10;
  return iterativeAttack(
    model,
    x,
    labels,
    {
      norm: options.norm ?? 'linf',
      eps: options.eps,
      stepSize: options.stepSize ?? (1.25 * options.eps) / steps,
      steps,
      randomStart: false,
      restarts: 1,
      momentum: 0,
      loss: options.loss ?? 'ce',
    },
    options,
  );
}

/** {@link bim} in the attack registry. */
export const bimAttack: AttackEntry = {
  name: 'bim',
  title: 'BIM',
  summary: 'iterated FGSM steps, clipped to the ε-ball (Kurakin et al., 2017)',
  access: 'white-box',
  kind: 'budget',
  norms: ['linf', 'l2'],
  defaults: { eps: 0.2, norm: 'linf', steps: 10 },
  run: (m, x, labels, p) =>
    bim(m.whiteBox, x, labels, { eps: p.eps!, norm: p.norm, steps: p.steps, target: p.target, seed: p.seed }),
};
