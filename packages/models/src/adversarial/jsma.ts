import * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { argmaxRows } from '../argmax.js';
import { labelArray } from './labels.js';
import { toLogitsFn, type WhiteBoxModel } from './model.js';
import { Rng } from '../random.js';
import type { AttackBaseOptions, AttackResult, Labels } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link jsma}. */
export interface JsmaOptions extends AttackBaseOptions {
  /** Change applied to each chosen feature: +1 saturates pixels up, −1 down (clipped). Default 1. */
  theta?: number;
  /** Largest fraction of features that may be changed. Default 0.1. */
  gamma?: number;
}

/**
 * Jacobian-based Saliency Map Attack (Papernot et al. 2016), the pairwise L0 attack: at every
 * step it picks the pair of features whose change raises the target logit while lowering the
 * others the most (α > 0, β < 0, maximise α·|β|) and moves both by θ, until the target is
 * predicted or γ of the features are used. JSMA is targeted by nature; untargeted calls draw a
 * random target ≠ true label per example (seeded), as CleverHans does, and stop as soon as the
 * prediction leaves the true label.
 */
export async function jsma(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: JsmaOptions = {},
): Promise<AttackResult> {
  await checkAttackInputs('jsma', x, labels, options);
  const f = toLogitsFn(model);
  const n = x.shape[0];
  const inner = x.shape.slice(1);
  const d = x.size / Math.max(n, 1);
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  const theta = options.theta ?? 1;
  const maxPairs = Math.floor(((options.gamma ?? 0.1) * d) / 2);
  const y = await labelArray(labels);
  const rng = new Rng(options.seed ?? 0);
  const xa = Float32Array.from(await x.data());
  const success = new Uint8Array(n);
  // Learn the class count from one forward pass before drawing random targets.
  const probe = f(tf.slice(x, 0, Math.min(1, n)));
  const classes = probe.shape[1];
  probe.dispose();
  const targeted = options.target !== undefined;
  const t =
    options.target === undefined
      ? Int32Array.from(y, (yi) => (yi + 1 + rng.int(classes - 1)) % classes)
      : await labelArray(options.target);
  // A feature is usable while it can still move in θ's direction and has not been picked.
  const usable = new Uint8Array(n * d);
  for (let p = 0; p < n * d; p++) usable[p] = theta > 0 ? (xa[p] < hi ? 1 : 0) : xa[p] > lo ? 1 : 0;

  let active = Array.from({ length: n }, (_, i) => i);
  for (let it = 0; active.length > 0; it++) {
    await yieldToEventLoop(ATTACK_YIELD_MS);
    const k = active.length;
    const batch = new Float32Array(k * d);
    active.forEach((i, j) => batch.set(xa.subarray(i * d, (i + 1) * d), j * d));
    const xb = tf.tensor(batch, [k, ...inner]);
    const zT = f(xb);
    const pred = argmaxRows((await zT.data()) as Float32Array, classes);
    zT.dispose();
    const still: number[] = [];
    active.forEach((i, j) => {
      if (targeted ? pred[j] === t[i] : pred[j] !== y[i]) success[i] = 1;
      else still.push(j);
    });
    if (still.length === 0 || it === maxPairs) {
      xb.dispose();
      break;
    }

    const tT = tf.tensor1d(
      active.map((i) => t[i]),
      'int32',
    );
    const [gT, gAll] = tf.tidy(() => [
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), tf.oneHot(tT, classes))))(xb),
      tf.grad((v: tf.Tensor) => tf.sum(f(v)))(xb),
    ]);
    const alphaAll = (await gT.data()) as Float32Array;
    const sumAll = (await gAll.data()) as Float32Array;
    tf.dispose([xb, tT, gT, gAll]);

    const next: number[] = [];
    for (const j of still) {
      const i = active[j];
      const off = i * d,
        joff = j * d;
      // In θ's direction: α = ∂z_t, β = ∂(Σ_{c≠t} z_c); a pair is useful when θα > 0 and θβ < 0.
      let bestScore = 0,
        bp = -1,
        bq = -1;
      for (let p = 0; p < d; p++) {
        if (!usable[off + p]) continue;
        const ap = theta * alphaAll[joff + p],
          bpv = theta * (sumAll[joff + p] - alphaAll[joff + p]);
        for (let q = p + 1; q < d; q++) {
          if (!usable[off + q]) continue;
          const a = ap + theta * alphaAll[joff + q];
          const b = bpv + theta * (sumAll[joff + q] - alphaAll[joff + q]);
          if (a > 0 && b < 0 && -a * b > bestScore) {
            bestScore = -a * b;
            bp = p;
            bq = q;
          }
        }
      }
      if (bp < 0) continue; // no saliant pair left: this example fails
      for (const p of [bp, bq]) {
        xa[off + p] = Math.min(hi, Math.max(lo, xa[off + p] + theta * (hi - lo)));
        usable[off + p] = 0;
      }
      next.push(i);
    }
    active = next;
  }
  return { adversarial: tf.tensor(xa, x.shape, 'float32'), success };
}

/** {@link jsma} in the attack registry. */
export const jsmaAttack: AttackEntry = {
  name: 'jsma',
  title: 'JSMA',
  summary: 'raises the few pixels of largest saliency toward a target (Papernot et al., 2016; L0, ignores ε)',
  access: 'white-box',
  kind: 'minimal',
  norms: [],
  defaults: {},
  run: (m, x, labels, p) => jsma(m.whiteBox, x, labels, { target: p.target, seed: p.seed }),
};
