/** Using a trained spam model: probabilities for texts, and which token sits at each step. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { emailText, tokenizeWords } from '../data/email.js';
import { encodeEmail, type SpamEncoding } from '../data/spam.js';
import { requireModelMetadata } from '../models/metadata.js';

/** P(spam) of each text (raw e-mails or plain text), using the encoding stored in the model. */
export async function classifyEmails(model: tfl.LayersModel, texts: readonly string[]): Promise<Float32Array> {
  const { encoding } = requireModelMetadata(model, 'spam-lstm');
  return predictEncoded(model, texts, encoding.sequenceLength, (t) => encodeEmail(encoding, t));
}

/** The model's outputs for `texts`, each encoded into a row of `width` ids. */
export async function predictEncoded(
  model: tfl.LayersModel,
  texts: readonly string[],
  width: number,
  encode: (text: string) => ArrayLike<number>,
): Promise<Float32Array> {
  const x = new Float32Array(texts.length * width);
  texts.forEach((t, i) => x.set(encode(t), i * width));
  const input = tf.tensor2d(x, [texts.length, width]);
  const out = tf.tidy(() => model.predict(input) as tf.Tensor);
  const p = Float32Array.from(await out.data());
  tf.dispose([input, out]);
  return p;
}

/**
 * The token at each of the `sequenceLength` input steps ('' for padding; out-of-vocabulary
 * tokens keep their text) — the labels of a per-step gate heatmap.
 */
export function spamInputTokens(encoding: SpamEncoding, text: string): string[] {
  const tokens = tokenizeWords(emailText(text)).slice(0, encoding.sequenceLength);
  return [...new Array<string>(encoding.sequenceLength - tokens.length).fill(''), ...tokens];
}

/** Model input `[1, sequenceLength]` for one text (for {@link traceLstm}). */
export function spamInput(encoding: SpamEncoding, text: string): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(encodeEmail(encoding, text)), [1, encoding.sequenceLength]);
}
