// The attack registry: one name per attack, settings checked against their types and choices, and
// every registered attack run end to end through the one dispatcher.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@lanes/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACK_NAMES,
  ATTACK_NORMS,
  ATTACK_PARAMS,
  ATTACKS,
  attackParams,
  perturbationNorms,
  predictClasses,
  runAttack,
  SUITE_ATTACKS,
  toProbabilityFn,
  type ProbabilityFn,
} from '../src/index.js';
import { mnist, rate, trainMlp } from './adversarial-fixtures.js';

let model: tfl.LayersModel;
let few: { x: tf.Tensor4D; y: Int32Array };

beforeAll(async () => {
  await tf.setBackend('cpu');
  const train = await mnist('train', 0, 2000);
  few = await mnist('test', 0, 8);
  model = await trainMlp(train.x, train.y, 32, 3, 1);
  train.x.dispose();
});

describe('attack registry', () => {
  it('has one entry per name, the suite speaks its names, and every setting is declared', () => {
    expect(new Set(ATTACK_NAMES).size).toBe(ATTACKS.length);
    expect(ATTACK_NAMES).toEqual([
      'fgsm',
      'bim',
      'pgd',
      'mi-fgsm',
      'cw-l2',
      'deepfool',
      'jsma',
      'simba',
      'square',
      'hop-skip-jump',
    ]);
    // Suite variants (pgd-targeted, pgd-l2) are registry attacks with settings; the others are names of it.
    for (const s of SUITE_ATTACKS.filter((s) => !s.startsWith('pgd-'))) expect(ATTACK_NAMES).toContain(s);
    for (const a of ATTACKS) {
      for (const key of Object.keys(a.defaults)) expect(Object.keys(ATTACK_PARAMS)).toContain(key);
      for (const n of a.norms) expect(ATTACK_NORMS).toContain(n);
      if (a.defaults.norm !== undefined) expect(a.defaults.norm).toBe(a.norms[0]);
      expect('eps' in a.defaults).toBe(a.kind === 'budget');
      expect(a.summary.length).toBeGreaterThan(10);
    }
  });

  it('fills defaults, drops settings an attack does not take and names the allowed values of bad ones', () => {
    expect(attackParams('pgd', { eps: 0.1, maxQueries: 9 })).toEqual({
      eps: 0.1,
      norm: 'linf',
      steps: 40,
      restarts: 1,
    });
    expect(attackParams('cw-l2', { eps: 0.3 })).toEqual({ steps: 100, binarySearchSteps: 5 });
    expect(() => attackParams('fgsm', { norm: 'l3' as 'l2' })).toThrow("fgsm: norm must be one of linf, l2, got 'l3'");
    expect(() => attackParams('square', { norm: 'l2' })).toThrow("square: norm must be one of linf, got 'l2'");
    expect(attackParams('square', { norm: 'linf' })).toEqual({ eps: 0.2, maxQueries: 2000 });
    expect(() => attackParams('jsma', { norm: 'l2' })).toThrow(
      "jsma takes no norm (it changes few pixels, L0), got 'l2'",
    );
    expect(() => attackParams('bim', { steps: 2.5 })).toThrow('bim: steps must be an integer ≥ 1, got 2.5');
    expect(() => attackParams('fgsm', { eps: -1 })).toThrow('fgsm: eps must be a finite number ≥ 0, got -1');
    expect(() => attackParams('cw')).toThrow(/unknown attack 'cw': choose one of fgsm, bim, pgd, mi-fgsm, cw-l2/);
  });

  it('runs every registered attack through runAttack: inside [0, 1], within ε for budget attacks, misleading the model', async () => {
    const { x, y } = few;
    const clean = await predictClasses(model, x);
    // Short runs: few steps for the iterative budget attacks, 300 queries for black-box ones.
    const small = { maxQueries: 300 };
    for (const a of ATTACKS) {
      const target = a.name === 'jsma' ? Int32Array.from(y, (v) => (v + 1) % 10) : undefined;
      const steps = a.kind === 'budget' && a.defaults.steps ? 10 : undefined;
      const r = await runAttack(a.name, model, x, y, { ...small, steps, eps: 0.3, target });
      expect(r.adversarial.shape, a.name).toEqual(x.shape);
      const adv = r.adversarial.dataSync();
      expect(Math.min(...adv), a.name).toBeGreaterThanOrEqual(0);
      expect(Math.max(...adv), a.name).toBeLessThanOrEqual(1);
      const norms = await perturbationNorms(x, r.adversarial);
      if (a.kind === 'budget' && a.defaults.norm !== 'l2')
        expect(Math.max(...norms.linf), a.name).toBeLessThanOrEqual(0.3 + 1e-5);
      const fooled = await predictClasses(model, r.adversarial);
      // The success mask agrees with the model's new predictions, and every attack fools at least half.
      const wrong = Uint8Array.from(fooled, (p, i) => (target ? (p === target[i] ? 1 : 0) : p !== y[i] ? 1 : 0));
      expect(Array.from(r.success), a.name).toEqual(Array.from(wrong));
      expect(rate(r.success), a.name).toBeGreaterThanOrEqual(0.5);
      if (a.access === 'black-box') expect(Math.max(...r.queries!), a.name).toBeLessThanOrEqual(300);
      r.adversarial.dispose();
    }
    expect(clean.length).toBe(8);
  });

  it('lets black-box attacks query an oracle instead of the model (every query counted there)', async () => {
    let asked = 0;
    const probabilities = toProbabilityFn(model);
    const oracle: ProbabilityFn = (batch) => {
      asked += batch.shape[0];
      return probabilities(batch);
    };
    const r = await runAttack('square', { model, oracle }, few.x, few.y, { eps: 0.3, maxQueries: 200 });
    const total = r.queries!.reduce((s, v) => s + v, 0);
    expect(asked).toBe(total);
    expect(total).toBeGreaterThan(8);
    r.adversarial.dispose();
  });
});
