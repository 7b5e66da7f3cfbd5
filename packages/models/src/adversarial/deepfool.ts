import * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { argmaxRows } from '../argmax.js';
import { labelArray } from './labels.js';
import { toLogitsFn, type WhiteBoxModel } from './model.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link deepFool}. */
export interface DeepFoolOptions extends AttackBaseOptions {
  /** 'l2' (the original) or 'linf' (steps along the sign, distances in the dual L1 norm). Default 'l2'. */
  norm?: Norm;
  /** Maximum linearisation steps. Default 50. */
  maxIterations?: number;
  /** Overshoot η applied to the accumulated perturbation, to land past the boundary. Default 0.02. */
  overshoot?: number;
}

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016): linearises the classifier around the current point and
 * steps to the nearest linearised decision boundary, until the true label is left (or, targeted,
 * the boundary toward the target class is crossed). A minimal-perturbation attack: it has no ε;
 * measure the result's norm. One backward pass per class per step (the Jacobian).
 */
export async function deepFool(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: DeepFoolOptions = {},
): Promise<AttackResult> {
  await checkAttackInputs('deepFool', x, labels, options);
  const f = toLogitsFn(model);
  const n = x.shape[0];
  const inner = x.shape.slice(1);
  const d = x.size / Math.max(n, 1);
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  const norm = options.norm ?? 'l2';
  const overshoot = options.overshoot ?? 0.02;
  const maxIterations = options.maxIterations ?? 50;
  const y = await labelArray(labels);
  const t = options.target === undefined ? undefined : await labelArray(options.target);

  const x0 = Float32Array.from(await x.data());
  const xa = Float32Array.from(x0);
  const rTot = new Float64Array(n * d);
  const success = new Uint8Array(n);
  let active = Array.from({ length: n }, (_, i) => i);

  for (let it = 0; active.length > 0; it++) {
    await yieldToEventLoop(ATTACK_YIELD_MS);
    const k = active.length;
    const batch = new Float32Array(k * d);
    active.forEach((i, j) => batch.set(xa.subarray(i * d, (i + 1) * d), j * d));
    const xb = tf.tensor(batch, [k, ...inner]);
    const zT = f(xb);
    const classes = zT.shape[1];
    const z = (await zT.data()) as Float32Array;
    zT.dispose();
    const pred = argmaxRows(z, classes);
    const still: number[] = [];
    active.forEach((i, j) => {
      if (t ? pred[j] === t[i] : pred[j] !== y[i]) success[i] = 1;
      else still.push(j);
    });
    if (still.length === 0 || it === maxIterations) {
      xb.dispose();
      break;
    }

    // Jacobian rows, one backward pass per class: J[c] is ∂z_c/∂x for every example in the batch.
    const jac: Float32Array[] = [];
    for (let c = 0; c < classes; c++) {
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.slice(f(v), [0, c], [k, 1])))(xb);
      jac.push((await g.data()) as Float32Array);
      g.dispose();
    }
    xb.dispose();

    for (const j of still) {
      const i = active[j];
      // Untargeted: leave the true class for the nearest other one. Targeted: from the current class to the target.
      const own = t ? pred[j] : y[i];
      let bestDist = Infinity,
        bestC = -1,
        bestF = 0,
        bestNorm = 0;
      for (let c = 0; c < classes; c++) {
        if (c === own || (t && c !== t[i])) continue;
        const fc = z[j * classes + c] - z[j * classes + own];
        let s = 0;
        for (let p = 0; p < d; p++) {
          const w = jac[c][j * d + p] - jac[own][j * d + p];
          s += norm === 'l2' ? w * w : Math.abs(w);
        }
        const dist = Math.abs(fc) / Math.max(norm === 'l2' ? Math.sqrt(s) : s, 1e-12);
        if (dist < bestDist) {
          bestDist = dist;
          bestC = c;
          bestF = fc;
          bestNorm = s;
        }
      }
      if (bestC < 0) continue;
      const scale = (Math.abs(bestF) + 1e-4) / Math.max(bestNorm, 1e-12);
      for (let p = 0; p < d; p++) {
        const w = jac[bestC][j * d + p] - jac[own][j * d + p];
        rTot[i * d + p] += norm === 'l2' ? scale * w : scale * Math.sign(w);
        const v = x0[i * d + p] + (1 + overshoot) * rTot[i * d + p];
        xa[i * d + p] = v < lo ? lo : v > hi ? hi : v;
      }
    }
    active = still.map((j) => active[j]);
  }
  return { adversarial: tf.tensor(xa, x.shape, 'float32'), success };
}

/** {@link deepFool} in the attack registry. */
export const deepFoolAttack: AttackEntry = {
  name: 'deepfool',
  title: 'DeepFool',
  summary: 'steps to the nearest linearised decision boundary (Moosavi-Dezfooli et al., 2016; ignores ε)',
  access: 'white-box',
  kind: 'minimal',
  norms: ['l2', 'linf'],
  defaults: { norm: 'l2', steps: 50 },
  run: (m, x, labels, p) =>
    deepFool(m.whiteBox, x, labels, { norm: p.norm, maxIterations: p.steps, target: p.target, seed: p.seed }),
};
