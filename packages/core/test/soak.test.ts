// Soak: many training steps of a CNN, a small GAN (generator + discriminator) and an LSTM on
// 'lanes', with the batch size (and the LSTM's sequence length) changing from step to step — the
// pattern that leaves other wasm backends with growing memory or stale views. After a warm-up that
// meets every shape, the number of tensors must stay constant, and the backend's bytes and its
// wasm memory within 1.2× of the warm-up value. CI: 150 steps each; pnpm test:deep: 2 000.
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '../src/index.js';
import { lstm } from '../src/index.js';
import type { LanesBackend } from '../src/backend.js';
import { DEEP, floats } from './prop_harness.js';

const STEPS = DEEP ? 2000 : 150;
const WARMUP = 40;
const BATCHES = [8, 3, 16, 1, 11, 5];

/** tf.memory()'s tensors and bytes; the backend's bytes in live wasm blocks; the wasm memory; the heap's top. */
interface Footprint {
  numTensors: number;
  numBytes: number;
  bytesInWasm: number;
  wasmBytes: number;
  heapBytes: number;
}

function footprint(backend: LanesBackend): Footprint {
  return {
    numTensors: tf.memory().numTensors,
    numBytes: tf.memory().numBytes,
    bytesInWasm: backend.memory().numBytesInWasm,
    wasmBytes: backend.memory().wasmMemoryBytes,
    heapBytes: backend.storage.heapBytes,
  };
}

/**
 * Runs `step(i)` STEPS times; checks the footprint after each step past the warm-up against the
 * one at the end of it, and that every loss is finite. Returns both footprints for the log.
 */
function soak(
  name: string,
  backend: LanesBackend,
  step: (i: number) => number,
): { warm: Footprint; end: Footprint; maxWasm: number } {
  let warm: Footprint | undefined;
  let maxWasm = 0;
  for (let i = 0; i < STEPS; i++) {
    const loss = step(i);
    if (!Number.isFinite(loss)) throw new Error(`${name}: step ${i}: loss ${loss}`);
    const now = footprint(backend);
    if (i === WARMUP - 1) warm = now;
    if (warm && i >= WARMUP) {
      maxWasm = Math.max(maxWasm, now.wasmBytes);
      if (now.numTensors !== warm.numTensors)
        throw new Error(`${name}: step ${i}: ${now.numTensors} tensors, ${warm.numTensors} after warm-up`);
      if (now.numBytes > 1.2 * warm.numBytes)
        throw new Error(`${name}: step ${i}: ${now.numBytes} bytes, ${warm.numBytes} after warm-up`);
      if (now.bytesInWasm > 1.2 * warm.bytesInWasm)
        throw new Error(
          `${name}: step ${i}: ${now.bytesInWasm} bytes in wasm blocks, ${warm.bytesInWasm} after warm-up`,
        );
      if (now.wasmBytes > 1.2 * warm.wasmBytes)
        throw new Error(`${name}: step ${i}: wasm memory ${now.wasmBytes}, ${warm.wasmBytes} after warm-up`);
    }
  }
  const end = footprint(backend);
  console.log(
    `[soak] ${name}: ${STEPS} steps; after warm-up ${JSON.stringify(warm)}; at the end ${JSON.stringify(end)}`,
  );
  return { warm: warm!, end, maxWasm };
}

/** The end state against the warm-up (soak() checks every step; this is what the test reports). */
function expectSteady(r: { warm: Footprint; end: Footprint; maxWasm: number }): void {
  expect(r.end.numTensors).toBe(r.warm.numTensors);
  expect(r.end.numBytes).toBeLessThanOrEqual(1.2 * r.warm.numBytes);
  expect(r.maxWasm).toBeLessThanOrEqual(1.2 * r.warm.wasmBytes);
}

const randn = (shape: number[], seed: number, k = 1) =>
  tf.tensor(
    floats(
      shape.reduce((a, b) => a * b, 1),
      seed,
      -k,
      k,
    ),
    shape,
  );

describe(`soak: ${STEPS} training steps with changing shapes on 'lanes'`, () => {
  let backend: LanesBackend;
  beforeAll(async () => {
    await tf.setBackend('lanes');
    backend = tf.backend() as LanesBackend;
  });

  it('CNN (conv, pool, dense, softmax cross-entropy; Adam), batch size changing', () => {
    const v = {
      w1: tf.variable(randn([3, 3, 1, 8], 1, 0.4)),
      b1: tf.variable(tf.zeros([8])),
      w2: tf.variable(randn([3, 3, 8, 8], 2, 0.2)),
      b2: tf.variable(tf.zeros([8])),
      w3: tf.variable(randn([4 * 4 * 8, 10], 3, 0.1)),
      b3: tf.variable(tf.zeros([10])),
    };
    const opt = tf.train.adam(0.01);
    const r = soak('cnn', backend, (i) => {
      const B = BATCHES[i % BATCHES.length];
      const cost = tf.tidy(() => {
        const x = randn([B, 12, 12, 1], i + 10);
        const y = tf.oneHot(
          tf.tensor1d(
            Array.from({ length: B }, (_, k) => (k * 7 + i) % 10),
            'int32',
          ),
          10,
        );
        return opt.minimize(() => {
          let h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, v.w1 as tf.Tensor4D, 1, 'same'), v.b1));
          h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
          h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, v.w2 as tf.Tensor4D, 1, 'valid'), v.b2));
          const logits = tf.add(tf.matMul(tf.reshape(h, [B, 4 * 4 * 8]), v.w3), v.b3);
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        }, true)!;
      });
      const value = cost.dataSync()[0];
      cost.dispose();
      return value;
    });
    expectSteady(r);
    opt.dispose();
    tf.dispose(Object.values(v));
  });

  it('GAN (generator + discriminator, alternating Adam steps), batch size changing', () => {
    const g = {
      w1: tf.variable(randn([8, 32], 4, 0.3)),
      b1: tf.variable(tf.zeros([32])),
      w2: tf.variable(randn([32, 16], 5, 0.3)),
      b2: tf.variable(tf.zeros([16])),
    };
    const d = {
      w1: tf.variable(randn([16, 32], 6, 0.3)),
      b1: tf.variable(tf.zeros([32])),
      w2: tf.variable(randn([32, 1], 7, 0.3)),
      b2: tf.variable(tf.zeros([1])),
    };
    const generate = (z: tf.Tensor) =>
      tf.tanh(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, g.w1), g.b1)), g.w2), g.b2));
    const discriminate = (x: tf.Tensor) =>
      tf.add(tf.matMul(tf.leakyRelu(tf.add(tf.matMul(x, d.w1), d.b1), 0.2), d.w2), d.b2);
    const gOpt = tf.train.adam(0.002, 0.5),
      dOpt = tf.train.adam(0.002, 0.5);
    const bce = (logits: tf.Tensor, label: number) =>
      tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits);
    const r = soak('gan', backend, (i) => {
      const B = BATCHES[i % BATCHES.length];
      const [dLoss, gLoss] = tf.tidy(() => {
        // Real data: a fixed pattern plus noise.
        const real = tf.add(tf.sin(tf.mul(tf.range(0, 16), 0.4)).expandDims(0), randn([B, 16], i + 100, 0.1));
        const z = randn([B, 8], i + 200);
        const dl = dOpt.minimize(
          () => tf.add(bce(discriminate(real), 1), bce(discriminate(generate(z)), 0)) as tf.Scalar,
          true,
          Object.values(d),
        )!;
        const gl = gOpt.minimize(() => bce(discriminate(generate(z)), 1) as tf.Scalar, true, Object.values(g))!;
        return [dl, gl];
      });
      const value = dLoss.dataSync()[0] + gLoss.dataSync()[0];
      tf.dispose([dLoss, gLoss]);
      return value;
    });
    expectSteady(r);
    gOpt.dispose();
    dOpt.dispose();
    tf.dispose([...Object.values(g), ...Object.values(d)]);
  });

  it('LSTM (fused lanes kernel and its gradient; RMSprop), batch size and sequence length changing', () => {
    const F = 6,
      U = 12;
    const v = {
      k: tf.variable(randn([F, 4 * U], 8, 0.3)),
      rk: tf.variable(randn([U, 4 * U], 9, 0.3)),
      b: tf.variable(tf.zeros([4 * U])),
      w: tf.variable(randn([U, 1], 10, 0.3)),
      c: tf.variable(tf.zeros([1])),
    };
    const opt = tf.train.rmsprop(0.005);
    const LENGTHS = [5, 9, 2, 12, 7];
    const r = soak('lstm', backend, (i) => {
      const B = BATCHES[i % BATCHES.length],
        T = LENGTHS[i % LENGTHS.length];
      const cost = tf.tidy(() => {
        const x = randn([B, T, F], i + 300);
        // Target: the mean of the first feature over time.
        const target = tf.mean(tf.slice(x, [0, 0, 0], [B, T, 1]), 1);
        return opt.minimize(() => {
          const h = lstm(x, v.k, v.rk, v.b).output;
          return tf.losses.meanSquaredError(target, tf.add(tf.matMul(h, v.w), v.c)) as tf.Scalar;
        }, true)!;
      });
      const value = cost.dataSync()[0];
      cost.dispose();
      return value;
    });
    expectSteady(r);
    opt.dispose();
    tf.dispose(Object.values(v));
  });
});
