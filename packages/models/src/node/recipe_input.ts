/** The data sets of the registered recipes, read from disk (the loader `runRecipe` takes in Node). */
import type { RecipeInputLoader, RecipeInputs } from '../recipes/recipe-entry.js';
import { loadFirstNames, loadMnist, loadSp500Daily, loadSpamAssassin } from './datasets.js';
import { hasPretrained, loadPretrained } from './pretrained.js';

const loaders: { [K in keyof RecipeInputs]: () => Promise<RecipeInputs[K]> | RecipeInputs[K] } = {
  mnist: loadMnist,
  'spam-assassin': loadSpamAssassin,
  'first-names': loadFirstNames,
  'sp500-daily': loadSp500Daily,
  'mnist-classifier': () => (hasPretrained('mnist-cnn') ? loadPretrained('mnist-cnn') : undefined),
};

/** Loads the recipe input `name` from the data set packages (and the shipped models). */
export const loadRecipeInput: RecipeInputLoader = async (name) => loaders[name]();
