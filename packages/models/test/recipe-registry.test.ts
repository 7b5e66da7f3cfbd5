// The recipe registry: the one list of trainable models under their shipped names, settings
// checked against their declarations, and the catalog the CLI reads without loading tfjs.
import { describe, expect, it } from 'vitest';
import {
  ATTACK_NAMES,
  PRETRAINED_NAMES,
  RECIPE_NAMES,
  RECIPES,
  recipeSettings,
  runRecipe,
  workflowCatalog,
  type RecipeInputLoader,
} from '../src/index.js';

describe('recipe registry', () => {
  it('names every shipped model once, and each setting is typed and documented', () => {
    expect(new Set(RECIPE_NAMES).size).toBe(RECIPES.length);
    expect([...RECIPE_NAMES].sort()).toEqual([...PRETRAINED_NAMES].sort());
    for (const r of RECIPES) {
      expect(r.summary.length).toBeGreaterThan(10);
      for (const s of Object.values(r.settings)) {
        expect(['number', 'integer', 'choice', 'boolean']).toContain(s.type);
        if (s.type === 'choice') expect(s.choices).toContain(s.default);
        expect(s.description.length).toBeGreaterThan(5);
      }
    }
  });

  it('fills declared defaults and refuses unknown settings and bad values, naming what is allowed', () => {
    expect(recipeSettings('mnist-cnn-robust', { eps: 0.1 })).toEqual({
      method: 'fgsm-rs',
      eps: 0.1,
      architecture: 'fast',
    });
    expect(recipeSettings('mnist-cnn', { batchNorm: true })).toEqual({ batchNorm: true });
    expect(() => recipeSettings('mnist-cnn-robust', { method: 'fgsm' })).toThrow(
      "mnist-cnn-robust: method must be one of fgsm-rs, pgd, got 'fgsm'",
    );
    expect(() => recipeSettings('mnist-cnn-robust', { eps: 2 })).toThrow(
      'mnist-cnn-robust: eps must be a finite number ≥ 0 and ≤ 1, got 2',
    );
    expect(() => recipeSettings('mnist-dcgan-generator', { loss: 'wgan' })).toThrow(
      "mnist-dcgan-generator: loss must be one of bce, lsgan, hinge, got 'wgan'",
    );
    expect(() => recipeSettings('stocks-gru', { batchNorm: true })).toThrow(
      "stocks-gru has no setting 'batchNorm' (it has none)",
    );
    expect(() => recipeSettings('cnn')).toThrow(/unknown model 'cnn': choose one of mnist-cnn, mnist-cnn-robust/);
  });

  it('runRecipe checks settings before loading any data, and trains with the data its loader gives', async () => {
    const asked: string[] = [];
    const load: RecipeInputLoader = async (name) => {
      asked.push(name);
      throw new Error('no data here');
    };
    await expect(runRecipe('mnist-cnn', load, { settings: { testN: 0 } })).rejects.toThrow(
      'mnist-cnn: testN must be an integer ≥ 1, got 0',
    );
    expect(asked).toEqual([]);
    // A price series of 400 days of a noisy trend: one epoch of the GRU recipe on it.
    let p = 100;
    const prices = Float64Array.from({ length: 400 }, (_, i) => (p *= 1 + 0.001 + 0.01 * Math.sin(i * 1.7)));
    const sp500: RecipeInputLoader = async (name) => {
      asked.push(name);
      return { name: 'toy', dates: [], prices } as never;
    };
    const r = await runRecipe('stocks-gru', sp500, { epochs: 1, seed: 3 });
    expect(asked).toEqual(['sp500-daily']);
    expect(r.run.epochsCompleted).toBe(1);
    expect(Number(r.metrics.testRmse)).toBeGreaterThan(0);
    r.model.dispose();
  });

  it('the catalog carries the registries as JSON (what the CLI reads before loading tfjs)', () => {
    const catalog = JSON.parse(JSON.stringify(workflowCatalog()));
    expect(catalog.attacks.map((a: { name: string }) => a.name)).toEqual(ATTACK_NAMES);
    expect(catalog.recipes.map((r: { name: string }) => r.name)).toEqual(RECIPE_NAMES);
    expect(catalog.recipes[1].settings.method.choices).toEqual(['fgsm-rs', 'pgd']);
    expect(catalog.attackParams.norm.choices).toEqual(['linf', 'l2']);
  });
});
