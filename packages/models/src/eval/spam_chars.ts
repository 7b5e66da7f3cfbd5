/** Using a trained character-level spam model: probabilities for texts, and the character at each step. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { encodeEmailChars, spamCharText, type SpamCharEncoding } from '../data/spam_chars.js';
import { requireModelMetadata } from '../models/metadata.js';

/** P(spam) of each text (raw e-mails or plain text), using the encoding stored in the model. */
export async function classifyEmailChars(model: tfl.LayersModel, texts: readonly string[]): Promise<Float32Array> {
  const { encoding } = requireModelMetadata(model, 'spam-char-lstm');
  const x = new Float32Array(texts.length * encoding.maxChars);
  texts.forEach((t, i) => x.set(encodeEmailChars(encoding, t), i * encoding.maxChars));
  const input = tf.tensor2d(x, [texts.length, encoding.maxChars]);
  const out = tf.tidy(() => model.predict(input) as tf.Tensor);
  const p = Float32Array.from(await out.data());
  tf.dispose([input, out]);
  return p;
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
