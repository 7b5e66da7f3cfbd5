/** Word vocabularies: most frequent tokens get ids, with 0 = padding and 1 = unknown. */

/** Id of the padding token. */
export const PAD_ID = 0;
/** Id of out-of-vocabulary tokens. */
export const UNKNOWN_ID = 1;

/** A token vocabulary: `tokens[id]` is the token of `id` (ids 0 and 1 are '<pad>' and '<unk>'). */
export interface Vocabulary {
  /** Tokens by id. */
  readonly tokens: readonly string[];
}

const indexes = new WeakMap<Vocabulary, Map<string, number>>();

function indexOf(vocab: Vocabulary): Map<string, number> {
  let index = indexes.get(vocab);
  if (!index) {
    index = new Map(vocab.tokens.map((t, i) => [t, i]));
    indexes.set(vocab, index);
  }
  return index;
}

/**
 * Keeps the `maxSize - 2` most frequent tokens of `documents` (ties broken alphabetically, so the
 * result does not depend on document order).
 */
export function buildVocabulary(documents: Iterable<readonly string[]>, maxSize: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const doc of documents) for (const t of doc) counts.set(t, (counts.get(t) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { tokens: ['<pad>', '<unk>', ...ranked.slice(0, Math.max(0, maxSize - 2)).map(([t]) => t)] };
}

/**
 * Token ids of the first `length` tokens, padded at the front with 0 (so a recurrent layer ends
 * on real tokens).
 */
export function encodeTokens(vocab: Vocabulary, tokens: readonly string[], length: number): Int32Array {
  const index = indexOf(vocab);
  const out = new Int32Array(length);
  const n = Math.min(length, tokens.length);
  for (let i = 0; i < n; i++) out[length - n + i] = index.get(tokens[i]) ?? UNKNOWN_ID;
  return out;
}
