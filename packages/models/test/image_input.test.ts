import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildCnn, withImageInput } from '../src/index.js';

/** A seeded softmax classifier taking `[N, ...inner]`. */
function mlp(inner: number[]): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      ...(inner.length > 1 ? [tfl.layers.flatten({ inputShape: inner })] : []),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
        ...(inner.length > 1 ? {} : { inputShape: inner }),
      }),
    ],
  });
}

describe('withImageInput', () => {
  it('[N, 28, 28] and [N, 784] classifiers take [N, 28, 28, 1] and predict exactly what they predict; disposing frees all', () => {
    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 7);
    for (const inner of [[28, 28], [784]]) {
      const before = tf.memory().numTensors;
      const model = mlp(inner);
      const images = withImageInput(model, [28, 28, 1])!;
      expect(images).not.toBe(model);
      expect(images.inputs[0].shape).toEqual([null, 28, 28, 1]);
      const [a, b] = tf.tidy(() => [
        (images.predict(x) as tf.Tensor).dataSync(),
        (model.predict(tf.reshape(x, [5, ...inner])) as tf.Tensor).dataSync(),
      ]);
      expect(Array.from(a)).toEqual(Array.from(b));
      images.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
  });

  it('a model taking [N, 28, 28, 1] is returned as it is; other sizes or several inputs get undefined', () => {
    const cnn = buildCnn({ filters: [2], kernelSize: 3, dense: 4, seed: 1 });
    expect(withImageInput(cnn, [28, 28, 1])).toBe(cnn);
    const small = mlp([27, 27]);
    expect(withImageInput(small, [28, 28, 1])).toBeUndefined();
    const a = tfl.input({ shape: [784] }),
      b = tfl.input({ shape: [784] });
    const two = tfl.model({ inputs: [a, b], outputs: tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor });
    expect(withImageInput(two, [28, 28, 1])).toBeUndefined();
    [cnn, small, two].forEach((m) => m.dispose());
  });
});
