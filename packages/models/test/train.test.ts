import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { columnDataset, Rng, seededDropout, trainModel, type BatchProgress, type Dataset } from '../src/index.js';

/** y = 1 when x0 + x1 > 0: linearly separable, 256 samples. */
function toyData(seed = 0, n = 256): Dataset {
  const r = new Rng(seed);
  const x = Float32Array.from({ length: n * 2 }, () => r.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0));
  return columnDataset({ values: x, sampleShape: [2] }, { values: y, sampleShape: [1] });
}

function toyModel(lr = 0.05, seed = 1, dropout = 0): tfl.Sequential {
  const m = tfl.sequential();
  m.add(
    tfl.layers.dense({
      inputShape: [2],
      units: 8,
      activation: 'tanh',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    }),
  );
  if (dropout > 0) m.add(seededDropout(dropout, seed));
  m.add(
    tfl.layers.dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  m.compile({ optimizer: tf.train.adam(lr), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('trainModel', () => {
  it('learns, reports every batch and epoch with consistent counters, and logs validation', async () => {
    const model = toyModel();
    const batches: BatchProgress[] = [];
    const epochs: number[] = [];
    const result = await trainModel(model, toyData(), {
      epochs: 4,
      batchSize: 50,
      validation: toyData(9, 100),
      onBatchEnd: (p) => void batches.push(p),
      onEpochEnd: (p) => void epochs.push(p.epoch),
    });
    expect(result.stopReason).toBe('completed');
    expect(epochs).toEqual([0, 1, 2, 3]);
    expect(batches.length).toBe(4 * 6); // ceil(256 / 50) = 6
    expect(batches.map((b) => b.step)).toEqual([...Array(24).keys()].map((i) => i + 1));
    expect(batches[5]).toMatchObject({ epoch: 0, batch: 5, batches: 6, totalSteps: 24 });
    expect(batches[23].etaMs).toBe(0);
    expect(Object.keys(result.history[0]).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(result.history[3]['val_acc']).toBeGreaterThan(0.9);
    expect(result.history[3]['loss']).toBeLessThan(result.history[0]['loss']);
    expect(result.batchLosses.length).toBe(24);
  });

  it('is reproducible: same seed, same weights (dropout included); another seed differs', async () => {
    const run = async (seed: number) => {
      const m = toyModel(0.05, 1, 0.5);
      await trainModel(m, toyData(), { epochs: 2, batchSize: 32, seed });
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return w.flat();
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('stops early when the monitored value stops improving and restores the best weights', async () => {
    const model = toyModel(0); // learning rate 0: nothing improves after the first epoch
    const result = await trainModel(model, toyData(), {
      epochs: 20,
      batchSize: 64,
      validation: toyData(9, 64),
      earlyStopping: { patience: 2 },
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochsCompleted).toBe(3);
    expect(result.bestEpoch).toBe(0);
  });

  it('restores the weights of the best epoch', async () => {
    const model = toyModel(0.05);
    const snapshots: number[][] = [];
    const result = await trainModel(model, toyData(), {
      epochs: 6,
      batchSize: 64,
      validation: toyData(9, 64),
      // Wreck the model after epoch 2 with a huge learning rate.
      learningRate: (e) => (e < 3 ? 0.05 : 50),
      earlyStopping: { monitor: 'val_loss', patience: 10, restoreBestWeights: true },
      onEpochEnd: () => void snapshots.push(model.getWeights().flatMap((t) => Array.from(t.dataSync()))),
    });
    expect(result.epochsCompleted).toBe(6);
    const losses = result.history.map((h) => h['val_loss']);
    expect(result.bestEpoch).toBe(losses.indexOf(Math.min(...losses)));
    expect(result.bestEpoch).toBeLessThan(5);
    expect(model.getWeights().flatMap((t) => Array.from(t.dataSync()))).toEqual(snapshots[result.bestEpoch]);
    expect(snapshots[5]).not.toEqual(snapshots[result.bestEpoch]);
  });

  it('stops after the current batch when aborted', async () => {
    const model = toyModel();
    const ctl = new AbortController();
    const result = await trainModel(model, toyData(), {
      epochs: 5,
      batchSize: 16,
      signal: ctl.signal,
      onBatchEnd: (p) => {
        if (p.step === 3) ctl.abort();
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.batchLosses.length).toBe(3);
    expect(result.epochsCompleted).toBe(0);
  });

  it('sees an abort from a timer while training (the loop yields to the event loop)', async () => {
    const model = toyModel();
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 0);
    const result = await trainModel(model, toyData(0, 4096), { epochs: 50, batchSize: 8, signal: ctl.signal });
    expect(result.stopReason).toBe('aborted');
    expect(result.batchLosses.length).toBeLessThan(50 * 512);
  });

  it('checkpoints every N epochs, and only on improvement when asked', async () => {
    const saves: number[] = [];
    let epoch = -1;
    const target = tf.io.withSaveHandler(async (artifacts) => {
      saves.push(epoch);
      expect(artifacts.weightSpecs?.length).toBe(4);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    });
    await trainModel(toyModel(), toyData(), {
      epochs: 5,
      batchSize: 64,
      checkpoint: { target, everyEpochs: 2 },
      onBatchEnd: (p) => void (epoch = p.epoch),
    });
    expect(saves).toEqual([1, 3]);
    saves.length = 0;
    await trainModel(toyModel(0), toyData(), {
      epochs: 4,
      batchSize: 64,
      validation: toyData(9, 64),
      checkpoint: { target, onlyImproved: true },
      onBatchEnd: (p) => void (epoch = p.epoch),
    });
    expect(saves).toEqual([0]);
  });

  it('sets the learning rate of each epoch on the optimizer', async () => {
    const model = toyModel(0.05);
    const seen: number[] = [];
    await trainModel(model, toyData(), {
      epochs: 3,
      batchSize: 128,
      learningRate: (e) => 0.1 / (e + 1),
      onEpochEnd: () => void seen.push((model.optimizer as unknown as { learningRate: number }).learningRate),
    });
    expect(seen).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('follows a per-batch schedule by progress and stops at the time limit', async () => {
    const progress: number[] = [];
    await trainModel(toyModel(), toyData(), {
      epochs: 2,
      batchSize: 64,
      learningRate: (_epoch, p) => {
        progress.push(p);
        return 0.01 * (1 - p);
      },
    });
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((s) => s / 8));
    const limited = await trainModel(toyModel(), toyData(), { epochs: 100, batchSize: 16, timeLimitMs: 1 });
    expect(limited.stopReason).toBe('time-limit');
    expect(limited.batchLosses.length).toBe(1);
    // The cut epoch is recorded (its one batch) but not counted as completed, as in GanTrainer.fit.
    expect(limited.epochsCompleted).toBe(0);
    expect(limited.history.length).toBe(1);
    expect(limited.history[0]['loss']).toBeCloseTo(limited.batchLosses[0], 6);
  });

  it('rejects an uncompiled model and an empty dataset', async () => {
    const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    await expect(trainModel(m, toyData(), { epochs: 1 })).rejects.toThrow(/compile/);
    await expect(trainModel(toyModel(), toyData(0, 0), { epochs: 1 })).rejects.toThrow(/empty/);
  });
});
