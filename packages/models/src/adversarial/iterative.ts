import * as tf from '@tensorflow/tfjs-core';
import { attackObjective, type AttackLoss } from './objective.js';
import { argmaxRows } from '../argmax.js';
import { labelArray, successMask } from './labels.js';
import { toLogitsFn, type WhiteBoxModel } from './model.js';
import { ascentDirection, normalizeRows, projectFeasible } from './norms.js';
import { Rng } from '../random.js';
import { randomInBall } from './random.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';

/** The knobs shared by FGSM, BIM, PGD and MI-FGSM (which are all this loop with different settings). */
export interface IterativeConfig {
  norm: Norm;
  eps: number;
  stepSize: number;
  steps: number;
  randomStart: boolean;
  restarts: number;
  /** Momentum decay μ of MI-FGSM; 0 = plain gradient steps. */
  momentum: number;
  loss: AttackLoss;
}

/**
 * Projected gradient ascent on the attack objective, batched over examples.
 * Each restart attacks only the examples no earlier restart fooled; an example keeps its first
 * successful adversarial, or else the one with the highest objective seen.
 */
export async function iterativeAttack(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  cfg: IterativeConfig,
  base: AttackBaseOptions,
): Promise<AttackResult> {
  const f = toLogitsFn(model);
  const n = x.shape[0];
  const inner = x.shape.slice(1);
  const d = x.size / Math.max(n, 1);
  const lo = base.clipMin ?? 0,
    hi = base.clipMax ?? 1;
  const y = await labelArray(labels);
  const t = base.target === undefined ? undefined : await labelArray(base.target);
  const aim = t ?? y;
  const rng = new Rng(base.seed ?? 0);
  const out = Float32Array.from(await x.data());
  const bestObjective = new Float64Array(n).fill(-Infinity);
  const success = new Uint8Array(n);
  const flat = tf.reshape(x, [n, d]) as tf.Tensor2D;
  let active = Array.from({ length: n }, (_, i) => i);
  const restarts = cfg.randomStart ? Math.max(1, cfg.restarts) : 1;

  for (let r = 0; r < restarts && active.length > 0; r++) {
    const k = active.length;
    const idx = tf.tensor1d(active, 'int32');
    const x0 = tf.gather(flat, idx) as tf.Tensor2D;
    const aimT = tf.tensor1d(
      active.map((i) => aim[i]),
      'int32',
    );
    idx.dispose();
    const objective = (xf: tf.Tensor2D): tf.Tensor1D =>
      attackObjective(f(tf.reshape(xf, [k, ...inner])), aimT, t !== undefined, cfg.loss);
    const grad = tf.grad((xf: tf.Tensor) => tf.sum(objective(xf as tf.Tensor2D)));

    let xa: tf.Tensor2D = cfg.randomStart
      ? tf.tidy(
          () =>
            tf.clipByValue(
              tf.add(x0, tf.tensor2d(randomInBall(rng, k, d, cfg.norm, cfg.eps), [k, d])),
              lo,
              hi,
            ) as tf.Tensor2D,
        )
      : tf.clone(x0);
    let m: tf.Tensor2D | undefined = cfg.momentum > 0 ? tf.zerosLike(x0) : undefined;
    for (let s = 0; s < cfg.steps; s++) {
      await yieldToEventLoop(ATTACK_YIELD_MS);
      const [next, nextM] = tf.tidy(() => {
        const g = grad(xa) as tf.Tensor2D;
        const mm = m ? (tf.add(tf.mul(m, cfg.momentum), normalizeRows(g, 'l1')) as tf.Tensor2D) : undefined;
        const stepped = tf.add(xa, tf.mul(ascentDirection(mm ?? g, cfg.norm), cfg.stepSize)) as tf.Tensor2D;
        return [projectFeasible(stepped, x0, cfg.norm, cfg.eps, lo, hi), mm] as const;
      });
      xa.dispose();
      m?.dispose();
      xa = next;
      m = nextM;
    }
    m?.dispose();

    const [logits, obj] = tf.tidy(() => {
      const z = f(tf.reshape(xa, [k, ...inner]));
      return [z, attackObjective(z, aimT, t !== undefined, cfg.loss)] as const;
    });
    const classes = logits.shape[1];
    const pred = argmaxRows((await logits.data()) as Float32Array, classes);
    const objs = await obj.data();
    const adv = await xa.data();
    const ok = successMask(
      pred,
      Int32Array.from(active.map((i) => y[i])),
      t && Int32Array.from(active.map((i) => t[i])),
    );
    tf.dispose([x0, aimT, xa, logits, obj]);

    active.forEach((i, j) => {
      if (ok[j] || objs[j] > bestObjective[i]) {
        out.set(adv.subarray(j * d, (j + 1) * d), i * d);
        bestObjective[i] = objs[j];
        success[i] = ok[j];
      }
    });
    active = active.filter((i) => !success[i]);
  }
  flat.dispose();
  return { adversarial: tf.tensor(out, x.shape, 'float32'), success };
}
