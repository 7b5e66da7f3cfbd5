/**
 * What a saved model needs besides its weights to be used — the vocabulary of the spam model,
 * the alphabets of the names and character spam models, the return scale of the series model — kept inside model.json
 * (`userDefinedMetadata`), so one file carries it to the CLI and the browser.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { NameEncoding } from '../data/names.js';
import type { SeriesEncoding } from '../data/series.js';
import type { SpamEncoding } from '../data/spam.js';
import type { SpamCharEncoding } from '../data/spam_chars.js';

/** Metadata of each shipped model kind. */
export type ModelMetadata =
  | { readonly kind: 'mnist-cnn' }
  | {
      readonly kind: 'mnist-dcgan-generator';
      readonly latentDim: number;
      readonly codes?: number;
      /** When the codes were trained on labels (AC-GAN): the class code c draws, for each c. */
      readonly codeClasses?: readonly string[];
    }
  | { readonly kind: 'spam-lstm'; readonly encoding: SpamEncoding }
  | { readonly kind: 'spam-char-lstm'; readonly encoding: SpamCharEncoding }
  | { readonly kind: 'names-lstm'; readonly encoding: NameEncoding }
  | { readonly kind: 'stocks-gru'; readonly encoding: SeriesEncoding };

/** The model kinds. */
export type ModelKind = ModelMetadata['kind'];

/** Stores `metadata` in the model (saved with it in model.json). */
export function setModelMetadata(model: tfl.LayersModel, metadata: ModelMetadata): void {
  model.setUserDefinedMetadata({ lanes: metadata });
}

/** The metadata stored by {@link setModelMetadata}, or undefined. */
export function getModelMetadata(model: tfl.LayersModel): ModelMetadata | undefined {
  const m = model.getUserDefinedMetadata() as { lanes?: ModelMetadata } | undefined;
  return m?.lanes;
}

/**
 * The latent codes of a generator saved with {@link setModelMetadata}: how many (0 for none or
 * another model) and, when they were trained on labels, the class each draws.
 */
export function generatorCodesOf(model: tfl.LayersModel): {
  readonly codes: number;
  readonly codeClasses?: readonly string[];
} {
  const m = getModelMetadata(model);
  return m?.kind === 'mnist-dcgan-generator' ? { codes: m.codes ?? 0, codeClasses: m.codeClasses } : { codes: 0 };
}

/** The metadata of a model that must be of `kind`. @throws naming what is missing. */
export function requireModelMetadata<K extends ModelKind>(
  model: tfl.LayersModel,
  kind: K,
): Extract<ModelMetadata, { kind: K }> {
  const m = getModelMetadata(model);
  if (!m)
    throw new Error(`model '${model.name}' has no Lanes metadata: expected a ${kind} model saved by @lanes/models`);
  if (m.kind !== kind) throw new Error(`model '${model.name}' is a ${m.kind} model, expected ${kind}`);
  return m as Extract<ModelMetadata, { kind: K }>;
}
