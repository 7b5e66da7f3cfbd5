import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  buildVocabulary,
  emailText,
  encodeEmail,
  encodeNameContext,
  encodeTokens,
  isSpamGroup,
  logReturns,
  NAME_BOUNDARY_ID,
  normalizeNames,
  parseSp500Daily,
  parseStocksMonthly,
  prepareNamesData,
  prepareSeriesData,
  prepareSpamData,
  encodeSeriesWindow,
  tokenizeWords,
  wholeBatch,
} from '../src/index.js';
import { loadFirstNames, loadSp500Daily, loadSpamAssassin, loadStocksMonthly } from '../src/node/datasets.js';

describe('e-mail text', () => {
  const raw =
    'Return-Path: <a@b.c>\nFrom: Deals <deals@win.biz>\nSubject: Cheap $$$ now!\n\n<html><b>Buy</b> n=\now =3D 100%</html>\n';
  it('keeps From, Subject and the decoded body without tags', () => {
    expect(emailText(raw).replace(/\s+/g, ' ').trim()).toBe('Deals <deals@win.biz> Cheap $$$ now! Buy now = 100%');
    expect(emailText('just typed text')).toBe('just typed text');
  });
  it('tokenizes into lower-case words, numbers, $ and !', () => {
    expect(tokenizeWords(emailText(raw))).toEqual([
      'deals',
      'deals',
      'win',
      'biz',
      'cheap',
      '$',
      '$',
      '$',
      'now',
      '!',
      'buy',
      'now',
      '100',
    ]);
  });
  it('builds a frequency-ranked vocabulary and front-pads encodings', () => {
    const v = buildVocabulary(
      [
        ['b', 'a', 'b'],
        ['c', 'a', 'b'],
      ],
      4,
    );
    expect(v.tokens).toEqual(['<pad>', '<unk>', 'b', 'a']);
    expect([...encodeTokens(v, ['a', 'zzz', 'b'], 5)]).toEqual([0, 0, 3, 1, 2]);
    expect([...encodeTokens(v, ['a', 'b', 'a', 'b'], 2)]).toEqual([3, 2]);
  });
});

describe('SpamAssassin corpus', () => {
  const corpus = loadSpamAssassin();
  it('has 6046 messages, 1896 of them spam', () => {
    expect(corpus.length).toBe(6046);
    expect(corpus.filter((m) => isSpamGroup(m.group)).length).toBe(1896);
  });
  it('prepares stratified, seeded datasets with a training-only vocabulary', () => {
    const data = prepareSpamData(corpus, { limit: 1000, sequenceLength: 30, vocabSize: 500, seed: 3 });
    expect(data.train.size + data.test.size).toBeGreaterThanOrEqual(998);
    expect(data.test.size).toBeCloseTo(200, -1);
    expect(data.encoding.vocabulary.tokens.length).toBe(500);
    expect(data.spamShare).toBeCloseTo(1896 / 6046, 2);
    const { xs, ys } = wholeBatch(data.test);
    expect(xs.shape).toEqual([data.test.size, 30]);
    expect(ys.shape).toEqual([data.test.size, 1]);
    const labels = Array.from(ys.dataSync());
    const spamShare = labels.reduce((a, b) => a + b, 0) / labels.length;
    expect(Math.abs(spamShare - 1896 / 6046)).toBeLessThan(0.01);
    expect(tf.max(xs).dataSync()[0]).toBeLessThan(500);
    tf.dispose([xs, ys]);
    expect(
      prepareSpamData(corpus, { limit: 1000, sequenceLength: 30, vocabSize: 500, seed: 3 }).encoding.vocabulary.tokens,
    ).toEqual(data.encoding.vocabulary.tokens);
    expect(encodeEmail(data.encoding, 'FREE money!!! click now').length).toBe(30);
  });
});

describe('first names', () => {
  it('normalises the two lists into 8422 distinct lower-case names', () => {
    const names = normalizeNames(loadFirstNames());
    expect(names.length).toBe(8422);
    expect(names).toContain('anne-marie');
    expect(names.every((n) => /^[a-z-]+$/.test(n))).toBe(true);
  });
  it('makes one next-character sample per character plus the end mark', () => {
    const data = prepareNamesData(['Ann', 'bo', 'Ann'], { contextLength: 4, testFraction: 0, seed: 0 });
    expect([...data.trainNames].sort()).toEqual(['ann', 'bo']);
    expect(data.train.size).toBe(4 + 3);
    const ctx = encodeNameContext(data.encoding, 'ann');
    // boundary, a, n, n → ids 1, 2, 15, 15
    expect([...ctx]).toEqual([NAME_BOUNDARY_ID, 2, 15, 15]);
    expect([...encodeNameContext(data.encoding, '')]).toEqual([0, 0, 0, NAME_BOUNDARY_ID]);
    expect([...encodeNameContext(data.encoding, 'abcdef')]).toEqual([4, 5, 6, 7]);
  });
});

describe('price series', () => {
  it('parses the vega-datasets CSVs', async () => {
    const sp = await loadSp500Daily();
    expect(sp.prices.length).toBe(5105);
    expect(sp.dates[0]).toBe('2000-01-03');
    expect(sp.prices[0]).toBeCloseTo(1455.22, 2);
    const stocks = await loadStocksMonthly();
    expect(stocks.map((s) => s.name)).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
    expect(parseSp500Daily('date,close\nd1,1\nd2,2').prices).toEqual(Float64Array.from([1, 2]));
    expect(parseStocksMonthly('symbol,date,price\nA,x,1\nB,x,2\nA,y,3')[0].prices).toEqual(Float64Array.from([1, 3]));
  });
  it('windows log returns chronologically with the scale of the training part', () => {
    const prices = Float64Array.from({ length: 60 }, (_, i) => 100 * Math.exp(0.01 * Math.sin(i)));
    const data = prepareSeriesData(prices, { windowLength: 5, testFraction: 0.2, validationFraction: 0.1 });
    const r = logReturns(prices);
    expect(data.train.dataset.size + data.validation.dataset.size + data.test.dataset.size).toBe(r.length - 5);
    expect(data.test.dataset.size).toBe(Math.round(54 * 0.2));
    const { xs, ys } = data.test.dataset.batch([0]);
    const last = data.test.lastPriceIndex[0];
    const x = xs.dataSync();
    expect(x[4]).toBeCloseTo(Math.log(prices[last] / prices[last - 1]) / data.encoding.returnScale, 5);
    expect(ys.dataSync()[0]).toBeCloseTo(Math.log(prices[last + 1] / prices[last]) / data.encoding.returnScale, 5);
    expect([...encodeSeriesWindow(data.encoding, prices, last)].map((v) => Math.fround(v))).toEqual([...x]);
    tf.dispose([xs, ys]);
    // Validation and test windows come strictly after the training ones.
    expect(data.validation.lastPriceIndex[0]).toBeGreaterThan(
      data.train.lastPriceIndex[data.train.lastPriceIndex.length - 1],
    );
    expect(data.test.lastPriceIndex[0]).toBeGreaterThan(
      data.validation.lastPriceIndex[data.validation.lastPriceIndex.length - 1],
    );
  });
});
