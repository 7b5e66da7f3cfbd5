// The one training loop (runEpochs) under trainModel and GanTrainer.fit, the one event-loop
// yielder, and the one seeded generator.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildDcganDiscriminator,
  buildDcganGenerator,
  columnDataset,
  GanTrainer,
  Rng,
  balancedSample,
  takeImages,
  trainModel,
  yieldToEventLoop,
} from '../src/index.js';
import { runEpochs } from '../src/train/driver.js';
import { randomInBall } from '../src/adversarial/random.js';
import { mnistOnce } from './helpers.js';

/** A clock the test moves: `performance.now()` reads it. */
function fakeClock(): { advance(ms: number): void } {
  let now = 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return { advance: (ms) => void (now += ms) };
}
afterEach(() => vi.restoreAllMocks());

describe('runEpochs', () => {
  it('records a time-limited last epoch (weighted means) without counting it as completed', async () => {
    const clock = fakeClock();
    const ends: number[] = [];
    const run = await runEpochs(
      { epochs: 5, batches: 2, timeLimitMs: 25, onEpochEnd: (p) => void ends.push(p.epoch) },
      {
        // Batches of 3 and 1 samples: the epoch mean weighs them by size.
        batchesOf: () => [Int32Array.of(0, 1, 2), Int32Array.of(3)],
        step: async (idx) => {
          clock.advance(10);
          return { loss: idx.length === 3 ? 1 : 5 };
        },
        endEpoch: async (_epoch, means) => ({ logs: { ...means, extra: 7 } }),
      },
    );
    // Batches end at 10, 20 (epoch 0 complete), 30 ≥ 25: the limit cuts epoch 1 after its first batch.
    expect(run.stopReason).toBe('time-limit');
    expect(run.steps.length).toBe(3);
    expect(run.epochsCompleted).toBe(1);
    expect(run.history).toEqual([
      { loss: (3 * 1 + 1 * 5) / 4, extra: 7 },
      { loss: 1, extra: 7 },
    ]);
    expect(ends).toEqual([0, 1]);
  });

  it('stops on the early-stopping answer of endEpoch and drops an aborted epoch', async () => {
    const run = await runEpochs(
      { epochs: 5, batches: 1 },
      {
        batchesOf: () => [Int32Array.of(0)],
        step: async () => ({ loss: 1 }),
        endEpoch: async (epoch, logs) => ({ logs, stop: epoch === 1 ? 'early-stopping' : undefined }),
      },
    );
    expect([run.stopReason, run.epochsCompleted, run.history.length]).toEqual(['early-stopping', 2, 2]);
    const controller = new AbortController();
    const aborted = await runEpochs(
      { epochs: 3, batches: 2, signal: controller.signal },
      {
        batchesOf: () => [Int32Array.of(0), Int32Array.of(1)],
        step: async (_idx, epoch) => {
          if (epoch === 1) controller.abort();
          return { loss: 1 };
        },
        endEpoch: async (_epoch, logs) => ({ logs }),
      },
    );
    expect([aborted.stopReason, aborted.epochsCompleted, aborted.history.length, aborted.steps.length]).toEqual([
      'aborted',
      1,
      1,
      3,
    ]);
  });
});

describe('trainModel and GanTrainer.fit agree on partial epochs', () => {
  it('both keep the cut epoch in history and count only full epochs', async () => {
    const clock = fakeClock();
    const tick = { onBatchEnd: () => clock.advance(10), timeLimitMs: 15 };
    // 32 samples in batches of 16: two batches an epoch for both trainers; the limit hits in epoch 1.
    const rng = new Rng(0);
    const x = rng.normals(64);
    const y = Float32Array.from({ length: 32 }, (_, i) => (x[2 * i] > 0 ? 1 : 0));
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'binaryCrossentropy' });
    const data = columnDataset({ values: x, sampleShape: [2] }, { values: y, sampleShape: [1] });
    const cnn = await trainModel(model, data, { epochs: 10, batchSize: 16, ...tick });

    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const trainer = new GanTrainer(
      buildDcganGenerator({ latentDim: 8, filters: 4, seed: 1 }),
      buildDcganDiscriminator({ filters: 4, seed: 2 }),
      { seed: 3 },
    );
    const gan = await trainer.fit(images, { epochs: 10, batchSize: 16, ...tick });
    trainer.dispose();

    for (const r of [cnn, gan]) {
      expect(r.stopReason).toBe('time-limit');
      expect(r.epochsCompleted).toBe(1);
      expect(r.history.length).toBe(2);
    }
    expect(cnn.batchLosses.length).toBe(3);
    expect(gan.steps.length).toBe(3);
    // The cut epoch's logs are its one batch's.
    expect(cnn.history[1]['loss']).toBeCloseTo(cnn.batchLosses[2], 6);
    expect(gan.history[1]['dLoss']).toBeCloseTo(gan.steps[2]['dLoss'], 6);
  });
});

describe('yieldToEventLoop', () => {
  it('lets queued macrotasks run, and with everyMs skips yields inside the window', async () => {
    await yieldToEventLoop();
    let ran = 0;
    setImmediate(() => ran++);
    await yieldToEventLoop(60_000); // yielded a moment ago: resolves without yielding
    expect(ran).toBe(0);
    await yieldToEventLoop();
    expect(ran).toBe(1);
  });
});

describe('Rng', () => {
  /** mulberry32 as published, the stream every seeded recipe and test of this package was made with. */
  function mulberry32(seed: number): () => number {
    let s = (seed ^ 0x9e3779b9) >>> 0;
    return () => {
      let t = (s = (s + 0x6d2b79f5) >>> 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('draws the mulberry32 stream, Box–Muller normals from u = next() and uniforms in [lo, hi)', () => {
    for (const seed of [0, 7, -3, 2 ** 31 + 5]) {
      const ref = mulberry32(seed);
      const rng = new Rng(seed);
      for (let i = 0; i < 200; i++) expect(rng.next()).toBe(ref());
      const u1 = ref(),
        u2 = ref();
      expect(rng.normal()).toBe(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      const u = rng.uniforms(1000, -0.3, 0.3);
      expect(Math.min(...u)).toBeGreaterThanOrEqual(-0.3);
      expect(Math.max(...u)).toBeLessThan(0.3);
      expect(u[0]).toBeCloseTo(-0.3 + 0.6 * ref(), 6);
    }
  });

  it('feeds the attacks: L2 balls have radius ≤ ε, L∞ balls coordinates within ε', () => {
    const d = 50;
    const l2 = randomInBall(new Rng(1), 100, d, 'l2', 0.5);
    for (let i = 0; i < 100; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += l2[i * d + j] ** 2;
      expect(Math.sqrt(s)).toBeLessThanOrEqual(0.5 + 1e-6);
    }
    const linf = randomInBall(new Rng(1), 100, d, 'linf', 0.25);
    expect(Math.max(...linf.map(Math.abs))).toBeLessThan(0.25);
    expect(Array.from(randomInBall(new Rng(4), 3, d, 'l2', 1))).toEqual(
      Array.from(randomInBall(new Rng(4), 3, d, 'l2', 1)),
    );
  });
});
