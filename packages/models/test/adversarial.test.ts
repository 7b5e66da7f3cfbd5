// The adversarial toolkit on real MNIST digits: small models trained here with fixed seeds,
// a few dozen test digits attacked, numbers asserted.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@lanes/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KNearestNeighbours,
  LogisticRegression,
  SUITE_ATTACKS,
  adversarialDataset,
  attackSuite,
  backdoorReport,
  bim,
  carliniWagnerL2,
  deepFool,
  evaluateRobustness,
  fgsm,
  flipLabels,
  formatRobustnessReport,
  hopSkipJump,
  jsma,
  labelFlipReport,
  linearRamp,
  logitsOf,
  miFgsm,
  perturbationNorms,
  pgd,
  plantBackdoor,
  predictClasses,
  simba,
  squareAttack,
  summarize,
  transferAttack,
  type AttackResult,
  type CraftFn,
  type ProbabilityFn,
} from '../src/adversarial/index.js';
import { imageDataset, takeImages, trainModel } from '../src/index.js';
import { accuracy, mnist, rate, trainMlp } from './adversarial-fixtures.js';
import { mnistOnce } from './helpers.js';

const backend = process.env.LANES_TEST_BACKEND ?? 'lanes';
let train: { x: tf.Tensor4D; y: Int32Array };
let test: { x: tf.Tensor4D; y: Int32Array }; // 1000 digits for accuracies
let few: { x: tf.Tensor4D; y: Int32Array }; // the 40 attacked digits
let mlp: tfl.LayersModel;
let lr: LogisticRegression;
let knn: KNearestNeighbours;

beforeAll(async () => {
  await tf.setBackend(backend);
  train = await mnist('train', 0, 3000);
  test = await mnist('test', 0, 1000);
  few = await mnist('test', 0, 40);
  lr = await LogisticRegression.train(train.x, train.y, 10, { epochs: 3, seed: 1 });
  knn = await KNearestNeighbours.fit(tf.slice(train.x, 0, 1000), train.y.subarray(0, 1000), { k: 10 });
  mlp = await trainMlp(train.x, train.y, 32, 4, 1);
}, 300_000);

async function acc(model: Parameters<typeof predictClasses>[0], x: tf.Tensor, y: Int32Array): Promise<number> {
  return accuracy(await predictClasses(model, x), y);
}

/** Largest L∞ perturbation, and whether every value stays in [0, 1]. */
async function bounds(x: tf.Tensor, r: AttackResult): Promise<{ linf: number; inRange: boolean }> {
  const n = await perturbationNorms(x, r.adversarial);
  const v = await r.adversarial.data();
  return { linf: Math.max(...n.linf), inRange: v.every((a) => a >= 0 && a <= 1) };
}

const shifted = (y: Int32Array): Int32Array => Int32Array.from(y, (v) => (v + 1) % 10);

describe('baselines', { timeout: 120_000 }, () => {
  it('logistic regression and kNN learn MNIST from 3000 / 1000 digits', async () => {
    expect(await acc(lr.predict, test.x, test.y)).toBeGreaterThan(0.84);
    expect(await acc(knn.predict, test.x, test.y)).toBeGreaterThan(0.8);
    expect(await acc(mlp, test.x, test.y)).toBeGreaterThan(0.85);
  });

  it('logitsOf strips the softmax head: softmax(logits) = the model output', async () => {
    const z = logitsOf(mlp)(few.x);
    const p = mlp.predict(few.x) as tf.Tensor;
    const diff = tf.max(tf.abs(tf.sub(tf.softmax(z), p)));
    expect((await diff.data())[0]).toBeLessThan(1e-5);
    // Logits are not log-probabilities shifted to max 0: their spread is the model's own.
    expect((await tf.max(tf.abs(z)).data())[0]).toBeGreaterThan(1);
    tf.dispose([z, p, diff]);
  });
});

describe('white-box', { timeout: 120_000 }, () => {
  it('FGSM lowers accuracy by ≥ 50 points at ε = 0.15, more as ε grows, within ε and [0, 1]', async () => {
    const clean = await acc(mlp, few.x, few.y);
    const accs: number[] = [];
    for (const eps of [0.05, 0.15, 0.25]) {
      const r = await fgsm(mlp, few.x, few.y, { eps });
      accs.push(await acc(mlp, r.adversarial, few.y));
      const b = await bounds(few.x, r);
      expect(b.linf).toBeLessThanOrEqual(eps + 1e-6);
      expect(b.inRange).toBe(true);
      r.adversarial.dispose();
    }
    expect(clean - accs[1]).toBeGreaterThanOrEqual(0.5);
    expect(accs[0]).toBeGreaterThanOrEqual(accs[1]);
    expect(accs[1]).toBeGreaterThanOrEqual(accs[2]);
  });

  it('PGD beats FGSM and BIM at the same ε; restarts never hurt; L2 PGD stays in its ball', async () => {
    const eps = 0.08;
    const f = await fgsm(mlp, few.x, few.y, { eps });
    const b = await bim(mlp, few.x, few.y, { eps, steps: 10 });
    const p = await pgd(mlp, few.x, few.y, { eps, steps: 20, seed: 3 });
    const p3 = await pgd(mlp, few.x, few.y, { eps, steps: 20, restarts: 3, seed: 3 });
    const [af, ab, ap, ap3] = await Promise.all([f, b, p, p3].map((r) => acc(mlp, r.adversarial, few.y)));
    expect(ap).toBeLessThan(af);
    expect(ap).toBeLessThanOrEqual(ab);
    expect(ap3).toBeLessThanOrEqual(ap);
    for (const r of [b, p, p3]) expect((await bounds(few.x, r)).linf).toBeLessThanOrEqual(eps + 1e-6);
    // `success` is the attack's own verdict: it must match a fresh classification.
    expect(rate(p3.success)).toBeCloseTo(1 - ap3, 5);

    const l2 = await pgd(mlp, few.x, few.y, { eps: 1.5, norm: 'l2', steps: 20 });
    const n = await perturbationNorms(few.x, l2.adversarial);
    expect(Math.max(...n.l2)).toBeLessThanOrEqual(1.5 + 1e-4);
    expect(rate(l2.success)).toBeGreaterThan(0.8);
    tf.dispose([f, b, p, p3, l2].map((r) => r.adversarial));
  });

  it('targeted PGD and MI-FGSM reach the target label', async () => {
    const target = shifted(few.y);
    const p = await pgd(mlp, few.x, few.y, { eps: 0.25, steps: 20, target });
    expect(accuracy(await predictClasses(mlp, p.adversarial), target)).toBeGreaterThanOrEqual(0.95);
    const m = await miFgsm(mlp, few.x, few.y, { eps: 0.25, steps: 10, target });
    expect(accuracy(await predictClasses(mlp, m.adversarial), target)).toBeGreaterThanOrEqual(0.8);
    expect((await bounds(few.x, m)).linf).toBeLessThanOrEqual(0.25 + 1e-6);
    const mu = await miFgsm(mlp, few.x, few.y, { eps: 0.15 });
    expect(rate(mu.success)).toBeGreaterThanOrEqual(0.9);
    tf.dispose([p.adversarial, m.adversarial, mu.adversarial]);
  });

  it('C&W L2 and DeepFool break every digit with far smaller L2 than FGSM', async () => {
    const x = tf.slice(few.x, 0, 20),
      y = few.y.subarray(0, 20);
    const cw = await carliniWagnerL2(mlp, x, y, { binarySearchSteps: 4, maxIterations: 100 });
    const df = await deepFool(mlp, x, y);
    const fg = await fgsm(mlp, x, y, { eps: 0.2 });
    expect(rate(cw.success)).toBe(1);
    expect(rate(df.success)).toBe(1);
    expect(accuracy(await predictClasses(mlp, cw.adversarial), y)).toBe(0);
    const [ncw, ndf, nfg] = await Promise.all([cw, df, fg].map((r) => perturbationNorms(x, r.adversarial)));
    const mcw = summarize(ncw.l2).median,
      mdf = summarize(ndf.l2).median,
      mfg = summarize(nfg.l2, fg.success).median;
    expect(mcw).toBeLessThan(1.2);
    expect(mdf).toBeLessThan(1.3);
    expect(mcw).toBeLessThan(mfg / 3);
    expect(mcw).toBeLessThan(mdf * 1.15);
    expect((await bounds(x, cw)).inRange).toBe(true);

    const target = shifted(y);
    const cwt = await carliniWagnerL2(mlp, x, y, { binarySearchSteps: 4, maxIterations: 100, target });
    expect(accuracy(await predictClasses(mlp, cwt.adversarial), target)).toBe(1);
    const dfi = await deepFool(mlp, x, y, { norm: 'linf' });
    expect(rate(dfi.success)).toBe(1);
    tf.dispose([x, cw.adversarial, df.adversarial, fg.adversarial, cwt.adversarial, dfi.adversarial]);
  });

  it('JSMA reaches the target by raising ≤ 10 % of the pixels', async () => {
    const x = tf.slice(few.x, 0, 20),
      y = few.y.subarray(0, 20);
    const target = shifted(y);
    const r = await jsma(mlp, x, y, { target });
    const pred = await predictClasses(mlp, r.adversarial);
    expect(accuracy(pred, target)).toBeGreaterThanOrEqual(0.8);
    expect(Array.from(r.success)).toEqual(Array.from(pred, (p, i) => (p === target[i] ? 1 : 0)));
    const n = await perturbationNorms(x, r.adversarial);
    expect(Math.max(...n.l0)).toBeLessThanOrEqual(78);
    const diff = await tf.min(tf.sub(r.adversarial, x)).data();
    expect(diff[0]).toBeGreaterThanOrEqual(0); // θ = +1 only raises pixels
    tf.dispose([x, r.adversarial]);
  });
});

describe('black-box', { timeout: 120_000 }, () => {
  /** A probability function that counts every image it is shown. */
  function counting(fn: ProbabilityFn): { fn: ProbabilityFn; seen: () => number } {
    let seen = 0;
    return {
      fn: (x) => {
        seen += x.shape[0];
        return fn(x);
      },
      seen: () => seen,
    };
  }

  it('SimBA and Square fool logistic regression within ε; every query is counted', async () => {
    const c1 = counting(lr.predict);
    const s = await simba(c1.fn, few.x, few.y, { eps: 0.2, maxQueries: 1000 });
    expect(rate(s.success)).toBeGreaterThanOrEqual(0.8);
    expect(s.queries!.reduce((a, b) => a + b, 0)).toBe(c1.seen());
    expect(Math.max(...s.queries!)).toBeLessThanOrEqual(1000);
    expect((await bounds(few.x, s)).linf).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(1 - (await acc(lr.predict, s.adversarial, few.y))).toBeCloseTo(rate(s.success), 5);

    const c2 = counting(lr.predict);
    const q = await squareAttack(c2.fn, few.x, few.y, { eps: 0.3, maxQueries: 1000 });
    expect(rate(q.success)).toBeGreaterThanOrEqual(0.95);
    expect(q.queries!.reduce((a, b) => a + b, 0)).toBe(c2.seen());
    expect(summarize(q.queries!, q.success).median).toBeLessThan(200);
    expect((await bounds(few.x, q)).linf).toBeLessThanOrEqual(0.3 + 1e-6);
    tf.dispose([s.adversarial, q.adversarial]);
  });

  it('the non-differentiable kNN falls to Square (score-based) and HopSkipJump (decision-based)', async () => {
    const x = tf.slice(few.x, 0, 10),
      y = few.y.subarray(0, 10);
    const clean = await predictClasses(knn.predict, x);
    const q = await squareAttack(knn.predict, x, y, { eps: 0.3, maxQueries: 500 });
    expect(rate(q.success)).toBeGreaterThanOrEqual(0.6);
    const h = await hopSkipJump(knn.predict, x, y, { maxQueries: 600 });
    const pred = await predictClasses(knn.predict, h.adversarial);
    // Every example is adversarial (already-wrong ones stay as they were), within the budget.
    expect(accuracy(pred, y)).toBe(0);
    expect(Math.max(...h.queries!)).toBeLessThanOrEqual(600);
    const n = await perturbationNorms(x, h.adversarial);
    const attacked = Uint8Array.from(clean, (p, i) => (p === y[i] ? 1 : 0));
    // Medians over seeds 0–4 with the package's one Rng: 8.61, 8.21, 6.61, 8.48, 5.95 (a random
    // perturbation that fools kNN needs L2 ≈ 10 or more).
    expect(summarize(n.l2, attacked).median).toBeLessThan(9);
    tf.dispose([x, q.adversarial, h.adversarial]);
  });

  it('HopSkipJump shrinks its perturbation as the query budget grows (targeted, from target-class starts)', async () => {
    const x = tf.slice(few.x, 0, 6),
      y = few.y.subarray(0, 6);
    // Starting points: the first training digit of each target class.
    const target = shifted(y);
    const firstOf = (c: number): number => train.y.indexOf(c);
    const starts = tf.gather(train.x, Int32Array.from(target, firstOf));
    const short = await hopSkipJump(lr.predict, x, y, { target, starts, maxQueries: 150 });
    const long = await hopSkipJump(lr.predict, x, y, { target, starts, maxQueries: 1500 });
    expect(accuracy(await predictClasses(lr.predict, long.adversarial), target)).toBe(1);
    const [ns, nl] = await Promise.all([
      perturbationNorms(x, short.adversarial),
      perturbationNorms(x, long.adversarial),
    ]);
    // Ratios over seeds 0–4 with the package's one Rng: 0.747, 0.719, 0.721, 0.684, 0.724.
    expect(summarize(nl.l2).median).toBeLessThan(0.8 * summarize(ns.l2).median);
    tf.dispose([x, starts, short.adversarial, long.adversarial]);
  });

  it('transfer: PGD crafted on the MLP fools logistic regression and kNN', async () => {
    const craft: CraftFn = (f, x, y) => pgd(f, x, y, { eps: 0.25, steps: 20 });
    const toLr = await transferAttack(mlp, lr.predict, few.x, few.y, craft);
    expect(rate(toLr.surrogateSuccess)).toBe(1);
    expect(rate(toLr.success)).toBeGreaterThanOrEqual(0.5);
    expect(Array.from(toLr.queries!)).toEqual(new Array(40).fill(1));
    const toKnn = await transferAttack(mlp, knn.predict, few.x, few.y, craft);
    expect(rate(toKnn.success)).toBeGreaterThanOrEqual(0.2);
    tf.dispose([toLr.adversarial, toKnn.adversarial]);
  });
});

describe('poisoning', { timeout: 120_000 }, () => {
  it('a BadNets trigger on 1 % of the training set: ≥ 90 % success, clean accuracy within 1 point', async () => {
    const poisoned = await plantBackdoor(train.x, train.y, { fraction: 0.01, targetLabel: 0, seed: 2 });
    expect(poisoned.poisoned.length).toBe(30);
    expect(Array.from(poisoned.poisoned, (i) => train.y[i]).includes(0)).toBe(false);
    const bad = await trainMlp(poisoned.x as tf.Tensor4D, poisoned.labels, 32, 4, 1);
    poisoned.x.dispose();
    const clean = await backdoorReport(mlp, test.x, test.y, { targetLabel: 0 });
    const report = await backdoorReport(bad, test.x, test.y, { targetLabel: 0 });
    expect(clean.attackSuccessRate).toBeLessThan(0.05);
    expect(report.attackSuccessRate).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(report.cleanAccuracy - clean.cleanAccuracy)).toBeLessThanOrEqual(0.01);
  });

  it('label flipping 7 → 1 sends test sevens to 1', async () => {
    const flipped = await flipLabels(train.y, { fraction: 0.6, source: 7, target: 1, seed: 3 });
    const sevens = train.y.filter((v) => v === 7).length;
    expect(flipped.flipped.length).toBe(Math.round(0.6 * sevens));
    const bad = await LogisticRegression.train(train.x, flipped.labels, 10, { epochs: 3, seed: 1 });
    const before = await labelFlipReport(lr.predict, test.x, test.y, { source: 7, target: 1 });
    const after = await labelFlipReport(bad.predict, test.x, test.y, { source: 7, target: 1 });
    expect(after.attackSuccessRate - before.attackSuccessRate).toBeGreaterThanOrEqual(0.3);
  });
});

describe('defence and evaluation', { timeout: 120_000 }, () => {
  it('fast adversarial training (FGSM + random start) makes the MLP robust to PGD', async () => {
    const robust = await trainMlp(train.x, train.y, 32, 0, 1); // compiled, untrained
    const digits = takeImages(
      (await mnistOnce()).train,
      Int32Array.from({ length: 3000 }, (_, i) => i),
    );
    const data = adversarialDataset(imageDataset(digits), robust, {
      method: 'fgsm-rs',
      eps: linearRamp(0.1, 50),
      seed: 4,
    });
    const run = await trainModel(robust, data, { epochs: 3, batchSize: 64, seed: 1 });
    expect(run.batchLosses.length).toBe(3 * 47);
    const attack = (m: tfl.LayersModel) => pgd(m, few.x, few.y, { eps: 0.1, steps: 20 });
    const [plain, hard] = [await attack(mlp), await attack(robust)];
    const robustAcc = await acc(robust, hard.adversarial, few.y);
    expect(robustAcc - (await acc(mlp, plain.adversarial, few.y))).toBeGreaterThanOrEqual(0.3);
    expect(await acc(robust, test.x, test.y)).toBeGreaterThan(0.8);
    tf.dispose([plain.adversarial, hard.adversarial]);
  });

  it('evaluateRobustness judges against true labels and reports ε curves, norms and queries', async () => {
    const report = await evaluateRobustness(
      lr.logits,
      few.x,
      few.y,
      [
        { name: 'FGSM', kind: 'budget', norm: 'linf', run: (x, y, eps) => fgsm(lr.logits, x, y, { eps }) },
        { name: 'PGD-10', kind: 'budget', norm: 'linf', run: (x, y, eps) => pgd(lr.logits, x, y, { eps, steps: 10 }) },
        {
          name: 'PGD-10',
          kind: 'budget',
          norm: 'linf',
          targets: shifted,
          run: (x, y, eps, target) => pgd(lr.logits, x, y, { eps, steps: 10, target }),
        },
        { name: 'DeepFool', kind: 'minimal', norm: 'l2', run: (x, y) => deepFool(lr.logits, x, y) },
        {
          name: 'Square',
          kind: 'budget',
          norm: 'linf',
          run: (x, y, eps) => squareAttack(lr.predict, x, y, { eps, maxQueries: 300 }),
        },
      ],
      { epsilons: [0.05, 0.1, 0.2], batchSize: 16 },
    );
    const clean = await acc(lr.logits, few.x, few.y);
    expect(report.cleanAccuracy).toBeCloseTo(clean, 10);
    expect(report.rows.length).toBe(3 * 3 + 4 + 3);
    for (const row of report.rows) {
      expect(row.robustAccuracy).toBeLessThanOrEqual(clean + 1e-9);
      expect(row.attacked).toBe(row.targeted ? row.attacked : Math.round(clean * 40)); // only clean-correct digits
      if (row.eps !== null && row.norm === 'linf' && row.successRate > 0)
        expect(row.linf.median).toBeLessThanOrEqual(row.eps + 1e-6);
    }
    const curve = (name: string, targeted = false) =>
      report.rows
        .filter((r) => r.attack === name && r.targeted === targeted && r.eps !== null)
        .map((r) => r.robustAccuracy);
    for (const c of [curve('FGSM'), curve('PGD-10'), curve('DeepFool')]) {
      expect(c[0]).toBeGreaterThanOrEqual(c[1]);
      expect(c[1]).toBeGreaterThanOrEqual(c[2]);
    }
    expect(curve('PGD-10')[2]).toBeLessThanOrEqual(curve('FGSM')[2]);
    const df = report.rows.find((r) => r.attack === 'DeepFool' && r.eps === null)!;
    expect(df.successRate).toBe(1);
    expect(df.l2.median).toBeGreaterThan(0);
    const sq = report.rows.filter((r) => r.attack === 'Square');
    expect(sq.every((r) => r.queries !== undefined && r.queries.mean >= 1)).toBe(true);
    expect(formatRobustnessReport(report)).toContain('| PGD-10 (targeted) | 0.2 (linf) |');
  });

  it('the standard suite runs every attack end to end with its own ε grid', async () => {
    const x = tf.slice(few.x, 0, 8),
      y = few.y.subarray(0, 8);
    const specs = attackSuite(lr.logits, { pgdSteps: 5, cwSteps: [2, 20], maxQueries: 60, seed: 5 });
    expect(specs.length).toBe(SUITE_ATTACKS.length);
    const report = await evaluateRobustness(lr.logits, x, y, specs, { epsilons: [] });
    const minimal = specs.filter((s) => s.kind === 'minimal').length;
    expect(report.rows.length).toBe(specs.reduce((n, s) => n + (s.epsilons?.length ?? 0), 0) + minimal);
    for (const row of report.rows) {
      expect(row.successRate).toBeGreaterThanOrEqual(0);
      expect(row.successRate).toBeLessThanOrEqual(1);
      expect(row.robustAccuracy).toBeLessThanOrEqual(report.cleanAccuracy);
    }
    const pgd03 = report.rows.find((r) => r.attack === 'PGD-5' && !r.targeted && r.eps === 0.3)!;
    expect(pgd03.successRate).toBe(1);
    const l2 = report.rows.find((r) => r.attack === 'PGD-5 L2' && r.eps === 2)!;
    expect(l2.l2.median).toBeLessThanOrEqual(2 + 1e-4);
    const hsj = report.rows.find((r) => r.attack === 'HopSkipJump L2' && r.eps === null)!;
    expect(hsj.queries!.median).toBeLessThanOrEqual(60);
    x.dispose();
  });
});
