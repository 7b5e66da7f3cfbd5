import * as tf from '@tensorflow/tfjs-core';
import { checkLabels, checkTensorAsync } from '../validate.js';
import { labelArray } from './labels.js';
import { predictClasses, type WhiteBoxModel } from './model.js';
import { normsOf, summarize, type Summary } from './perturbation.js';
import type { AttackResult, Labels, Norm, ProbabilityFn } from './types.js';

/** One attack as the evaluator sees it. */
export interface AttackSpec {
  /** Row label, e.g. 'PGD-40 L∞'. */
  name: string;
  /**
   * 'budget': run once per ε with that budget (FGSM, PGD, Square…). 'minimal': run once without a
   * budget (C&W, DeepFool, HopSkipJump, JSMA); an adversarial counts at ε when its `norm` size is ≤ ε.
   */
  kind: 'budget' | 'minimal';
  /** The norm ε is measured in. */
  norm: Norm | 'l0';
  /** This attack's own budgets / thresholds (in its `norm`), instead of the report's `epsilons`. */
  epsilons?: readonly number[];
  /** For a targeted attack: the target labels, from the true labels. Omitted → untargeted. */
  targets?: (labels: Int32Array) => Int32Array;
  /** Runs the attack on one batch; `eps` is Infinity for minimal attacks; `target` is set when targeted. */
  run: (x: tf.Tensor, labels: Int32Array, eps: number, target?: Int32Array) => Promise<AttackResult>;
}

/** One line of the report: one attack at one ε. */
export interface RobustnessRow {
  /** The attack's name. */
  attack: string;
  /** The norm of `eps`. */
  norm: Norm | 'l0';
  /** The budget; null on a minimal attack's unbounded line. */
  eps: number | null;
  /** Whether the attack aimed at target labels. */
  targeted: boolean;
  /** Share of all examples classified correctly both clean and under attack. */
  robustAccuracy: number;
  /** Share of the attacked examples (clean-correct, and not already of the target) the attack wins. */
  successRate: number;
  /** Number of attacked examples. */
  attacked: number;
  /** Changed features (L0) over the successful examples. */
  l0: Summary;
  /** L2 perturbation over the successful examples. */
  l2: Summary;
  /** L∞ perturbation over the successful examples. */
  linf: Summary;
  /** Queries per attacked example (black-box attacks). */
  queries?: Summary;
  /** Wall time of the attack (shared by all lines of a minimal attack). */
  seconds: number;
}

/** Clean accuracy and one row per attack and ε. */
export interface RobustnessReport {
  /** Number of evaluated examples. */
  examples: number;
  /** Share classified correctly without attack. */
  cleanAccuracy: number;
  /** One row per attack and ε, in the order of the attack list. */
  rows: RobustnessRow[];
}

/** Options of {@link evaluateRobustness}. */
export interface RobustnessOptions {
  /** Budgets for 'budget' attacks and thresholds for 'minimal' ones (unless a spec brings its own). */
  epsilons: readonly number[];
  /** Examples per attack call. Default 100. */
  batchSize?: number;
  /** Called after every attacked batch. */
  onProgress?: (p: { attack: string; eps: number; done: number; total: number }) => void;
}

interface Outcome {
  fooled: Uint8Array;
  hit: Uint8Array;
  l0: Float64Array;
  l2: Float64Array;
  linf: Float64Array;
  queries?: Int32Array;
  seconds: number;
}

/**
 * Robustness report of `model` on `x`: clean accuracy, then for every attack and ε the robust
 * accuracy, attack success rate, perturbation sizes (mean/median L0, L2, L∞ of the successful
 * examples) and query counts. Only clean-correct examples are attacked; every adversarial is
 * re-classified by `model` here and judged against the true labels (never the model's
 * predictions, so no label leaking), whatever the attack itself claims.
 */
export async function evaluateRobustness(
  model: WhiteBoxModel | ProbabilityFn,
  x: tf.Tensor,
  labels: Labels,
  attacks: AttackSpec[],
  options: RobustnessOptions,
): Promise<RobustnessReport> {
  await checkTensorAsync('evaluateRobustness', 'x', x, { minRank: 2 });
  await checkLabels('evaluateRobustness', 'labels', labels, x.shape[0]);
  const y = await labelArray(labels);
  const n = y.length;
  const batchSize = options.batchSize ?? 100;
  const clean = await predictClasses(model, x);
  let correct = 0;
  for (let i = 0; i < n; i++) if (clean[i] === y[i]) correct++;
  const rows: RobustnessRow[] = [];

  for (const spec of attacks) {
    const t = spec.targets?.(y);
    const chosen: number[] = [];
    for (let i = 0; i < n; i++) if (clean[i] === y[i] && (!t || t[i] !== y[i])) chosen.push(i);
    const run = async (eps: number): Promise<Outcome> => {
      const k = chosen.length;
      const o: Outcome = {
        fooled: new Uint8Array(k),
        hit: new Uint8Array(k),
        l0: new Float64Array(k),
        l2: new Float64Array(k),
        linf: new Float64Array(k),
        seconds: 0,
      };
      const start = performance.now();
      for (let s = 0; s < k; s += batchSize) {
        const ids = chosen.slice(s, s + batchSize);
        const idT = tf.tensor1d(ids, 'int32');
        const xb = tf.gather(x, idT);
        idT.dispose();
        const yb = Int32Array.from(ids, (i) => y[i]);
        const tb = t && Int32Array.from(ids, (i) => t[i]);
        const res = await spec.run(xb, yb, eps, tb);
        const pred = await predictClasses(model, res.adversarial);
        const norms = normsOf(
          (await xb.data()) as Float32Array,
          (await res.adversarial.data()) as Float32Array,
          ids.length,
        );
        tf.dispose([xb, res.adversarial]);
        ids.forEach((_, j) => {
          o.fooled[s + j] = pred[j] !== yb[j] ? 1 : 0;
          o.hit[s + j] = (tb ? pred[j] === tb[j] : pred[j] !== yb[j]) ? 1 : 0;
          o.l0[s + j] = norms.l0[j];
          o.l2[s + j] = norms.l2[j];
          o.linf[s + j] = norms.linf[j];
        });
        if (res.queries) (o.queries ??= new Int32Array(k)).set(res.queries, s);
        options.onProgress?.({ attack: spec.name, eps, done: Math.min(k, s + batchSize), total: k });
      }
      o.seconds = (performance.now() - start) / 1000;
      return o;
    };
    const row = (o: Outcome, eps: number | null): RobustnessRow => {
      // A minimal attack's adversarial only counts at ε if it is that small.
      const size = spec.norm === 'l0' ? o.l0 : spec.norm === 'l2' ? o.l2 : o.linf;
      const within = (j: number): boolean => eps === null || spec.kind === 'budget' || size[j] <= eps + 1e-6;
      const hit = Uint8Array.from(o.hit, (h, j) => (h && within(j) ? 1 : 0));
      let fooled = 0,
        hits = 0;
      o.fooled.forEach((f, j) => {
        if (f && within(j)) fooled++;
      });
      hit.forEach((h) => {
        hits += h;
      });
      return {
        attack: spec.name,
        norm: spec.norm,
        eps,
        targeted: t !== undefined,
        robustAccuracy: (correct - fooled) / Math.max(1, n),
        successRate: hits / Math.max(1, chosen.length),
        attacked: chosen.length,
        l0: summarize(o.l0, hit),
        l2: summarize(o.l2, hit),
        linf: summarize(o.linf, hit),
        queries: o.queries && summarize(o.queries),
        seconds: o.seconds,
      };
    };
    const epsilons = spec.epsilons ?? options.epsilons;
    if (spec.kind === 'budget') {
      for (const eps of epsilons) rows.push(row(await run(eps), eps));
    } else {
      const o = await run(Infinity);
      for (const eps of epsilons) rows.push(row(o, eps));
      rows.push(row(o, null));
    }
  }
  return { examples: n, cleanAccuracy: correct / Math.max(1, n), rows };
}
