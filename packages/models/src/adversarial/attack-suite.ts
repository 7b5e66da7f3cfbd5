import { bim } from './bim.js';
import { carliniWagnerL2 } from './cw-l2.js';
import { deepFool } from './deepfool.js';
import type { AttackSpec } from './evaluate.js';
import { fgsm } from './fgsm.js';
import { hopSkipJump } from './hop-skip-jump.js';
import { jsma } from './jsma.js';
import { miFgsm } from './mi-fgsm.js';
import { toLogitsFn, toProbabilityFn, type WhiteBoxModel } from './model.js';
import { pgd } from './pgd.js';
import { Rng } from '../random.js';
import { simba } from './simba.js';
import { squareAttack } from './square.js';

/** The attacks {@link attackSuite} knows. */
export type SuiteAttack =
  | 'fgsm'
  | 'bim'
  | 'pgd'
  | 'pgd-targeted'
  | 'mi-fgsm'
  | 'pgd-l2'
  | 'cw-l2'
  | 'deepfool'
  | 'jsma'
  | 'simba'
  | 'square'
  | 'hop-skip-jump';

/** Every attack of the suite, in report order. */
export const SUITE_ATTACKS: readonly SuiteAttack[] = [
  'fgsm',
  'bim',
  'pgd',
  'pgd-targeted',
  'mi-fgsm',
  'pgd-l2',
  'cw-l2',
  'deepfool',
  'jsma',
  'simba',
  'square',
  'hop-skip-jump',
];

/** Options of {@link attackSuite}. */
export interface AttackSuiteOptions {
  /** Attacks to include (default: all of {@link SUITE_ATTACKS}). */
  attacks?: readonly SuiteAttack[];
  /** Seed of every attack and of the random targets. Default 0. */
  seed?: number;
  /** PGD steps per restart. Default 40. */
  pgdSteps?: number;
  /** PGD random restarts. Default 1. */
  pgdRestarts?: number;
  /** C&W binary-search steps × Adam iterations. Default 5 × 100. */
  cwSteps?: [number, number];
  /** Query budget of SimBA, Square and HopSkipJump. Default 5000. */
  maxQueries?: number;
  /** Budgets of the L∞ attacks. Default [0.1, 0.2, 0.3]. */
  linfEpsilons?: readonly number[];
  /** Budgets of PGD-L2 and thresholds of the L2 minimal attacks. Default [1, 1.5, 2]. */
  l2Epsilons?: readonly number[];
  /** Thresholds (changed pixels) of JSMA. Default [10, 20, 40]. */
  l0Epsilons?: readonly number[];
}

/**
 * The standard evaluation suite for a classifier of [0, 1] images: every attack of the toolkit as
 * an {@link AttackSpec} for {@link evaluateRobustness}. White-box attacks use the model's logits,
 * black-box attacks only its probabilities. Targeted attacks aim at a seeded random wrong class.
 */
export function attackSuite(model: WhiteBoxModel, options: AttackSuiteOptions = {}): AttackSpec[] {
  const f = toLogitsFn(model);
  const p = toProbabilityFn(model);
  const seed = options.seed ?? 0;
  const steps = options.pgdSteps ?? 40;
  const restarts = options.pgdRestarts ?? 1;
  const [bss, iters] = options.cwSteps ?? [5, 100];
  const maxQueries = options.maxQueries ?? 5000;
  const linf = options.linfEpsilons ?? [0.1, 0.2, 0.3];
  const l2 = options.l2Epsilons ?? [1, 1.5, 2];
  const l0 = options.l0Epsilons ?? [10, 20, 40];
  const randomTargets = (y: Int32Array): Int32Array => {
    const rng = new Rng(seed + 7);
    return Int32Array.from(y, (v) => (v + 1 + rng.int(9)) % 10);
  };
  const restartsName = restarts > 1 ? `×${restarts}` : '';
  const specs: Record<SuiteAttack, AttackSpec> = {
    fgsm: { name: 'FGSM', kind: 'budget', norm: 'linf', epsilons: linf, run: (x, y, eps) => fgsm(f, x, y, { eps }) },
    bim: {
      name: 'BIM-10',
      kind: 'budget',
      norm: 'linf',
      epsilons: linf,
      run: (x, y, eps) => bim(f, x, y, { eps, steps: 10 }),
    },
    pgd: {
      name: `PGD-${steps}${restartsName}`,
      kind: 'budget',
      norm: 'linf',
      epsilons: linf,
      run: (x, y, eps) => pgd(f, x, y, { eps, steps, restarts, seed }),
    },
    'pgd-targeted': {
      name: `PGD-${steps}${restartsName}`,
      kind: 'budget',
      norm: 'linf',
      epsilons: linf,
      targets: randomTargets,
      run: (x, y, eps, target) => pgd(f, x, y, { eps, steps, restarts, seed, target }),
    },
    'mi-fgsm': {
      name: 'MI-FGSM-10',
      kind: 'budget',
      norm: 'linf',
      epsilons: linf,
      run: (x, y, eps) => miFgsm(f, x, y, { eps, steps: 10 }),
    },
    'pgd-l2': {
      name: `PGD-${steps} L2`,
      kind: 'budget',
      norm: 'l2',
      epsilons: l2,
      run: (x, y, eps) => pgd(f, x, y, { eps, norm: 'l2', steps, restarts, seed }),
    },
    'cw-l2': {
      name: 'C&W L2',
      kind: 'minimal',
      norm: 'l2',
      epsilons: l2,
      run: (x, y) => carliniWagnerL2(f, x, y, { binarySearchSteps: bss, maxIterations: iters }),
    },
    deepfool: { name: 'DeepFool L2', kind: 'minimal', norm: 'l2', epsilons: l2, run: (x, y) => deepFool(f, x, y) },
    jsma: {
      name: 'JSMA',
      kind: 'minimal',
      norm: 'l0',
      epsilons: l0,
      targets: randomTargets,
      run: (x, y, _eps, target) => jsma(f, x, y, { target, seed }),
    },
    simba: {
      name: 'SimBA',
      kind: 'budget',
      norm: 'linf',
      epsilons: linf,
      run: (x, y, eps) => simba(p, x, y, { eps, maxQueries, seed }),
    },
    square: {
      name: 'Square',
      kind: 'budget',
      norm: 'linf',
      epsilons: linf,
      run: (x, y, eps) => squareAttack(p, x, y, { eps, maxQueries, seed }),
    },
    'hop-skip-jump': {
      name: 'HopSkipJump L2',
      kind: 'minimal',
      norm: 'l2',
      epsilons: l2,
      run: (x, y) => hopSkipJump(p, x, y, { maxQueries, seed }),
    },
  };
  return (options.attacks ?? SUITE_ATTACKS).map((a) => specs[a]);
}
