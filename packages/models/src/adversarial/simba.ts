import * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { labelArray } from './labels.js';
import type { BlackBoxModel } from './model.js';
import { QueryCounter } from './queries.js';
import { Rng } from '../random.js';
import type { AttackBaseOptions, AttackResult, Labels } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link simba}. */
export interface SimbaOptions extends AttackBaseOptions {
  /** Step per coordinate; also the L∞ bound, as each pixel is tried once. Default 0.2. */
  eps?: number;
  /** Query budget per example. Default 10 000. */
  maxQueries?: number;
  /** Images per classifier call. Default 256. */
  batchSize?: number;
}

/**
 * SimBA, pixel basis (Guo et al. 2019): walk the pixels in a random order; for each try −ε, then
 * +ε, and keep the first that lowers the true class's probability (targeted: raises the target's).
 * Needs only output probabilities. Steps the clip makes void (a pixel already at 0 going down)
 * cost no query. Batched: every unfinished example tries one pixel per round.
 */
export async function simba(
  model: BlackBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: SimbaOptions = {},
): Promise<AttackResult> {
  await checkAttackInputs('simba', x, labels, options);
  const n = x.shape[0];
  const d = x.size / Math.max(n, 1);
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  const eps = options.eps ?? 0.2;
  const maxQueries = options.maxQueries ?? 10_000;
  const y = await labelArray(labels);
  const t = options.target === undefined ? undefined : await labelArray(options.target);
  const rng = new Rng(options.seed ?? 0);
  const oracle = new QueryCounter(model, n, x.shape.slice(1), options.batchSize ?? 256);
  const xa = Float32Array.from(await x.data());
  const all = Array.from({ length: n }, (_, i) => i);
  const p0 = await oracle.probabilities(xa, all);
  const c = oracle.classes;
  // Score to lower: the true class's probability, or minus the target's.
  const score = (p: Float32Array, j: number, i: number): number => (t ? -p[j * c + t[i]] : p[j * c + y[i]]);
  const done = (p: Float32Array, j: number, i: number): boolean => {
    let best = 0;
    for (let q = 1; q < c; q++) if (p[j * c + q] > p[j * c + best]) best = q;
    return t ? best === t[i] : best !== y[i];
  };
  const current = Float64Array.from(all, (i) => score(p0, i, i));
  const success = Uint8Array.from(all, (i) => (done(p0, i, i) ? 1 : 0));
  const order = all.map(() => rng.permutation(d));
  const pos = new Int32Array(n);
  let active = all.filter((i) => !success[i]);

  while (active.length > 0) {
    await yieldToEventLoop(ATTACK_YIELD_MS);
    // Each active example proposes its next pixel; `tries` holds the signed steps still to try.
    const proposals = active.map((i) => {
      const p = order[i][pos[i]++];
      const v = xa[i * d + p];
      return { i, p, tries: [-eps, eps].filter((s) => Math.min(hi, Math.max(lo, v + s)) !== v) };
    });
    for (let round = 0; round < 2; round++) {
      const batch = proposals.filter((q) => q.tries.length > 0 && oracle.counts[q.i] < maxQueries);
      if (batch.length === 0) break;
      const rows = new Float32Array(batch.length * d);
      batch.forEach((q, j) => {
        rows.set(xa.subarray(q.i * d, (q.i + 1) * d), j * d);
        rows[j * d + q.p] = Math.min(hi, Math.max(lo, rows[j * d + q.p] + q.tries[0]));
      });
      const probs = await oracle.probabilities(
        rows,
        batch.map((q) => q.i),
      );
      batch.forEach((q, j) => {
        const s = score(probs, j, q.i);
        if (s < current[q.i]) {
          current[q.i] = s;
          xa[q.i * d + q.p] = rows[j * d + q.p];
          if (done(probs, j, q.i)) success[q.i] = 1;
          q.tries = [];
        } else {
          q.tries.shift();
        }
      });
    }
    active = active.filter((i) => !success[i] && pos[i] < d && oracle.counts[i] < maxQueries);
  }
  return { adversarial: tf.tensor(xa, x.shape, 'float32'), success, queries: oracle.counts };
}

/** {@link simba} in the attack registry. */
export const simbaAttack: AttackEntry = {
  name: 'simba',
  title: 'SimBA',
  summary: 'tries ±ε on one random pixel at a time, keeps what lowers the probability (Guo et al., 2019)',
  access: 'black-box',
  kind: 'budget',
  norms: ['linf'],
  defaults: { eps: 0.2, maxQueries: 2000 },
  run: (m, x, labels, p) =>
    simba(m.blackBox, x, labels, { eps: p.eps, maxQueries: p.maxQueries, target: p.target, seed: p.seed }),
};
