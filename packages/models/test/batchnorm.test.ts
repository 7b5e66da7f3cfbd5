import { describe, expect, it } from 'vitest';
import { balancedSample, headImages, runBatchNormExperiment, takeImages } from '../src/index.js';
import { mnistOnce } from './helpers.js';

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;

describe('BatchNorm experiment', () => {
  it('trains the same CNN with and without BatchNorm on the same batches and returns both curves', async () => {
    const { train, test } = await mnistOnce();
    const seen: number[] = [];
    const result = await runBatchNormExperiment({
      train: takeImages(train, balancedSample(train.labels, 640, 0)),
      test: headImages(test, 200),
      epochs: 1,
      batchSize: 32,
      seed: 0,
      cnn: { filters: [8, 16], kernelSize: 3, dense: 32, dropout: 0 },
      optimizer: { optimizer: 'sgd', learningRate: 0.02 },
      onBatchEnd: (p) => void seen.push(p.step),
    });
    expect(result.aborted).toBe(false);
    expect(seen.length).toBe(20);
    const plain = result.withoutBatchNorm,
      bn = result.withBatchNorm;
    expect(plain.model.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    expect(bn.model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length).toBe(3);
    for (const arm of [plain, bn]) {
      expect(arm.batchLosses.length).toBe(20);
      expect(arm.testAccuracy.length).toBe(1);
      expect(mean(arm.batchLosses.slice(-5))).toBeLessThan(mean(arm.batchLosses.slice(0, 5)));
    }
    console.log(
      `BN experiment: last-5 loss ${mean(plain.batchLosses.slice(-5)).toFixed(3)} without vs ${mean(bn.batchLosses.slice(-5)).toFixed(3)} with BN; test acc ${plain.testAccuracy[0]} vs ${bn.testAccuracy[0]}`,
    );
    // BatchNorm speeds up early SGD training: after 20 steps its loss is lower and its accuracy higher.
    expect(mean(bn.batchLosses.slice(-5))).toBeLessThan(mean(plain.batchLosses.slice(-5)));
    expect(bn.testAccuracy[0]).toBeGreaterThan(plain.testAccuracy[0]);
  });
});
