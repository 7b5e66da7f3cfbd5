/**
 * What the registry knows of an attack: its name, what it sees of the model, its settings with
 * their types, choices and defaults, and how to run it. Each attack file exports its entry;
 * `registry.ts` lists them.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BlackBoxModel, WhiteBoxModel } from './model.js';
import type { SettingSpec } from '../settings.js';
import type { AttackResult, Labels, Norm } from './types.js';

/** The settings an attack may take; each attack takes some of them (see {@link AttackEntry.defaults}). */
export interface AttackParams {
  /** Perturbation budget (budget attacks). */
  eps: number;
  /** The norm that bounds or measures the perturbation. */
  norm: Norm;
  /** Iterations: gradient steps (BIM, PGD, MI-FGSM), Adam iterations per constant (C&W), or DeepFool steps. */
  steps: number;
  /** PGD random restarts. */
  restarts: number;
  /** C&W binary-search steps over the trade-off constant. */
  binarySearchSteps: number;
  /** Query budget per example (black-box attacks). */
  maxQueries: number;
}

/** The name of one setting. */
export type AttackParamName = keyof AttackParams;

/** Every norm an attack of this package can bound or measure with. */
export const ATTACK_NORMS: readonly Norm[] = ['linf', 'l2'];

/** The settings' types and meanings (each attack's own choices of `norm` are {@link AttackEntry.norms}). */
export const ATTACK_PARAMS: { readonly [K in AttackParamName]: SettingSpec } = {
  eps: { type: 'number', min: 0, description: 'perturbation budget (budget attacks)' },
  norm: { type: 'choice', choices: ATTACK_NORMS, description: 'norm of the perturbation' },
  steps: { type: 'integer', min: 1, description: 'iterations of iterative attacks' },
  restarts: { type: 'integer', min: 1, description: 'PGD random restarts' },
  binarySearchSteps: { type: 'integer', min: 1, description: 'C&W binary-search steps' },
  maxQueries: { type: 'integer', min: 1, description: 'query budget per example (black-box attacks)' },
};

/** The model as the attacks see it. */
export interface AttackModels {
  /** What white-box attacks differentiate. */
  readonly whiteBox: WhiteBoxModel;
  /** What black-box attacks query. */
  readonly blackBox: BlackBoxModel;
}

/** Settings an entry's `run` receives: its defaults filled in, plus the target labels and seed. */
export type RunParams = Partial<AttackParams> & {
  /** Labels to reach (targeted attack). */
  readonly target?: Labels;
  /** Seed of the attack's random numbers. */
  readonly seed?: number;
};

/** One attack of the registry. */
export interface AttackEntry {
  /** The one name of the attack (command lines, the demo, reports). */
  readonly name: string;
  /** Short human name, e.g. 'PGD'. */
  readonly title: string;
  /** One line of documentation. */
  readonly summary: string;
  /** 'white-box' attacks follow gradients; 'black-box' attacks only query probabilities (or decisions). */
  readonly access: 'white-box' | 'black-box';
  /** 'budget' attacks stay within `eps`; 'minimal' attacks search the smallest perturbation. */
  readonly kind: 'budget' | 'minimal';
  /** Norms it works in (the first is its default); JSMA changes few pixels (L0) and takes none. */
  readonly norms: readonly Norm[];
  /** The settings it takes, with their defaults; settings it does not take are ignored. */
  readonly defaults: Partial<AttackParams>;
  /** Runs the attack with `params` (defaults already filled in). */
  run(models: AttackModels, x: tf.Tensor, labels: Labels, params: RunParams): Promise<AttackResult>;
}
