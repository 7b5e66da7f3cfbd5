/**
 * The attack and recipe registries of `@lanes/models`, read as the JSON its build writes, so that
 * commands offer and check the registry's names and choices without loading tfjs for `--help` or
 * a usage error.
 */
import { createRequire } from 'node:module';
import type { WorkflowCatalog } from '@lanes/models';

/** The registries' data. */
export const CATALOG = createRequire(import.meta.url)('@lanes/models/assets/workflows.json') as WorkflowCatalog;

/** Names of the registered attacks. */
export const ATTACK_NAMES: readonly string[] = CATALOG.attacks.map((a) => a.name);

/** Names of the registered recipes (the shipped models' names). */
export const RECIPE_NAMES: readonly string[] = CATALOG.recipes.map((r) => r.name);

/** `camelCase` → `--kebab-case`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
