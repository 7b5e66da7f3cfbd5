/**
 * The registered workflows as plain data: what command lines and pages need to offer and check
 * attacks and recipes (names, settings, choices, defaults, documentation) without loading the
 * code that runs them. The build writes it to `dist/assets/workflows.json`.
 */
import { ATTACK_PARAMS, type AttackParamName } from './adversarial/attack-entry.js';
import { ATTACKS } from './adversarial/registry.js';
import { RECIPES } from './recipes/registry.js';
import type { SettingSpec } from './settings.js';

/** {@link workflowCatalog}'s view of one attack. */
export interface AttackInfo {
  /** The attack's one name. */
  readonly name: string;
  /** Short human name. */
  readonly title: string;
  /** One line of documentation. */
  readonly summary: string;
  /** What it sees of the model. */
  readonly access: 'white-box' | 'black-box';
  /** 'budget' (within ε) or 'minimal'. */
  readonly kind: 'budget' | 'minimal';
  /** Norms it works in, its default first. */
  readonly norms: readonly string[];
  /** The settings it takes, with their defaults. */
  readonly defaults: Readonly<Partial<Record<AttackParamName, number | string>>>;
}

/** {@link workflowCatalog}'s view of one recipe. */
export interface RecipeInfo {
  /** The recipe's one name (the model it ships). */
  readonly name: string;
  /** One line of documentation. */
  readonly summary: string;
  /** The data set it trains on. */
  readonly data: string;
  /** Its own settings. */
  readonly settings: Readonly<Record<string, SettingSpec>>;
}

/** Attacks and recipes of the registries, as JSON-ready data. */
export interface WorkflowCatalog {
  /** Every attack, in registry order. */
  readonly attacks: readonly AttackInfo[];
  /** The attack settings' types and meanings. */
  readonly attackParams: Readonly<Record<AttackParamName, SettingSpec>>;
  /** Every recipe, in registry order. */
  readonly recipes: readonly RecipeInfo[];
}

/** The registries ({@link ATTACKS}, {@link RECIPES}) without their code. */
export function workflowCatalog(): WorkflowCatalog {
  return {
    attacks: ATTACKS.map(({ name, title, summary, access, kind, norms, defaults }) => ({
      name,
      title,
      summary,
      access,
      kind,
      norms,
      defaults,
    })),
    attackParams: ATTACK_PARAMS,
    recipes: RECIPES.map(({ name, summary, data, settings }) => ({ name, summary, data, settings })),
  };
}
