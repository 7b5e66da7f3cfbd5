import * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs, checkTensorAsync } from '../validate.js';
import { labelArray } from './labels.js';
import type { BlackBoxModel } from './model.js';
import { QueryCounter } from './queries.js';
import { Rng } from '../random.js';
import type { AttackBaseOptions, AttackResult, Labels, Norm } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link hopSkipJump}. */
export interface HopSkipJumpOptions extends AttackBaseOptions {
  /** Distance minimised: 'l2' (default) or 'linf'. */
  norm?: Norm;
  /** Maximum gradient-estimation iterations. Default 40. */
  iterations?: number;
  /** Query budget per example; the attack stops at the first stage that would exceed it. Default 5000. */
  maxQueries?: number;
  /** Monte-Carlo samples at iteration 1 (grows with √t). Default 100. */
  initialEvals?: number;
  /** Cap on Monte-Carlo samples per iteration. Default 10 000. */
  maxEvals?: number;
  /** Images per classifier call. Default 256. */
  batchSize?: number;
  /**
   * Starting points already classified as wanted (for targeted attacks: images of the target class),
   * same shape as `x`. Omitted → uniform noise is drawn until one is adversarial (≤ 1000 draws).
   */
  starts?: tf.Tensor;
}

function distance(a: Float32Array, b: Float32Array, norm: Norm): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) {
    const v = Math.abs(a[p] - b[p]);
    s = norm === 'l2' ? s + v * v : Math.max(s, v);
  }
  return norm === 'l2' ? Math.sqrt(s) : s;
}

/**
 * HopSkipJump (Chen, Jordan & Wainwright 2020), decision-based: sees only the top-1 label.
 * From an adversarial start it alternates a binary search to the decision boundary, a Monte-Carlo
 * estimate of the boundary's normal, and a geometric step along it, shrinking the distance to the
 * original. A minimal-perturbation attack: it has no ε; measure the result's norm. Examples are
 * attacked one after another; Monte-Carlo samples are batched.
 */
export async function hopSkipJump(
  model: BlackBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: HopSkipJumpOptions = {},
): Promise<AttackResult> {
  await checkAttackInputs('hopSkipJump', x, labels, options);
  if (options.starts !== undefined) {
    await checkTensorAsync('hopSkipJump', 'starts', options.starts, {
      inner: x.shape.slice(1),
      batch: x.shape[0],
      range: [options.clipMin ?? 0, options.clipMax ?? 1],
      what: 'pixels',
    });
  }
  const n = x.shape[0];
  const d = x.size / Math.max(n, 1);
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  const norm = options.norm ?? 'l2';
  const maxQueries = options.maxQueries ?? 5000;
  const iterations = options.iterations ?? 40;
  const y = await labelArray(labels);
  const t = options.target === undefined ? undefined : await labelArray(options.target);
  const rng = new Rng(options.seed ?? 0);
  const oracle = new QueryCounter(model, n, x.shape.slice(1), options.batchSize ?? 256);
  const all = Float32Array.from(await x.data());
  const starts = options.starts ? ((await options.starts.data()) as Float32Array) : undefined;
  const out = Float32Array.from(all);
  const success = new Uint8Array(n);
  const theta = norm === 'l2' ? 1 / (Math.sqrt(d) * d) : 1 / (d * d);
  const clip = (v: number): number => (v < lo ? lo : v > hi ? hi : v);

  for (let i = 0; i < n; i++) {
    const x0 = all.subarray(i * d, (i + 1) * d);
    const owner = (k: number): Int32Array => new Int32Array(k).fill(i);
    const left = (): number => maxQueries - oracle.counts[i];
    // φ: 1 where an image is adversarial for example i.
    const phi = async (rows: Float32Array, k: number): Promise<Uint8Array> => {
      await yieldToEventLoop(ATTACK_YIELD_MS);
      const lab = await oracle.labels(rows, owner(k));
      return Uint8Array.from(lab, (l) => (t ? (l === t[i] ? 1 : 0) : l !== y[i] ? 1 : 0));
    };
    // A point between x0 and v: the blend (L2) or v clipped to the L∞ box of radius a (L∞).
    const between = (v: Float32Array, a: number): Float32Array =>
      norm === 'l2'
        ? Float32Array.from(v, (vp, p) => (1 - a) * x0[p] + a * vp)
        : Float32Array.from(v, (vp, p) => Math.min(Math.max(vp, x0[p] - a), x0[p] + a));

    if ((await phi(x0, 1))[0]) {
      success[i] = 1;
      continue;
    }
    let adv: Float32Array | undefined;
    if (starts) {
      const s = starts.slice(i * d, (i + 1) * d);
      if ((await phi(s, 1))[0]) adv = s;
    } else {
      for (let k = 0; k < 1000 && !adv && left() > 0; k++) {
        const noise = rng.uniforms(d, lo, hi);
        if ((await phi(noise, 1))[0]) adv = noise;
      }
      if (adv) {
        // Pull the noise toward x0 along the blend line first: a cheap, coarse search.
        let low = 0,
          high = 1;
        while (high - low > 0.001 && left() > 0) {
          const mid = (low + high) / 2;
          if (
            (
              await phi(
                Float32Array.from(adv, (v, p) => (1 - mid) * x0[p] + mid * v),
                1,
              )
            )[0]
          )
            high = mid;
          else low = mid;
        }
        const hb = high,
          noise = adv;
        adv = Float32Array.from(noise, (v, p) => (1 - hb) * x0[p] + hb * v);
      }
    }
    if (!adv) continue;

    // Binary search between x0 and `v` to the boundary (keeping the adversarial side).
    const toBoundary = async (v: Float32Array): Promise<Float32Array> => {
      const dist = distance(v, x0, norm);
      let low = 0,
        high = norm === 'l2' ? 1 : dist;
      const threshold = norm === 'l2' ? theta : Math.min(dist * theta, theta);
      while (high - low > threshold && left() > 0) {
        const mid = (low + high) / 2;
        if ((await phi(between(v, mid), 1))[0]) high = mid;
        else low = mid;
      }
      return between(v, high);
    };

    adv = await toBoundary(adv);
    let dist = distance(adv, x0, norm);
    for (let it = 1; it <= iterations && left() > 0; it++) {
      const delta = it === 1 ? 0.1 * (hi - lo) : (norm === 'l2' ? Math.sqrt(d) : d) * theta * dist;
      const evals = Math.min(
        Math.floor((options.initialEvals ?? 100) * Math.sqrt(it)),
        options.maxEvals ?? 10_000,
        left(),
      );
      if (evals < 2) break;
      // Monte-Carlo estimate of the boundary normal at adv.
      const rows = new Float32Array(evals * d);
      const rv = norm === 'l2' ? rng.normals(evals * d) : rng.uniforms(evals * d, -1, 1);
      for (let k = 0; k < evals; k++) {
        let s = 0;
        for (let p = 0; p < d; p++) s += rv[k * d + p] ** 2;
        const scale = 1 / Math.max(Math.sqrt(s), 1e-12);
        for (let p = 0; p < d; p++) {
          const v = clip(adv[p] + delta * rv[k * d + p] * scale);
          rows[k * d + p] = v;
          rv[k * d + p] = (v - adv[p]) / delta;
        }
      }
      const dec = await phi(rows, evals);
      let mean = 0;
      for (let k = 0; k < evals; k++) mean += 2 * dec[k] - 1;
      mean /= evals;
      const grad = new Float64Array(d);
      for (let k = 0; k < evals; k++) {
        // Baseline subtraction (all-equal decisions keep ±1, as in the reference implementation).
        const fv = Math.abs(mean) === 1 ? mean : 2 * dec[k] - 1 - mean;
        for (let p = 0; p < d; p++) grad[p] += fv * rv[k * d + p];
      }
      let gn = 0;
      for (let p = 0; p < d; p++) gn += grad[p] ** 2;
      gn = Math.sqrt(gn) || 1;
      const update = Float32Array.from(grad, (g) => (norm === 'l2' ? g / gn : Math.sign(g)));

      // Geometric step search: halve until the step lands on the adversarial side.
      let eps = dist / Math.sqrt(it);
      let stepped: Float32Array | undefined;
      for (let k = 0; k < 25 && left() > 0; k++) {
        const cand = Float32Array.from(adv, (v, p) => clip(v + eps * update[p]));
        if ((await phi(cand, 1))[0]) {
          stepped = cand;
          break;
        }
        eps /= 2;
      }
      if (!stepped) break;
      const next = await toBoundary(stepped);
      const nd = distance(next, x0, norm);
      // A search cut short by the budget may land on the wrong side; keep only verified progress.
      if (nd < dist) {
        adv = next;
        dist = nd;
      }
    }
    out.set(adv, i * d);
    success[i] = 1;
  }
  return { adversarial: tf.tensor(out, x.shape, 'float32'), success, queries: oracle.counts };
}

/** {@link hopSkipJump} in the attack registry. */
export const hopSkipJumpAttack: AttackEntry = {
  name: 'hop-skip-jump',
  title: 'HopSkipJump',
  summary:
    'decision-based: walks the boundary with estimated gradients, from the predicted labels only (Chen et al., 2020; ignores ε)',
  access: 'black-box',
  kind: 'minimal',
  norms: ['l2', 'linf'],
  defaults: { norm: 'l2', maxQueries: 2000 },
  run: (m, x, labels, p) =>
    hopSkipJump(m.blackBox, x, labels, { norm: p.norm, maxQueries: p.maxQueries, target: p.target, seed: p.seed }),
};
