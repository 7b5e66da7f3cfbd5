import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { lanes, randomFloats } from './helpers.js';
import type { LanesBackend } from '../src/backend.js';

// tfjs-layers models trained step by step on 'cpu' and on 'lanes' from the same weights and data.

function cnn(): tfl.Sequential {
  const seed = (s: number) => tfl.initializers.glorotUniform({ seed: s });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [14, 14, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: seed(1),
      }),
      tfl.layers.batchNormalization(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({
        filters: 12,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: seed(2),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: seed(3) }),
      tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seed(4) }),
    ],
  });
}

function lstmModel(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.lstm({
        inputShape: [12, 5],
        units: 16,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }),
        recurrentInitializer: tfl.initializers.orthogonal({ seed: 6 }),
      }),
      tfl.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }),
      }),
    ],
  });
}

function batch(shape: number[], classes: number, seed: number): { x: Float32Array; y: Float32Array } {
  const n = shape[0];
  const x = randomFloats(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ).map((v) => (v + 1) / 2);
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + (Math.floor((x[i * 7] ?? 0) * 997) % classes)] = 1;
  return { x, y };
}

/** Per-step losses of `steps` SGD-momentum steps on `backend`, starting from `weights`. */
async function train(
  backend: string,
  build: () => tfl.Sequential,
  weights: Float32Array[] | null,
  shape: number[],
  classes: number,
  steps: number,
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = build();
  if (weights) model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  const initial = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'categoricalCrossentropy' });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const { x, y } = batch(shape, classes, 100 + s);
    const xs = tf.tensor(x, shape),
      ys = tf.tensor2d(y, [shape[0], classes]);
    losses.push((await model.trainOnBatch(xs, ys)) as number);
    tf.dispose([xs, ys]);
  }
  model.dispose();
  return { losses, weights: initial };
}

function relErrors(a: number[], b: number[]): number[] {
  return a.map((v, i) => Math.abs(v - b[i]) / Math.max(1e-6, Math.abs(b[i])));
}

describe('tfjs-layers training on lanes equals cpu', () => {
  it('CNN (conv, BatchNorm, max-pool, dense): 20 per-step losses within 1e-4 relative', async () => {
    const ref = await train('cpu', cnn, null, [16, 14, 14, 1], 10, 20);
    const got = await train('lanes', cnn, ref.weights, [16, 14, 14, 1], 10, 20);
    expect(ref.losses[19]).toBeLessThan(ref.losses[0]); // it does learn
    expect(Math.max(...relErrors(got.losses, ref.losses))).toBeLessThan(1e-4);
  });

  it('LSTM: 20 per-step losses within 1e-4 relative', async () => {
    const ref = await train('cpu', lstmModel, null, [8, 12, 5], 3, 20);
    const got = await train('lanes', lstmModel, ref.weights, [8, 12, 5], 3, 20);
    expect(Math.max(...relErrors(got.losses, ref.losses))).toBeLessThan(1e-4);
  });
});

describe('memory over a long training run', () => {
  it('200 CNN steps leave numTensors, numBytes and the backend bytes unchanged after warm-up', async () => {
    const backend = await lanes();
    const model = cnn();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const shape = [16, 14, 14, 1];
    const step = async (s: number) => {
      const { x, y } = batch(shape, 10, s);
      const xs = tf.tensor(x, shape),
        ys = tf.tensor2d(y, [16, 10]);
      await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
    };
    for (let s = 0; s < 10; s++) await step(s);
    const snapshot = () => {
      const m = tf.memory();
      return {
        numTensors: m.numTensors,
        numBytes: m.numBytes,
        wasmBytes: (backend as LanesBackend).memory().numBytesInWasm,
      };
    };
    const warm = snapshot();
    for (let s = 10; s < 210; s++) await step(s);
    expect(snapshot()).toEqual(warm);
    model.dispose();
  });
});
