import * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { labelArray } from './labels.js';
import type { BlackBoxModel } from './model.js';
import { QueryCounter } from './queries.js';
import { Rng } from '../random.js';
import type { AttackBaseOptions, AttackResult, Labels } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link squareAttack}. */
export interface SquareOptions extends AttackBaseOptions {
  /** L∞ budget. */
  eps: number;
  /** Query budget per example (iterations + the first query). Default 10 000. */
  maxQueries?: number;
  /** Initial fraction of pixels a square covers. Default 0.8 (the paper's MNIST setting; 0.05 for ImageNet). */
  pInit?: number;
  /** Images per classifier call. Default 256. */
  batchSize?: number;
}

/** The paper's schedule: the square's area halves at fixed fractions of a 10 000-query run. */
function squareFraction(pInit: number, iteration: number, total: number): number {
  const it = Math.floor((iteration / total) * 10_000);
  const bounds = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  let p = pInit;
  for (const b of bounds) if (it > b) p /= 2;
  return p;
}

/**
 * Square Attack, L∞ (Andriushchenko et al. 2020): starts from vertical ±ε stripes, then redraws
 * the ±ε signs inside one random square window per step and keeps the change if the loss falls
 * (untargeted: the log-probability margin of the true class; targeted: the target's cross-entropy).
 * Score-based: needs only probabilities. Input layout NHWC (`[N, H, W, C]`; rank 2 is one row).
 */
export async function squareAttack(
  model: BlackBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: SquareOptions,
): Promise<AttackResult> {
  await checkAttackInputs('squareAttack', x, labels, options);
  const n = x.shape[0];
  const [h, w, ch] = x.rank === 4 ? x.shape.slice(1) : [1, x.size / Math.max(n, 1), 1];
  const d = h * w * ch;
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  const eps = options.eps;
  const maxQueries = options.maxQueries ?? 10_000;
  const pInit = options.pInit ?? 0.8;
  const y = await labelArray(labels);
  const t = options.target === undefined ? undefined : await labelArray(options.target);
  const rng = new Rng(options.seed ?? 0);
  const oracle = new QueryCounter(model, n, x.shape.slice(1), options.batchSize ?? 256);
  const x0 = Float32Array.from(await x.data());
  const clip = (v: number): number => (v < lo ? lo : v > hi ? hi : v);
  const sign = (): number => (rng.next() < 0.5 ? -eps : eps);

  const loss = (p: Float32Array, j: number, i: number, c: number): { loss: number; done: boolean } => {
    const lp = (q: number): number => Math.log(Math.max(p[j * c + q], 1e-30));
    const own = t ? t[i] : y[i];
    let other = -Infinity;
    for (let q = 0; q < c; q++) if (q !== own) other = Math.max(other, lp(q));
    const margin = lp(own) - other;
    return t ? { loss: -lp(own), done: margin > 0 } : { loss: margin, done: margin < 0 };
  };

  // Vertical stripes: one random sign per (column, channel), shared by all rows.
  const xa = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const col = Array.from({ length: w * ch }, sign);
    for (let r = 0; r < h; r++)
      for (let q = 0; q < w * ch; q++) xa[i * d + r * w * ch + q] = clip(x0[i * d + r * w * ch + q] + col[q]);
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const p0 = await oracle.probabilities(xa, all);
  const best = new Float64Array(n);
  const success = new Uint8Array(n);
  all.forEach((i) => {
    const l = loss(p0, i, i, oracle.classes);
    best[i] = l.loss;
    success[i] = l.done ? 1 : 0;
  });

  for (let it = 1; it < maxQueries; it++) {
    await yieldToEventLoop(ATTACK_YIELD_MS);
    const active = all.filter((i) => !success[i] && oracle.counts[i] < maxQueries);
    if (active.length === 0) break;
    const p = squareFraction(pInit, it, maxQueries);
    const s = Math.min(Math.max(Math.round(Math.sqrt(p * h * w)), 1), Math.max(h - 1, 1));
    const rows = new Float32Array(active.length * d);
    active.forEach((i, j) => {
      const row = rows.subarray(j * d, (j + 1) * d);
      row.set(xa.subarray(i * d, (i + 1) * d));
      const r0 = rng.int(h - s + 1),
        c0 = rng.int(w - s + 1);
      // Redraw the window's per-channel signs until the clipped image actually changes (≤ 10 draws).
      for (let attempt = 0; attempt < 10; attempt++) {
        let changed = false;
        for (let k = 0; k < ch; k++) {
          const v = sign();
          for (let r = r0; r < r0 + s; r++)
            for (let c = c0; c < c0 + s; c++) {
              const at = (r * w + c) * ch + k;
              row[at] = clip(x0[i * d + at] + v);
              if (row[at] !== xa[i * d + at]) changed = true;
            }
        }
        if (changed) break;
      }
    });
    const probs = await oracle.probabilities(rows, active);
    active.forEach((i, j) => {
      const l = loss(probs, j, i, oracle.classes);
      if (l.loss < best[i]) {
        best[i] = l.loss;
        xa.set(rows.subarray(j * d, (j + 1) * d), i * d);
        if (l.done) success[i] = 1;
      }
    });
  }
  return { adversarial: tf.tensor(xa, x.shape, 'float32'), success, queries: oracle.counts };
}

/** {@link squareAttack} in the attack registry. */
export const squareEntry: AttackEntry = {
  name: 'square',
  title: 'Square',
  summary: 'random square patches of ±ε kept when the margin falls (Andriushchenko et al., 2020)',
  access: 'black-box',
  kind: 'budget',
  norms: ['linf'],
  defaults: { eps: 0.2, maxQueries: 2000 },
  run: (m, x, labels, p) =>
    squareAttack(m.blackBox, x, labels, { eps: p.eps!, maxQueries: p.maxQueries, target: p.target, seed: p.seed }),
};
