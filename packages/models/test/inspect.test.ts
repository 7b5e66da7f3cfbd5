import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildCnn, buildMlp, convFilters, headImages, imagesToTensor, layerOutputs } from '../src/index.js';
import { mnistOnce } from './helpers.js';

describe('model inspection', () => {
  it('returns every layer output; pooling is the 2×2 max of the map before it; the last is the prediction', async () => {
    const model = buildCnn({ filters: [4, 6], kernelSize: 5, dense: 8, dropout: 0.2, seed: 3 });
    const { test } = await mnistOnce();
    const x = imagesToTensor(headImages(test, 1));
    const outs = await layerOutputs(model, x);
    expect(outs.map((o) => o.className)).toEqual([
      'Conv2D',
      'Activation',
      'MaxPooling2D',
      'Conv2D',
      'Activation',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Activation',
      'Dropout',
      'Dense',
    ]);
    expect(outs[0].shape).toEqual([1, 24, 24, 4]);
    expect(outs[2].shape).toEqual([1, 12, 12, 4]);
    const relu = outs[1].values,
      pool = outs[2].values;
    for (const [y, xx, c] of [
      [0, 0, 0],
      [5, 7, 2],
      [11, 11, 3],
    ]) {
      const at = (yy: number, xxx: number) => relu[(yy * 24 + xxx) * 4 + c];
      const expected = Math.max(
        at(2 * y, 2 * xx),
        at(2 * y, 2 * xx + 1),
        at(2 * y + 1, 2 * xx),
        at(2 * y + 1, 2 * xx + 1),
      );
      expect(pool[(y * 12 + xx) * 4 + c]).toBe(expected);
    }
    const p = (model.predict(x) as tf.Tensor).dataSync();
    outs[10].values.forEach((v, i) => expect(v).toBeCloseTo(p[i], 6));
    tf.dispose(x);
  });

  it('lists convolution kernels and counts parameters of the CNN beside an MLP', () => {
    const cnn = buildCnn({ filters: [32, 64], kernelSize: 5, dense: 128, seed: 0 });
    const filters = convFilters(cnn);
    expect(filters.map((f) => f.shape)).toEqual([
      [5, 5, 1, 32],
      [5, 5, 32, 64],
    ]);
    expect(filters[0].values.length).toBe(5 * 5 * 32);
    // conv1 5·5·32+32, conv2 5·5·32·64+64, dense 4·4·64·128+128, output 128·10+10
    expect(cnn.countParams()).toBe(832 + 51264 + 131200 + 1290);
    const mlp = buildMlp({ hidden: [512, 256], seed: 0 });
    expect(mlp.countParams()).toBe(784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10);
    expect((mlp.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape).toEqual([2, 10]);
  });
});
