/** Using a trained character-level spam model: probabilities for texts, and the character at each step. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { encodeEmailChars, spamCharText, type SpamCharEncoding } from '../data/spam_chars.js';
import { requireModelMetadata } from '../models/metadata.js';
import { predictEncoded } from './spam.js';

/** P(spam) of each text (raw e-mails or plain text), using the encoding stored in the model. */
export async function classifyEmailChars(model: tfl.LayersModel, texts: readonly string[]): Promise<Float32Array> {
  const { encoding } = requireModelMetadata(model, 'spam-char-lstm');
  return predictEncoded(model, texts, encoding.maxChars, (t) => encodeEmailChars(encoding, t));
}

/**
 * The character at each of the `maxChars` input steps ('' for padding) — the labels of a
 * per-character gate heatmap. The non-empty entries spell {@link spamCharText}.
 */
export function spamInputChars(encoding: SpamCharEncoding, text: string): string[] {
  const chars = [...spamCharText(text, encoding.maxChars)];
  return [...new Array<string>(encoding.maxChars - chars.length).fill(''), ...chars];
}

/** Model input `[1, maxChars]` for one text (for {@link traceLstm}). */
export function spamCharInput(encoding: SpamCharEncoding, text: string): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(encodeEmailChars(encoding, text)), [1, encoding.maxChars]);
}
