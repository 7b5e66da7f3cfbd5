import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  buildCharAlphabet,
  CHAR_OTHER_ID,
  ClippedAdamOptimizer,
  classifyEmailChars,
  emailParts,
  encodeCharText,
  encodeEmailChars,
  prepareSpamCharData,
  prepareSpamData,
  spamCharInput,
  spamCharText,
  spamCharVocabSize,
  spamInputChars,
  splitSpamMessages,
  traceLstm,
  trainSpamCharLstm,
  wholeBatch,
  type SpamCharEncoding,
} from '../src/index.js';
import { loadSpamAssassin } from '../src/node/datasets.js';

describe('character-level e-mail text', () => {
  const raw =
    'Return-Path: <a@b.c>\nFrom: Deals <deals@win.biz>\nSubject: FREE  Money!!\n\n<html>Click&nbsp;HERE\n\n  <b>n=\now</b> =3D &#65;&#x42; 100%</html>\n';
  it('splits From, Subject and the decoded body', () => {
    const parts = emailParts(raw);
    expect(parts.from).toBe('Deals <deals@win.biz>');
    expect(parts.subject).toBe('FREE  Money!!');
    expect(parts.body.replace(/\s+/g, ' ').trim()).toBe('Click&nbsp;HERE now = &#65;&#x42; 100%');
    expect(emailParts('typed\n\ntext')).toEqual({ from: '', subject: '', body: 'typed\n\ntext' });
  });
  it('reads "subject body": entities decoded, case kept, whitespace folded, cut to maxChars', () => {
    const text = spamCharText(raw, 400);
    expect(text).toBe('FREE Money!! Click HERE now = AB 100%');
    expect(text.length).toBe(37);
    expect(spamCharText(raw, 10)).toBe('FREE Money');
    expect(spamCharText('  Hello\tWORLD\r\n', 400)).toBe('Hello WORLD'); // no header block: all body
    expect(spamCharText('a\u{1F600}b &bogus; &lt;x&gt;', 400)).toBe('a b &bogus; <x>'); // the emoji is a surrogate pair: one space
    expect(spamCharText('', 400)).toBe('');
  });
  it('ranks characters by frequency (ties by code unit) and front-pads ids; unknown characters are "other"', () => {
    expect(buildCharAlphabet(['abca', 'b!c'], 2)).toBe('ab');
    expect(buildCharAlphabet(['abca', 'b!c'], 10)).toBe('abc!'); // a 2, b 2, c 2, ! 1
    expect(buildCharAlphabet(['zz', 'yx'], 10)).toBe('zxy');
    const enc: SpamCharEncoding = { alphabet: 'ab ', maxChars: 6 };
    expect(spamCharVocabSize(enc)).toBe(5);
    expect([...encodeCharText(enc, 'ab x')]).toEqual([0, 0, 2, 3, 4, CHAR_OTHER_ID]);
    expect([...encodeCharText(enc, 'abababab')]).toEqual([2, 3, 2, 3, 2, 3]); // only the first maxChars
    expect([...encodeEmailChars({ alphabet: 'ab ', maxChars: 4 }, 'Subject: aB\n\nb a')]).toEqual([
      2,
      CHAR_OTHER_ID,
      4,
      3,
    ]); // "aB b a" cut to "aB b"
    expect(spamInputChars(enc, 'A b')).toEqual(['', '', '', 'A', ' ', 'b']);
    expect(spamInputChars(enc, 'abcdefgh')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const x = spamCharInput(enc, 'ba');
    expect(x.shape).toEqual([1, 6]);
    expect([...x.dataSync()]).toEqual([0, 0, 0, 0, 3, 2]);
    x.dispose();
  });
});

describe('SpamAssassin at the character level', () => {
  const corpus = loadSpamAssassin();
  it("uses the word model's split and a training-only alphabet", () => {
    const chars = prepareSpamCharData(corpus, { seed: 0, maxChars: 400 });
    const words = prepareSpamData(corpus, { seed: 0, sequenceLength: 10, vocabSize: 50 });
    expect([chars.train.size, chars.test.size]).toEqual([4837, 1209]);
    expect([words.train.size, words.test.size]).toEqual([4837, 1209]);
    // Same messages in the same order: identical label sequences, and the split itself.
    const labels = (d: { xs: tf.Tensor; ys: tf.Tensor }): number[] => {
      const y = Array.from(d.ys.dataSync());
      tf.dispose([d.xs, d.ys]);
      return y;
    };
    expect(labels(wholeBatch(chars.test))).toEqual(labels(wholeBatch(words.test)));
    const split = splitSpamMessages(corpus, { seed: 0 });
    expect(split.split.test.length).toBe(1209);
    expect(split.poolLabels.reduce((a, b) => a + b, 0)).toBe(1896);
    expect(chars.spamShare).toBeCloseTo(1896 / 6046, 6);
    // The alphabet: 90 characters, space and the common letters first, capitals among them.
    expect(chars.encoding).toEqual({ alphabet: chars.encoding.alphabet, maxChars: 400 });
    expect(chars.encoding.alphabet.length).toBe(90);
    expect(chars.encoding.alphabet.slice(0, 8)).toBe(' etoains');
    expect(new Set(chars.encoding.alphabet).size).toBe(90);
    expect([...'IT/SAREOMNDLPWFBHGUYVJKXZQ'].every((c) => chars.encoding.alphabet.includes(c))).toBe(true);
    expect(chars.otherShare).toBeCloseTo(0.0019036, 6);
    const { xs, ys } = wholeBatch(chars.test);
    expect(xs.shape).toEqual([1209, 400]);
    expect(ys.shape).toEqual([1209, 1]);
    expect([tf.min(xs).dataSync()[0], tf.max(xs).dataSync()[0]]).toEqual([0, 91]);
    // Front padding: a message's ids end at the last step; the first message's ids spell its text.
    const first = tf.slice(xs, [0, 0], [1, 400]);
    const row = first.dataSync();
    first.dispose();
    const text = spamCharText(corpus[split.pool[split.split.test[0]]].text, 400);
    expect(Array.from(row.slice(400 - text.length))).toEqual(
      Array.from(encodeCharText(chars.encoding, text).slice(400 - text.length)),
    );
    expect(Array.from(row.slice(0, 400 - text.length)).every((v) => v === 0)).toBe(true);
    tf.dispose([xs, ys]);
    // Deterministic.
    expect(prepareSpamCharData(corpus, { seed: 0, maxChars: 400 }).encoding.alphabet).toBe(chars.encoding.alphabet);
  });
});

describe('Adam with global-norm clipping', () => {
  it('matches a reference Adam fed gradients rescaled to norm ≤ clipNorm', () => {
    // loss = 5·|x|² → gradient 10·x; start at (3, 4): gradient norm 50, clipped to 1.
    const x = tf.variable(tf.tensor1d([3, 4]));
    const opt = new ClippedAdamOptimizer(2, 1);
    const ref = [3, 4];
    const m = [0, 0];
    const v = [0, 0];
    for (let t = 1; t <= 3; t++) {
      opt.minimize(() => tf.mul(5, tf.sum(tf.square(x))) as tf.Scalar);
      const g = ref.map((r) => 10 * r);
      const norm = Math.hypot(...g);
      const scale = norm > 1 ? 1 / norm : 1;
      for (let i = 0; i < 2; i++) {
        const gi = g[i] * scale;
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        ref[i] -= (2 * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-7);
      }
      const got = x.dataSync();
      expect(got[0]).toBeCloseTo(ref[0], 4); // float32 Adam vs float64 reference
      expect(got[1]).toBeCloseTo(ref[1], 4);
    }
    // An unclipped Adam differs from step 2 on (its moments see the raw 50-norm gradient).
    const y = tf.variable(tf.tensor1d([3, 4]));
    const plain = tf.train.adam(2);
    for (let t = 0; t < 3; t++) plain.minimize(() => tf.mul(5, tf.sum(tf.square(y))) as tf.Scalar);
    expect(Math.abs(y.dataSync()[0] - ref[0])).toBeGreaterThan(0.1);
    tf.dispose([x, y]);
    opt.dispose();
    plain.dispose();
  });
});

describe('character-level spam LSTM', () => {
  const corpus = loadSpamAssassin();
  it('a short training of the recipe on a seeded sample lowers the loss and beats the majority class on held-out messages', async () => {
    const losses: number[] = [];
    const result = await trainSpamCharLstm(corpus, {
      seed: 1,
      limit: 800,
      maxChars: 120,
      alphabetSize: 40,
      epochs: 10,
      model: { embeddingDim: 8, units: 16 },
      onEpochEnd: ({ logs }) => {
        losses.push(logs['loss']);
      },
    });
    const { testAccuracy, majorityBaseline } = result.metrics;
    console.log(
      `char spam LSTM (short): losses ${losses.map((l) => l.toFixed(3)).join(' ')}; test accuracy ${testAccuracy.toFixed(3)} (majority ${majorityBaseline.toFixed(3)})`,
    );
    expect(result.config.testMessages).toBe(160);
    expect(losses.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...losses.slice(1))).toBeLessThan(0.85 * losses[0]);
    expect(testAccuracy).toBeGreaterThan(majorityBaseline + 0.05);
    const [pSpam, pHam] = await classifyEmailChars(result.model, [
      'Subject: FREE $$$ click here now!!!\n\nLimited offer, click here to claim your FREE money!!! Unsubscribe',
      'Subject: Re: patch for the kernel build\n\nThanks, I applied the patch and rebuilt; the tests pass on my machine.',
    ]);
    for (const p of [pSpam, pHam]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('the recipe stores its encoding, and the gate trace has one step per character', async () => {
    const result = await trainSpamCharLstm(corpus, {
      limit: 200,
      epochs: 1,
      maxChars: 30,
      alphabetSize: 20,
      seed: 2,
      model: { embeddingDim: 4, units: 5 },
    });
    const meta = result.model.getUserDefinedMetadata() as { lanes: { kind: string; encoding: SpamCharEncoding } };
    expect(meta.lanes.kind).toBe('spam-char-lstm');
    expect(meta.lanes.encoding.maxChars).toBe(30);
    expect(meta.lanes.encoding.alphabet.length).toBe(20);
    expect(result.config.maxChars).toBe(30);
    expect(result.metrics.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.metrics.majorityBaseline).toBeCloseTo(0.685, 2);
    const text = 'Subject: Hi\n\nwin cash';
    const x = spamCharInput(meta.lanes.encoding, text);
    const trace = await traceLstm(result.model, x);
    x.dispose();
    expect([trace.steps, trace.units]).toEqual([30, 5]);
    const chars = spamInputChars(meta.lanes.encoding, text);
    expect(chars.filter((c) => c !== '').join('')).toBe('Hi win cash');
    for (const g of [trace.inputGate, trace.forgetGate, trace.outputGate])
      expect(g.every((v) => v >= 0 && v <= 1)).toBe(true);
    const [p] = await classifyEmailChars(result.model, [text]);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });
});
