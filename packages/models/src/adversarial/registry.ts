/**
 * The attack registry: the one list of attacks the CLI, the scripts and the demo offer, and the one
 * dispatcher that runs them. Adding an attack is its file (with its {@link AttackEntry}) and one
 * line in {@link ATTACKS}.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkSetting } from '../settings.js';
import { InvalidInputError } from '../validate.js';
import {
  ATTACK_PARAMS,
  type AttackEntry,
  type AttackModels,
  type AttackParamName,
  type AttackParams,
  type RunParams,
} from './attack-entry.js';
import { bimAttack } from './bim.js';
import { cwL2Attack } from './cw-l2.js';
import { deepFoolAttack } from './deepfool.js';
import { fgsmAttack } from './fgsm.js';
import { hopSkipJumpAttack } from './hop-skip-jump.js';
import { jsmaAttack } from './jsma.js';
import { miFgsmAttack } from './mi-fgsm.js';
import { softmaxOf, type WhiteBoxModel } from './model.js';
import { pgdAttack } from './pgd.js';
import { simbaAttack } from './simba.js';
import { squareEntry } from './square.js';
import type { AttackResult, Labels, ProbabilityFn } from './types.js';

/** Every attack, in the order UIs list them. */
export const ATTACKS: readonly AttackEntry[] = [
  fgsmAttack,
  bimAttack,
  pgdAttack,
  miFgsmAttack,
  cwL2Attack,
  deepFoolAttack,
  jsmaAttack,
  simbaAttack,
  squareEntry,
  hopSkipJumpAttack,
];

/** The names of {@link ATTACKS}. */
export const ATTACK_NAMES: readonly string[] = ATTACKS.map((a) => a.name);

/** The registry entry called `name`; an {@link InvalidInputError} naming the known ones otherwise. */
export function attackEntry(name: string): AttackEntry {
  const entry = ATTACKS.find((a) => a.name === name);
  if (!entry) throw new InvalidInputError(`unknown attack '${name}': choose one of ${ATTACK_NAMES.join(', ')}`);
  return entry;
}

/** A model with the oracle black-box attacks query instead of it (e.g. to count or show queries). */
export interface AttackOracleTarget {
  /** What white-box attacks differentiate. */
  readonly model: WhiteBoxModel;
  /** What black-box attacks query. */
  readonly oracle: ProbabilityFn;
}

/** The attacked model: a layers model or a logits function, or one with an oracle ({@link AttackOracleTarget}). */
export type AttackTarget = WhiteBoxModel | AttackOracleTarget;

/**
 * The settings attack `name` runs with: its defaults overridden by `settings` (settings it does
 * not take are dropped, except a norm it cannot work in). Checks each value against its type and choices, and `norm` against the
 * attack's norms; throws an {@link InvalidInputError} saying what is allowed.
 */
export function attackParams(name: string, settings: Partial<AttackParams> = {}): Partial<AttackParams> {
  const given = { ...settings };
  const entry = attackEntry(name);
  const out: Partial<Record<AttackParamName, number | string>> = { ...entry.defaults };
  // A norm is never dropped: running another norm than the one asked for would mislead.
  const keys = Object.keys(entry.defaults) as AttackParamName[];
  if (given.norm !== undefined && !keys.includes('norm')) {
    if (entry.norms.includes(given.norm)) delete given.norm;
    else if (!entry.norms.length)
      throw new InvalidInputError(`${name} takes no norm (it changes few pixels, L0), got '${String(given.norm)}'`);
    else keys.push('norm');
  }
  for (const key of keys) {
    const value = given[key];
    if (value === undefined) continue;
    const spec = key === 'norm' ? { ...ATTACK_PARAMS.norm, choices: entry.norms } : ATTACK_PARAMS[key];
    const checked = checkSetting(name, key, spec, value) as number | string;
    if (key in entry.defaults) out[key] = checked;
  }
  return out as Partial<AttackParams>;
}

/**
 * Runs attack `name` of the registry on `x` (true `labels`), the one dispatcher every front end
 * uses. White-box attacks differentiate the model; black-box attacks query `oracle` when given
 * (e.g. to count or log queries), else the model's probabilities.
 */
export async function runAttack(
  name: string,
  target: AttackTarget,
  x: tf.Tensor,
  labels: Labels,
  params: Partial<AttackParams> & Pick<RunParams, 'target' | 'seed'> = {},
): Promise<AttackResult> {
  const entry = attackEntry(name);
  const settings = attackParams(name, params);
  const model = isWhiteBox(target) ? target : target.model;
  const models: AttackModels = {
    whiteBox: model,
    blackBox: !isWhiteBox(target) ? target.oracle : model instanceof tfl.LayersModel ? model : softmaxOf(model),
  };
  return entry.run(models, x, labels, { ...settings, target: params.target, seed: params.seed });
}

function isWhiteBox(t: AttackTarget): t is WhiteBoxModel {
  return t instanceof tfl.LayersModel || typeof t === 'function';
}
