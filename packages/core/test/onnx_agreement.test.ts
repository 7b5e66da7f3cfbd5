// The bench's ONNX graph builders (bench/onnx.mjs, bench/onnx_recurrent.mjs) against 'lanes':
// onnxruntime-web must compute what the fused LSTM / GRU compute from the same Keras-layout
// weights, or the bench's ORT timings would be of another graph.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { lanes } from './helpers.js';
import { gru, lstm } from '../src/index.js';
import { model } from '../bench/onnx.mjs';
import { onnxRecurrentNode, onnxRecurrentWeights, type KerasRecurrentWeights } from '../bench/onnx_recurrent.mjs';
import { relativeError, transpose, uniform } from '../bench/data.mjs';

const B = 3,
  T = 7,
  F = 5,
  U = 8;

function weights(gates: number, biasRows: number, seed: number): KerasRecurrentWeights {
  return {
    kernel: uniform([F, gates * U], -0.6, 0.6, seed),
    recurrent: uniform([U, gates * U], -0.6, 0.6, seed + 1),
    bias: uniform([biasRows * gates * U], -0.5, 0.5, seed + 2),
  };
}

/** ORT's last h [1, B, U] of the ONNX graph the bench builds, on batch-major `x` [B, T, F]. */
async function ortLastH(
  kind: 'lstm' | 'gru',
  w: KerasRecurrentWeights,
  x: Float32Array,
  resetAfter = false,
): Promise<Float32Array> {
  const bytes = model({
    inputs: [{ name: 'x', dims: [T, B, F] }],
    outputs: [{ name: 'h', dims: [1, B, U] }],
    nodes: [onnxRecurrentNode(kind, 'x', 'h', U, { resetAfter })],
    initializers: onnxRecurrentWeights(kind, w, F, U),
  });
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const out = await session.run({ x: new ort.Tensor('float32', transpose(x, [B, T, F], [1, 0, 2]), [T, B, F]) });
  await session.release();
  return out.h.data as Float32Array;
}

const acts = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;

describe('bench ONNX graphs agree with lanes', () => {
  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    await lanes();
  });

  it('LSTM: gates reordered to i, o, f, c, time-major input', async () => {
    const x = uniform([B, T, F], -1, 1, 1);
    const w = weights(4, 1, 2);
    const want = tf.tidy(() =>
      lstm(
        tf.tensor(x, [B, T, F]),
        tf.tensor(w.kernel, [F, 4 * U]),
        tf.tensor(w.recurrent, [U, 4 * U]),
        tf.tensor(w.bias),
        acts,
      )
        .output.dataSync()
        .slice(),
    );
    const got = await ortLastH('lstm', w, x);
    expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(0.1);
    expect(relativeError(got, want)).toBeLessThan(1e-5);
  });

  it('GRU reset_after is linear_before_reset = 1 (and not 0)', async () => {
    const x = uniform([B, T, F], -1, 1, 5);
    const w = weights(3, 2, 6);
    const want = tf.tidy(() =>
      gru(
        tf.tensor(x, [B, T, F]),
        tf.tensor(w.kernel, [F, 3 * U]),
        tf.tensor(w.recurrent, [U, 3 * U]),
        tf.tensor(w.bias, [2, 3 * U]),
        {
          ...acts,
          resetAfter: true,
        },
      )
        .output.dataSync()
        .slice(),
    );
    expect(relativeError(await ortLastH('gru', w, x, true), want)).toBeLessThan(1e-5);
    // the other variant is another function: the comparison can tell them apart
    expect(relativeError(await ortLastH('gru', w, x, false), want)).toBeGreaterThan(1e-3);
  });

  it('GRU without reset_after (tf.layers GRU) is linear_before_reset = 0', async () => {
    const x = uniform([B, T, F], -1, 1, 9);
    const w = weights(3, 1, 10);
    const want = tf.tidy(() =>
      gru(
        tf.tensor(x, [B, T, F]),
        tf.tensor(w.kernel, [F, 3 * U]),
        tf.tensor(w.recurrent, [U, 3 * U]),
        tf.tensor(w.bias),
        acts,
      )
        .output.dataSync()
        .slice(),
    );
    expect(relativeError(await ortLastH('gru', w, x), want)).toBeLessThan(1e-5);
  });
});
