import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  balancedSample,
  buildCnn,
  compileClassifier,
  evaluateClassifier,
  getModelMetadata,
  headImages,
  imageDataset,
  penultimateFeatures,
  subset,
  trainMnistCnn,
  trainModel,
} from '../src/index.js';
import { mnistOnce } from './helpers.js';

const small = { filters: [16, 32], kernelSize: 3, dense: 64, dropout: 0.1 } as const;

describe('CNN on real MNIST', () => {
  it('a small CNN trained on 2000 digits classifies 1000 test digits with > 92 % accuracy', async () => {
    const { train, test } = await mnistOnce();
    const model = buildCnn({ ...small, seed: 1 });
    compileClassifier(model, { learningRate: 0.002 });
    const data = subset(imageDataset(train), balancedSample(train.labels, 2000, 1));
    const t0 = performance.now();
    const result = await trainModel(model, data, { epochs: 3, batchSize: 32, seed: 1 });
    const ev = await evaluateClassifier(model, headImages(test, 1000));
    console.log(
      `small CNN: ${(ev.accuracy * 100).toFixed(1)} % after ${result.epochsCompleted} epochs in ${((performance.now() - t0) / 1000).toFixed(0)} s on ${tf.getBackend()}`,
    );
    expect(result.stopReason).toBe('completed');
    expect(result.history[2]['loss']).toBeLessThan(result.history[0]['loss']);
    expect(ev.accuracy).toBeGreaterThan(0.92);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1000);
    expect(ev.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(
      ev.perClassAccuracy.map((_, c) => ev.labels.filter((l) => l === c).length),
    );
    expect(penultimateFeatures(model).outputs[0].shape).toEqual([null, 64]);
    model.dispose();
  });

  it('the mnist-cnn recipe trains on a subset, validates, and reports test accuracy', async () => {
    const mnist = await mnistOnce();
    const epochs: number[] = [];
    const result = await trainMnistCnn(mnist, {
      limit: 1500,
      epochs: 2,
      seed: 0,
      validationSize: 300,
      architecture: { filters: [16, 32], kernelSize: 3, dense: 64, dropout: 0.1 },
      onEpochEnd: (p) => void epochs.push(p.logs['val_acc']),
    });
    expect(epochs.length).toBe(2);
    expect(result.config.trainImages).toBe(1200);
    expect(result.metrics.validationAccuracy).toBe(epochs[1]);
    expect(result.metrics.testAccuracy).toBeGreaterThan(0.85);
    expect(getModelMetadata(result.model)).toEqual({ kind: 'mnist-cnn' });
    expect(result.model.outputs[0].shape).toEqual([null, 10]);
  });
});
