/**
 * SpamAssassin for a character-level model: the Subject and the start of the decoded body, with
 * whitespace runs folded to one space, one id per character. Case is kept: capitals are evidence
 * ("FREE", "CLICK HERE"), and the lower-cased variant validated worse. Ids: 0 = padding,
 * 1 = a character outside the alphabet ("other"), then the alphabet (the most frequent characters
 * of the training messages). Same seeded split as the word model ({@link splitSpamMessages}).
 */
import { columnDataset, type Dataset } from './dataset.js';
import { emailParts } from './email.js';
import { splitSpamMessages, type SpamAssassinMessage, type SpamDataOptions } from './spam.js';

/** Id of padding (before a text shorter than `maxChars`). */
export const CHAR_PAD_ID = 0;
/** Id of every character outside the alphabet. */
export const CHAR_OTHER_ID = 1;

/** How messages become character ids; stored in the model's metadata so inference matches training. */
export interface SpamCharEncoding {
  /** Characters with ids 2, 3, … (one UTF-16 code unit each). */
  readonly alphabet: string;
  /** Characters per message: longer texts are cut, shorter ones front-padded. */
  readonly maxChars: number;
}

/** Ids an encoding uses (padding + other + alphabet): the embedding's input dimension. */
export function spamCharVocabSize(encoding: SpamCharEncoding): number {
  return encoding.alphabet.length + 2;
}

const ENTITIES: Readonly<Record<string, string>> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The text a character model reads: "subject body" of a raw e-mail (plain text is all body), with
 * common HTML entities decoded, case kept, characters outside the Basic Multilingual Plane
 * (emoji: surrogate pairs) replaced by a space, whitespace runs folded to one space, trimmed, and
 * cut to its first `maxChars` characters. The demo's heatmap has one column per character of it.
 */
export function spamCharText(raw: string, maxChars: number): string {
  const { subject, body } = emailParts(raw);
  const text = `${subject} ${body}`
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (m, e: string) => {
      if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code < 0xd800 ? String.fromCharCode(code) : ' ';
    })
    .replace(/[\ud800-\udfff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, maxChars);
}

/**
 * The `size` most frequent characters of `texts` (ties broken by code unit, so the result does
 * not depend on text order), as an alphabet string.
 */
export function buildCharAlphabet(texts: Iterable<string>, size: number): string {
  const counts = new Map<string, number>();
  for (const t of texts) for (let i = 0; i < t.length; i++) counts.set(t[i], (counts.get(t[i]) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].charCodeAt(0) - b[0].charCodeAt(0))
    .slice(0, Math.max(0, size))
    .map(([c]) => c)
    .join('');
}

/** Ids `[maxChars]` of an already prepared text ({@link spamCharText}), front-padded with 0. */
export function encodeCharText(
  encoding: SpamCharEncoding,
  text: string,
  out = new Int32Array(encoding.maxChars),
): Int32Array {
  const n = Math.min(text.length, encoding.maxChars);
  const pad = encoding.maxChars - n;
  out.fill(CHAR_PAD_ID, 0, pad);
  for (let i = 0; i < n; i++) {
    const k = encoding.alphabet.indexOf(text[i]);
    out[pad + i] = k < 0 ? CHAR_OTHER_ID : k + 2;
  }
  return out;
}

/** Character ids `[maxChars]` of a raw e-mail or plain text. */
export function encodeEmailChars(encoding: SpamCharEncoding, raw: string): Int32Array {
  return encodeCharText(encoding, spamCharText(raw, encoding.maxChars));
}

/** Options of {@link prepareSpamCharData}. */
export interface SpamCharDataOptions extends Pick<SpamDataOptions, 'testFraction' | 'seed' | 'limit'> {
  /** Characters per message (default 400). */
  readonly maxChars?: number;
  /** Characters with their own id (default 90); the rest share the "other" id. */
  readonly alphabetSize?: number;
}

/** Train/test datasets (xs character ids as float32 `[n, maxChars]`, ys `[n, 1]` with 1 = spam). */
export interface SpamCharData {
  /** Training set. */
  readonly train: Dataset;
  /** Held-out set (the same messages as the word model's with the same seed and limit). */
  readonly test: Dataset;
  /** Alphabet (from the training messages only) and length. */
  readonly encoding: SpamCharEncoding;
  /** Share of spam among all messages used. */
  readonly spamShare: number;
  /** Share of training characters outside the alphabet. */
  readonly otherShare: number;
}

/** Prepares, splits (the word model's split) and encodes the corpus at the character level. */
export function prepareSpamCharData(
  messages: readonly SpamAssassinMessage[],
  options: SpamCharDataOptions = {},
): SpamCharData {
  const { pool, poolLabels, split } = splitSpamMessages(messages, options);
  const maxChars = options.maxChars ?? 400;
  const texts = Array.from(pool, (i) => spamCharText(messages[i].text, maxChars));
  const alphabet = buildCharAlphabet(
    Array.from(split.train, (j) => texts[j]),
    options.alphabetSize ?? 90,
  );
  const encoding: SpamCharEncoding = { alphabet, maxChars };
  let chars = 0;
  let other = 0;
  for (const j of split.train) {
    chars += texts[j].length;
    for (const c of texts[j]) if (!alphabet.includes(c)) other++;
  }
  const make = (idx: Int32Array): Dataset => {
    const x = new Float32Array(idx.length * maxChars);
    const row = new Int32Array(maxChars);
    idx.forEach((j, r) => x.set(encodeCharText(encoding, texts[j], row), r * maxChars));
    const y = Float32Array.from(idx, (j) => poolLabels[j]);
    return columnDataset({ values: x, sampleShape: [maxChars] }, { values: y, sampleShape: [1] });
  };
  return {
    train: make(split.train),
    test: make(split.test),
    encoding,
    spamShare: poolLabels.reduce((a, b) => a + b, 0) / pool.length,
    otherShare: chars === 0 ? 0 : other / chars,
  };
}
