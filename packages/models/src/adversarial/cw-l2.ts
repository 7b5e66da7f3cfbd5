import * as tf from '@tensorflow/tfjs-core';
import { checkAttackInputs } from '../validate.js';
import { logitMargin } from './objective.js';
import { labelArray } from './labels.js';
import { toLogitsFn, type WhiteBoxModel } from './model.js';
import type { AttackBaseOptions, AttackResult, Labels } from './types.js';
import { ATTACK_YIELD_MS, yieldToEventLoop } from '../yield.js';
import type { AttackEntry } from './attack-entry.js';

/** Options of {@link carliniWagnerL2}. */
export interface CwL2Options extends AttackBaseOptions {
  /** Margin κ the adversarial must win by (higher = more confident, larger perturbation). Default 0. */
  confidence?: number;
  /** Starting trade-off constant c between distance and misclassification. Default 1. */
  initialConst?: number;
  /** Binary-search steps over c, per example. Default 5. */
  binarySearchSteps?: number;
  /** Adam iterations per binary-search step. Default 100. */
  maxIterations?: number;
  /** Adam learning rate in tanh space. Default 0.1. */
  learningRate?: number;
  /** Stop a search step early when the loss stops falling (checked 10 times per step). Default true. */
  abortEarly?: boolean;
}

/**
 * Carlini & Wagner L2 attack (2017): minimises ‖δ‖₂² + c·max(margin, −κ) with Adam over a
 * tanh change of variables (so the box constraint holds without clipping), binary-searching c
 * per example and keeping the smallest successful perturbation. Untargeted or targeted.
 * Examples never broken are returned unchanged with `success` 0.
 */
export async function carliniWagnerL2(
  model: WhiteBoxModel,
  x: tf.Tensor,
  labels: Labels,
  options: CwL2Options = {},
): Promise<AttackResult> {
  await checkAttackInputs('carliniWagnerL2', x, labels, options);
  const f = toLogitsFn(model);
  const n = x.shape[0];
  const inner = x.shape.slice(1);
  const d = x.size / Math.max(n, 1);
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  const kappa = options.confidence ?? 0;
  const iterations = options.maxIterations ?? 100;
  const lr = options.learningRate ?? 0.1;
  const abortEarly = options.abortEarly ?? true;
  const y = await labelArray(labels);
  const t = options.target === undefined ? undefined : await labelArray(options.target);
  const targeted = t !== undefined;
  const aim = t ?? y;
  const aimT = tf.tensor1d(aim, 'int32');

  const x0 = tf.reshape(x, [n, d]) as tf.Tensor2D;
  const w0 = tf.tidy(() => tf.atanh(tf.mul(tf.sub(tf.mul(tf.div(tf.sub(x0, lo), hi - lo), 2), 1), 0.999999)));
  const toX = (w: tf.Tensor): tf.Tensor2D => tf.add(tf.mul(tf.add(tf.tanh(w), 1), (hi - lo) / 2), lo) as tf.Tensor2D;

  const best = Float32Array.from(await x.data());
  const bestL2 = new Float64Array(n).fill(Infinity);
  const success = new Uint8Array(n);
  const lower = new Float64Array(n),
    upper = new Float64Array(n).fill(1e10);
  const c = new Float64Array(n).fill(options.initialConst ?? 1);

  for (let step = 0; step < (options.binarySearchSteps ?? 5); step++) {
    const cT = tf.tensor1d(Float32Array.from(c));
    const found = new Uint8Array(n);
    let w = tf.clone(w0),
      m = tf.zerosLike(w0),
      v = tf.zerosLike(w0);
    let kept: tf.Tensor[] = [];
    const lossAndGrad = tf.valueAndGrad((wv: tf.Tensor) => {
      const xa = toX(wv);
      const l2 = tf.sum(tf.square(tf.sub(xa, x0)), 1);
      const z = f(tf.reshape(xa, [n, ...inner]));
      const margin = logitMargin(z, aimT);
      // Untargeted: push the true class's margin below −κ; targeted: the target's above κ.
      const hinge = tf.maximum(targeted ? tf.neg(margin) : margin, -kappa);
      kept = [tf.keep(xa), tf.keep(l2), tf.keep(margin)];
      return tf.sum(tf.add(l2, tf.mul(cT, hinge)));
    });
    let prevLoss = Infinity;
    const checkEvery = Math.max(1, Math.ceil(iterations / 10));
    for (let it = 1; it <= iterations; it++) {
      await yieldToEventLoop(ATTACK_YIELD_MS);
      const { value, grad } = lossAndGrad(w);
      const [xa, l2, margin] = kept;
      const [w1, m1, v1] = tf.tidy(() => {
        const mm = tf.add(tf.mul(m, 0.9), tf.mul(grad, 0.1));
        const vv = tf.add(tf.mul(v, 0.999), tf.mul(tf.square(grad), 0.001));
        const mhat = tf.div(mm, 1 - 0.9 ** it),
          vhat = tf.div(vv, 1 - 0.999 ** it);
        return [tf.sub(w, tf.mul(tf.div(mhat, tf.add(tf.sqrt(vhat), 1e-8)), lr)), mm, vv];
      });
      tf.dispose([w, m, v, grad]);
      w = w1;
      m = m1;
      v = v1;

      const l2s = await l2.data(),
        margins = await margin.data();
      let xs: Float32Array | undefined;
      for (let i = 0; i < n; i++) {
        const ok = targeted ? margins[i] >= kappa && margins[i] > 0 : -margins[i] >= kappa && margins[i] < 0;
        if (!ok) continue;
        found[i] = 1;
        if (l2s[i] < bestL2[i]) {
          xs ??= (await xa.data()) as Float32Array;
          bestL2[i] = l2s[i];
          best.set(xs.subarray(i * d, (i + 1) * d), i * d);
          success[i] = 1;
        }
      }
      const loss = (await value.data())[0];
      tf.dispose([value, ...kept]);
      if (abortEarly && it % checkEvery === 0) {
        if (loss > prevLoss - 1e-4 * Math.abs(prevLoss)) break;
        prevLoss = loss;
      }
    }
    tf.dispose([w, m, v, cT]);
    for (let i = 0; i < n; i++) {
      if (found[i]) {
        upper[i] = Math.min(upper[i], c[i]);
        c[i] = (lower[i] + upper[i]) / 2;
      } else {
        lower[i] = Math.max(lower[i], c[i]);
        c[i] = upper[i] < 1e9 ? (lower[i] + upper[i]) / 2 : c[i] * 10;
      }
    }
  }
  tf.dispose([x0, w0, aimT]);
  return { adversarial: tf.tensor(best, x.shape, 'float32'), success };
}

/** {@link carliniWagnerL2} in the attack registry. */
export const cwL2Attack: AttackEntry = {
  name: 'cw-l2',
  title: 'C&W L2',
  summary: 'Carlini–Wagner: the smallest L2 perturbation by Adam and a binary search (ignores ε)',
  access: 'white-box',
  kind: 'minimal',
  norms: ['l2'],
  defaults: { steps: 100, binarySearchSteps: 5 },
  run: (m, x, labels, p) =>
    carliniWagnerL2(m.whiteBox, x, labels, {
      maxIterations: p.steps,
      binarySearchSteps: p.binarySearchSteps,
      target: p.target,
      seed: p.seed,
    }),
};
