/**
 * What the registry knows of a training recipe: its name (the shipped model's), the data it
 * trains on, its own settings with types, choices and defaults, and how to run it. Each recipe
 * file exports its entry; `registry.ts` lists them.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SpamAssassinMessage } from '../data/spam.js';
import type { ImageSplit } from '../data/images.js';
import type { PriceSeries } from '../data/series.js';
import type { SettingSpec, SettingValue } from '../settings.js';
import type { RecipeOptions, RecipeResult } from './types.js';

/** The data sets recipes train on, by name. */
export interface RecipeInputs {
  /** MNIST digits, train and test. */
  mnist: ImageSplit;
  /** The SpamAssassin public corpus. */
  'spam-assassin': readonly SpamAssassinMessage[];
  /** First names. */
  'first-names': Iterable<string>;
  /** Daily S&P 500 closes. */
  'sp500-daily': PriceSeries;
  /** The shipped mnist-cnn, to judge generated digits (undefined when not shipped). */
  'mnist-classifier': tfl.LayersModel | undefined;
}

/** Loads one of the {@link RecipeInputs} (Node: `loadRecipeInput` of `@lanes/models/node`). */
export type RecipeInputLoader = <K extends keyof RecipeInputs>(name: K) => Promise<RecipeInputs[K]>;

/** What every recipe run takes: the shared options, and the recipe's own settings by name. */
export interface RecipeRunOptions extends RecipeOptions {
  /** Values of the recipe's {@link RecipeEntry.settings}, already checked. */
  readonly settings?: Readonly<Record<string, SettingValue>>;
}

/** A finished run: the recipe's result, metrics that may be text, and notes for MODEL.md. */
export interface RecipeOutcome extends Omit<RecipeResult, 'metrics'> {
  /** Held-out metrics (numbers, and a few descriptions such as sample names). */
  readonly metrics: Record<string, number | string>;
  /**
   * Markdown for MODEL.md after the metrics table (how the metrics were measured), if any, naming
   * the model as `model` (its shipped name or directory) in the commands it quotes.
   */
  readonly note?: (model: string) => string;
}

/** One recipe of the registry. */
export interface RecipeEntry {
  /** The one name of the recipe: the name of the model it ships. */
  readonly name: string;
  /** One line of documentation. */
  readonly summary: string;
  /** The data it trains on. */
  readonly data: keyof RecipeInputs;
  /** Its own settings beyond {@link RecipeOptions}, by name. */
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /** Trains the model. */
  run(load: RecipeInputLoader, options: RecipeRunOptions): Promise<RecipeOutcome>;
}

/** `options.settings[key]` as a number, or undefined. */
export function numberSetting(options: RecipeRunOptions, key: string): number | undefined {
  const v = options.settings?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** `options.settings[key]` as a string, or undefined. */
export function stringSetting(options: RecipeRunOptions, key: string): string | undefined {
  const v = options.settings?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** `options.settings[key]` as a boolean (false when absent). */
export function flagSetting(options: RecipeRunOptions, key: string): boolean {
  return options.settings?.[key] === true;
}
