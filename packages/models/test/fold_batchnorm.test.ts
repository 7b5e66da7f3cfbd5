import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildCnn, foldBatchNorm, InvalidInputError, Rng } from '../src/index.js';

/** Gives every BatchNorm layer seeded, non-trivial statistics (a fresh one is the identity map). */
function randomiseBatchNorms(model: tfl.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    layer.setWeights(
      layer.weights.map((w) => {
        const role = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
        const [lo, hi] = { gamma: [0.5, 1.5], beta: [-0.5, 0.5], moving_mean: [-0.5, 0.5], moving_variance: [0.2, 2] }[
          role
        ] ?? [0, 0];
        return tf.tensor(
          Array.from({ length: w.shape[0]! }, () => lo + (hi - lo) * rng.next()),
          w.shape as number[],
        );
      }),
    );
  }
}

function input(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()),
    shape,
  );
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const classNames = (m: tfl.LayersModel) => m.layers.map((l) => l.getClassName());

describe('foldBatchNorm', () => {
  it('folds conv → BN → ReLU and dense → BN → ReLU of the BN CNN into single layers with the same predictions', async () => {
    const model = buildCnn({ batchNorm: true, filters: [6, 12], kernelSize: 3, dense: 24, dropout: 0.25, seed: 3 });
    randomiseBatchNorms(model, 4);
    const { model: folded, folded: groups } = await foldBatchNorm(model);
    expect(groups).toEqual(['conv1_1 + bn1_1 + relu1_1', 'conv2_1 + bn2_1 + relu2_1', 'dense + bn_dense + relu_dense']);
    expect(classNames(folded)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    const conv = folded.getLayer('conv1_1').getConfig();
    expect([conv['useBias'], conv['activation']]).toEqual([true, 'relu']);
    const x = input([16, 28, 28, 1], 5);
    const [want, got] = [model.predict(x) as tf.Tensor, folded.predict(x) as tf.Tensor];
    const err = maxAbsDiff(want, got);
    console.log(`BN CNN folded on ${tf.getBackend()}: max |Δp| = ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    // The statistics really moved the outputs: folding the identity BN would prove nothing.
    const plain = buildCnn({ batchNorm: true, filters: [6, 12], kernelSize: 3, dense: 24, dropout: 0.25, seed: 3 });
    expect(maxAbsDiff(plain.predict(x) as tf.Tensor, want)).toBeGreaterThan(1e-2);
    // The folded model owns its weights: disposing it leaves the original working.
    folded.dispose();
    expect(maxAbsDiff(model.predict(x) as tf.Tensor, want)).toBe(0);
    tf.dispose([x, want, got]);
    model.dispose();
    plain.dispose();
  });

  it('folds depthwise and dense layers with and without bias, keeps BNs it cannot fold, and leaves the original unchanged', async () => {
    const m = tfl.sequential();
    m.add(
      tfl.layers.depthwiseConv2d({
        inputShape: [9, 9, 3],
        kernelSize: 3,
        depthMultiplier: 2,
        useBias: false,
        name: 'dw',
      }),
    );
    m.add(tfl.layers.batchNormalization({ name: 'bn_dw' }));
    m.add(tfl.layers.activation({ activation: 'relu6', name: 'act_dw' }));
    m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv_relu' }));
    m.add(tfl.layers.batchNormalization({ name: 'bn_after_relu' })); // after a nonlinearity: not foldable
    m.add(tfl.layers.flatten({ name: 'flat' }));
    m.add(tfl.layers.dense({ units: 5, useBias: true, name: 'fc' }));
    m.add(tfl.layers.batchNormalization({ epsilon: 0.01, name: 'bn_fc' }));
    randomiseBatchNorms(m, 7);
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    const { model: folded, folded: groups } = await foldBatchNorm(m);
    expect(groups).toEqual(['dw + bn_dw + act_dw', 'fc + bn_fc']);
    expect(classNames(folded)).toEqual(['DepthwiseConv2D', 'Conv2D', 'BatchNormalization', 'Flatten', 'Dense']);
    const x = input([4, 9, 9, 3], 8);
    const err = maxAbsDiff(m.predict(x) as tf.Tensor, folded.predict(x) as tf.Tensor);
    expect(err).toBeLessThan(1e-4);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    folded.dispose();
    m.dispose();
    x.dispose();
  });

  it('rejects functional models with a message that says what to do', async () => {
    const inp = tfl.input({ shape: [4] });
    const out = tfl.layers.batchNormalization().apply(tfl.layers.dense({ units: 2 }).apply(inp)) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: inp, outputs: out, name: 'functional_bn' });
    await expect(foldBatchNorm(m)).rejects.toThrow(InvalidInputError);
    await expect(foldBatchNorm(m)).rejects.toThrow(
      /functional_bn' is a (Functional|Model) model: expected a Sequential model/,
    );
    m.dispose();
  });
});
