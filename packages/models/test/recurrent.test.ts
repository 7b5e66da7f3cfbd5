import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  buildNamesModel,
  buildSeriesModel,
  classifyEmails,
  evaluateBinaryClassifier,
  evaluateSeriesModel,
  generateNames,
  looksPronounceable,
  nameStatistics,
  nameVocabSize,
  predictNextPrices,
  prepareNamesData,
  prepareSeriesData,
  setModelMetadata,
  spamInput,
  spamInputTokens,
  subset,
  traceLstm,
  trainModel,
  trainSpamLstm,
  trainStocksGru,
  Rng,
} from '../src/index.js';
import { loadFirstNames, loadSp500Daily, loadSpamAssassin } from '../src/node/datasets.js';

describe('spam LSTM on SpamAssassin', () => {
  it('a short training on 1500 messages beats the majority baseline by a wide margin', async () => {
    const t0 = performance.now();
    const result = await trainSpamLstm(loadSpamAssassin(), {
      limit: 1500,
      epochs: 5,
      sequenceLength: 50,
      vocabSize: 2000,
      seed: 1,
      model: { embeddingDim: 16, units: 16 },
    });
    console.log(
      `spam LSTM (short): test accuracy ${(result.metrics.testAccuracy * 100).toFixed(1)} % vs majority ${(result.metrics.majorityBaseline * 100).toFixed(1)} % in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    expect(result.metrics.majorityBaseline).toBeCloseTo(0.686, 2);
    expect(result.metrics.testAccuracy).toBeGreaterThan(0.9);
    const [pSpam, pHam] = await classifyEmails(result.model, [
      'From: Best Deals <offers@cheap-meds.biz>\nSubject: FREE $$$ click here now!!!\n\nLimited offer, click here to claim your FREE money!!! Unsubscribe',
      'From: Alice <alice@example.org>\nSubject: Re: patch for the kernel build\n\nThanks, I applied the patch and rebuilt; the tests pass on my machine.',
    ]);
    expect(pSpam).toBeGreaterThan(pHam);
  });
});

describe('LSTM gate trace', () => {
  it('recomputes the LSTM hidden state the layer itself outputs', async () => {
    const result = await trainSpamLstm(loadSpamAssassin(), {
      limit: 200,
      epochs: 1,
      sequenceLength: 12,
      vocabSize: 300,
      seed: 2,
      model: { embeddingDim: 4, units: 5 },
    });
    const { encoding } = {
      encoding: (
        result.model.getUserDefinedMetadata() as { lanes: { encoding: import('../src/index.js').SpamEncoding } }
      ).lanes.encoding,
    };
    const text = 'Subject: cheap pills\n\nclick here for cheap pills now';
    const x = spamInput(encoding, text);
    const trace = await traceLstm(result.model, x);
    expect([trace.steps, trace.units]).toEqual([12, 5]);
    const lstm = result.model.layers[1];
    const h = tfl
      .model({ inputs: result.model.inputs, outputs: lstm.output as tfl.SymbolicTensor })
      .predict(x) as tf.Tensor;
    const expected = h.dataSync();
    const last = trace.hidden.subarray(11 * 5);
    for (let u = 0; u < 5; u++) expect(last[u]).toBeCloseTo(expected[u], 5);
    for (const g of [trace.inputGate, trace.forgetGate, trace.outputGate])
      expect(g.every((v) => v >= 0 && v <= 1)).toBe(true);
    const tokens = spamInputTokens(encoding, text);
    expect(tokens.length).toBe(12);
    expect(tokens.slice(-3)).toEqual(['cheap', 'pills', 'now']);
    tf.dispose([x, h]);
  });
});

describe('names LSTM', () => {
  it('learns next characters beyond chance and samples reproducible, mostly new, name-like strings', async () => {
    const data = prepareNamesData(loadFirstNames(), { seed: 0, contextLength: 6 });
    const model = buildNamesModel({
      vocabSize: nameVocabSize(data.encoding),
      contextLength: 6,
      units: 32,
      seed: 0,
      learningRate: 0.01,
    });
    const train = subset(data.train, new Rng(0).permutation(data.train.size).subarray(0, 8000));
    const t0 = performance.now();
    const result = await trainModel(model, train, {
      epochs: 2,
      batchSize: 128,
      seed: 0,
      validation: subset(data.test, new Rng(1).permutation(data.test.size).subarray(0, 2000)),
    });
    console.log(
      `names LSTM (short): held-out next-char accuracy ${(result.history[1]['val_acc'] * 100).toFixed(1)} % in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    // 29 classes; always guessing the most frequent next character (the end mark) scores ~14 %.
    expect(result.history[1]['val_acc']).toBeGreaterThan(0.2);
    setModelMetadata(model, { kind: 'names-lstm', encoding: data.encoding });
    const names = await generateNames(model, data.encoding, { count: 50, seed: 5, temperature: 0.8 });
    expect(await generateNames(model, data.encoding, { count: 50, seed: 5, temperature: 0.8 })).toEqual(names);
    expect(names.every((n) => /^[a-z-]{0,15}$/.test(n))).toBe(true);
    const withPrefix = await generateNames(model, data.encoding, { count: 5, seed: 1, prefix: 'Ma' });
    expect(withPrefix.every((n) => n.startsWith('ma'))).toBe(true);
    const stats = nameStatistics(names, data.trainNames, data.testNames);
    console.log(
      `names sample: ${names.slice(0, 10).join(', ')} — novelty ${stats.novelty}, pronounceable ${stats.pronounceable}`,
    );
    expect(stats.count).toBe(50);
    expect(stats.pronounceable).toBeGreaterThan(0.3);
  });

  it('scores novelty and plausibility', () => {
    expect(looksPronounceable('marina')).toBe(true);
    expect(looksPronounceable('anne-marie')).toBe(true);
    expect(looksPronounceable('xkqrt')).toBe(false);
    expect(looksPronounceable('aaa')).toBe(false);
    expect(looksPronounceable('-ann')).toBe(false);
    expect(looksPronounceable('a')).toBe(false);
    const s = nameStatistics(['ann', 'zelda', 'bob', 'xqzt'], ['ann'], ['bob']);
    expect(s).toMatchObject({
      count: 4,
      novelty: 0.75,
      pronounceable: 0.75,
      novelAndPronounceable: 0.5,
      heldOutHits: 0.25,
      uniqueShare: 1,
    });
  });
});

describe('stocks GRU on the S&P 500', () => {
  it('a model predicting zero return scores exactly the last-value baseline', async () => {
    const { prices } = await loadSp500Daily();
    const data = prepareSeriesData(prices, { windowLength: 10 });
    const model = buildSeriesModel({ windowLength: 10, units: 4, seed: 0 });
    model.setWeights(model.getWeights().map((w) => tf.zerosLike(w)));
    const ev = await evaluateSeriesModel(model, data.test, prices, data.encoding);
    expect(ev.rmse).toBeCloseTo(ev.baselineRmse, 8);
    expect(ev.count).toBe(data.test.dataset.size);
    const next = await predictNextPrices(model, prices.subarray(0, 30), data.encoding);
    expect(Number.isNaN(next[9])).toBe(true);
    expect(next[10]).toBeCloseTo(prices[10], 8);
    expect(next[29]).toBeCloseTo(prices[29], 8);
  });

  it('the recipe trains, stops early on validation loss and lands near the baseline', async () => {
    const { prices } = await loadSp500Daily();
    const t0 = performance.now();
    const result = await trainStocksGru(prices, { epochs: 4, windowLength: 10, seed: 0, model: { units: 8 } });
    console.log(
      `stocks GRU (short): rmse ${result.metrics.testRmse.toFixed(2)} vs last value ${result.metrics.lastValueRmse.toFixed(2)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    expect(result.run.epochsCompleted).toBeGreaterThan(0);
    expect(Math.abs(result.metrics.improvement)).toBeLessThan(0.1);
    expect(result.metrics.lastValueRmse).toBeGreaterThan(10);
  });
});

describe('binary evaluation', () => {
  it('counts a confusion matrix for a sigmoid output', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          inputShape: [1],
          units: 1,
          activation: 'sigmoid',
          kernelInitializer: 'ones',
          biasInitializer: 'zeros',
        }),
      ],
    });
    const { columnDataset } = await import('../src/index.js');
    const ds = columnDataset(
      { values: Float32Array.from([-2, -1, 1, 2, 3]), sampleShape: [1] },
      { values: Float32Array.from([0, 1, 1, 1, 0]), sampleShape: [1] },
    );
    const ev = await evaluateBinaryClassifier(model, ds);
    expect(ev.confusion).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(ev.accuracy).toBeCloseTo(0.6, 6);
  });
});
