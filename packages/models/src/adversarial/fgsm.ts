import type * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { iterativeAttack } from './iterative.js';
import type { WhiteBoxModel } from './model.js';
import type { AttackLoss } from './objective.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link fgsm}. */
export interface FgsmOptions extends AttackBaseOptions {
  /** Perturbation budget. */
  eps: number;
  /** 'linf' (sign of the gradient, Goodfellow et al.) or 'l2' (the fast gradient method). Default 'linf'. */
  norm?: Norm;
  /** Loss whose gradient is followed. Default 'ce'. */
  loss?: AttackLoss;
}

/**
 * Fast Gradient Sign Method (Goodfellow et al. 2015): one step of size ε along the sign of the
 * loss gradient w.r.t. the true labels (never the predictions: no label leaking), or toward the
 * target when `target` is given. Batched; one gradient evaluation.
 */
export async function fgsm(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: FgsmOptions,
): Promise<AttackResult> {
  await checkAttackInputs('fgsm', x, labels, options);
  return iterativeAttack(
    model,
    x,
    labels,
    {
      norm: options.norm ?? 'linf',
      eps: options.eps,
      stepSize: options.eps,
      steps: 1,
      randomStart: false,
      restarts: 1,
      momentum: 0,
      loss: options.loss ?? 'ce',
    },
    options,
  );
}

/** {@link fgsm} in the attack registry. */
export const fgsmAttack: AttackEntry = {
  name: 'fgsm',
  title: 'FGSM',
  summary: 'one step along the sign of the loss gradient (Goodfellow et al., 2015)',
  access: 'white-box',
  kind: 'budget',
  norms: ['linf', 'l2'],
  defaults: { eps: 0.2, norm: 'linf' },
  run: (m, x, labels, p) => fgsm(m.whiteBox, x, labels, { eps: p.eps!, norm: p.norm, target: p.target, seed: p.seed }),
};
