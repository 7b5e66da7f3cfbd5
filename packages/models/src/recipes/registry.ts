/**
 * The recipe registry: the one list of trainable models the CLI (`lanes train`) and the scripts
 * (`scripts/train.mjs`) offer, under the names of the models they ship. Adding a recipe is its
 * file (with its {@link RecipeEntry}) and one line in {@link RECIPES}.
 */
import { mnistCnnRobustRecipe } from '../adversarial/mnist-cnn-robust.js';
import { checkSetting, type SettingValue } from '../settings.js';
import { InvalidInputError } from '../validate.js';
import { mnistCnnRecipe } from './mnist_cnn.js';
import { mnistDcganRecipe } from './mnist_dcgan.js';
import { namesLstmRecipe } from './names_lstm.js';
import type { RecipeEntry, RecipeInputLoader, RecipeOutcome, RecipeRunOptions } from './recipe-entry.js';
import { spamCharLstmRecipe } from './spam_char_lstm.js';
import { spamLstmRecipe } from './spam_lstm.js';
import { stocksGruRecipe } from './stocks_gru.js';

/** Every recipe, in the order UIs list them. */
export const RECIPES: readonly RecipeEntry[] = [
  mnistCnnRecipe,
  mnistCnnRobustRecipe,
  mnistDcganRecipe,
  spamLstmRecipe,
  spamCharLstmRecipe,
  namesLstmRecipe,
  stocksGruRecipe,
];

/** The names of {@link RECIPES}. */
export const RECIPE_NAMES: readonly string[] = RECIPES.map((r) => r.name);

/** The registry entry called `name`; an {@link InvalidInputError} naming the known ones otherwise. */
export function recipeEntry(name: string): RecipeEntry {
  const entry = RECIPES.find((r) => r.name === name);
  if (!entry) throw new InvalidInputError(`unknown model '${name}': choose one of ${RECIPE_NAMES.join(', ')}`);
  return entry;
}

/**
 * Checks `given` settings against recipe `name`'s declarations: an unknown setting, or a value of
 * the wrong type or outside its choices, is an {@link InvalidInputError} saying what is allowed.
 * Returns them with the declared defaults filled in.
 */
export function recipeSettings(
  name: string,
  given: Readonly<Record<string, unknown>> = {},
): Record<string, SettingValue> {
  const entry = recipeEntry(name);
  const out: Record<string, SettingValue> = {};
  for (const [key, spec] of Object.entries(entry.settings)) if (spec.default !== undefined) out[key] = spec.default;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const spec = entry.settings[key];
    if (!spec) {
      const known = Object.keys(entry.settings);
      throw new InvalidInputError(
        `${name} has no setting '${key}' (${known.length ? `its settings: ${known.join(', ')}` : 'it has none'})`,
      );
    }
    out[key] = checkSetting(name, key, spec, value);
  }
  return out;
}

/** Trains recipe `name`, loading its data with `load`; its settings are checked by {@link recipeSettings}. */
export async function runRecipe(
  name: string,
  load: RecipeInputLoader,
  options: RecipeRunOptions = {},
): Promise<RecipeOutcome> {
  const entry = recipeEntry(name);
  return entry.run(load, { ...options, settings: recipeSettings(name, options.settings) });
}
