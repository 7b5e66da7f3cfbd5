import type { AttackSpec } from './evaluate.js';
import type { WhiteBoxModel } from './model.js';
import { Rng } from '../random.js';
import { attackEntry, runAttack } from './registry.js';

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
  // Each suite entry is a registry attack with fixed settings; runAttack dispatches it.
  const spec = (
    attack: string,
    name: string,
    norm: AttackSpec['norm'],
    epsilons: readonly number[],
    params: Parameters<typeof runAttack>[4] = {},
    targets?: (y: Int32Array) => Int32Array,
  ): AttackSpec => ({
    name,
    kind: attackEntry(attack).kind,
    norm,
    epsilons,
    targets,
    run: (x, y, eps, target) => runAttack(attack, model, x, y, { ...params, eps, target }),
  });
  const pgd = { steps, restarts, seed };
  const specs: Record<SuiteAttack, AttackSpec> = {
    fgsm: spec('fgsm', 'FGSM', 'linf', linf),
    bim: spec('bim', 'BIM-10', 'linf', linf, { steps: 10 }),
    pgd: spec('pgd', `PGD-${steps}${restartsName}`, 'linf', linf, pgd),
    'pgd-targeted': spec('pgd', `PGD-${steps}${restartsName}`, 'linf', linf, pgd, randomTargets),
    'mi-fgsm': spec('mi-fgsm', 'MI-FGSM-10', 'linf', linf, { steps: 10 }),
    'pgd-l2': spec('pgd', `PGD-${steps} L2`, 'l2', l2, { ...pgd, norm: 'l2' }),
    'cw-l2': spec('cw-l2', 'C&W L2', 'l2', l2, { binarySearchSteps: bss, steps: iters }),
    deepfool: spec('deepfool', 'DeepFool L2', 'l2', l2),
    jsma: spec('jsma', 'JSMA', 'l0', l0, { seed }, randomTargets),
    simba: spec('simba', 'SimBA', 'linf', linf, { maxQueries, seed }),
    square: spec('square', 'Square', 'linf', linf, { maxQueries, seed }),
    'hop-skip-jump': spec('hop-skip-jump', 'HopSkipJump L2', 'l2', l2, { maxQueries, seed }),
  };
  return (options.attacks ?? SUITE_ATTACKS).map((a) => specs[a]);
}
