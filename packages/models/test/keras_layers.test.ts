// Every supported layer class, in Sequential and functional models (two inputs and outputs,
// shared layers, a nested Sequential), built in tfjs-layers with random weights, then:
//  - saved with saveKerasModel and loaded back (the Keras 3 .keras layout);
//  - written by the test in the Keras 2 legacy .h5 layout (legacy_h5_format.py: model_config from
//    the tfjs config, which is Keras 2's; model_weights/<layer>/<weight>:0) and loaded;
// and both predict what the tfjs-layers model predicts.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { gruLayer, LanesGRU, LanesLSTM, loadKerasModel, saveKerasModel } from '../src/index.js';
import { Normalization, SpatialDropout2D, Subtract } from '../src/keras/custom_layers.js';
import { keras2H5, seeded } from './keras_files.js';
import { completeConfig } from '../src/keras/config_out.js';
import { disposeModel } from '../src/keras/load.js';
import type { JsonObject } from '../src/keras/errors.js';

/** Random weights everywhere (variances positive), so every weight matters to the output. */
function randomize(model: tfl.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = layer.weights.map((w) => {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const positive = /variance|gamma/.test(w.originalName);
      return tf.tensor(seeded(size, ++s, positive ? 0.3 : 0.4, positive ? 1 : 0), shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

function convModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.rescaling({ scale: 1 / 255, inputShape: [12, 12, 3] }));
  m.add(new Normalization({ name: 'normalization' }));
  m.add(tfl.layers.zeroPadding2d({ padding: 1 }));
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', depthMultiplier: 2 }));
  m.add(tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'tanh' }));
  m.add(tfl.layers.reLU({ maxValue: 2 }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.upSampling2d({ size: [2, 2] }));
  m.add(
    tfl.layers.cropping2D({
      cropping: [
        [1, 1],
        [2, 0],
      ],
    }),
  );
  m.add(tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }));
  m.add(tfl.layers.averagePooling2d({ poolSize: 2 }));
  m.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  m.add(tfl.layers.prelu({ sharedAxes: [1, 2] }));
  m.add(new SpatialDropout2D({ rate: 0.3 }));
  m.add(tfl.layers.layerNormalization());
  m.add(tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'elu' }));
  m.add(tfl.layers.globalMaxPooling2d({}));
  m.add(tfl.layers.dense({ units: 3 }));
  m.add(tfl.layers.elu({}));
  m.add(tfl.layers.softmax());
  return m;
}

function pooledModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [8, 8, 2], activation: 'selu' }));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.dense({ units: 2, activation: 'sigmoid' }));
  return m;
}

function sequenceModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.embedding({ inputDim: 30, outputDim: 6, inputLength: 12 }));
  m.add(tfl.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling1d({ poolSize: 2 }));
  m.add(tfl.layers.simpleRNN({ units: 4, returnSequences: true }));
  m.add(tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 3, activation: 'tanh' }) }));
  m.add(gruLayer({ units: 5, returnSequences: true, resetAfter: true, recurrentActivation: 'sigmoid' }));
  m.add(tfl.layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }));
  m.add(tfl.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }));
  m.add(
    tfl.layers.bidirectional({
      layer: tfl.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }) as unknown as tfl.RNN,
      mergeMode: 'sum',
    }),
  );
  m.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
  return m;
}

function functionalModel(): tfl.LayersModel {
  const a = tfl.input({ shape: [4], name: 'a' });
  const b = tfl.input({ shape: [4], name: 'b' });
  const shared = tfl.layers.dense({ units: 6, name: 'shared' });
  const sa = shared.apply(a) as tfl.SymbolicTensor;
  const sb = shared.apply(b) as tfl.SymbolicTensor;
  const merged = [
    tfl.layers.add({}).apply([sa, sb]),
    new Subtract({}).apply([sa, sb]),
    tfl.layers.multiply({}).apply([sa, sb]),
    tfl.layers.average({}).apply([sa, sb]),
    tfl.layers.maximum({}).apply([sa, sb]),
  ] as tfl.SymbolicTensor[];
  const cat = tfl.layers.concatenate({ axis: -1 }).apply(merged) as tfl.SymbolicTensor;
  const inner = tfl.sequential({
    name: 'inner',
    layers: [
      tfl.layers.dense({ units: 8, inputShape: [30] }),
      tfl.layers.activation({ activation: 'tanh' }),
      tfl.layers.batchNormalization(),
    ],
  });
  const h = inner.apply(cat) as tfl.SymbolicTensor;
  const r = tfl.layers.reshape({ targetShape: [2, 4] }).apply(h);
  const p = tfl.layers.permute({ dims: [2, 1] }).apply(r);
  const f = tfl.layers.flatten().apply(p);
  const d = tfl.layers.dropout({ rate: 0.5 }).apply(f);
  const out1 = tfl.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(d) as tfl.SymbolicTensor;
  const out2 = tfl.layers.dense({ units: 1, name: 'score' }).apply(sb) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [a, b], outputs: [out1, out2] });
}

/** The Keras 2 legacy .h5 of a tfjs model: its (Keras 2 style) config and `<weight>:0` datasets. */
function keras2File(model: tfl.LayersModel): Promise<Uint8Array> {
  // tfjs' config is Keras 2's but for SeparableConv2D's depth_multiplier, which Keras writes.
  const config = model.toJSON(null, false) as unknown as JsonObject;
  completeConfig(model, config);
  return keras2H5(
    config,
    model.layers.map((l) => ({
      name: l.name,
      weights: l.weights.map((w) => {
        const t = w.read();
        return { name: `${w.originalName}:0`, values: t.dataSync() as Float32Array, shape: t.shape };
      }),
    })),
  );
}

function sample(model: tfl.LayersModel, n: number, seed: number): tf.Tensor[] {
  return model.inputs.map((input, i) => {
    const shape = [n, ...(input.shape.slice(1) as number[])];
    const size = shape.reduce((a, b) => a * b, 1);
    const first = model.layers.find((l) => l.inboundNodes.some((node) => node.inputTensors.includes(input)));
    const cls = first?.getClassName();
    const values =
      cls === 'Embedding'
        ? seeded(size, seed + i, 0.5, 0.5).map((v) => Math.floor(v * 30))
        : cls === 'Rescaling'
          ? seeded(size, seed + i, 127.5, 127.5)
          : seeded(size, seed + i, 1);
    return tf.tensor(values, shape);
  });
}

function moreModel(): tfl.LayersModel {
  const a = tfl.input({ shape: [6, 4], name: 'seq' });
  const m = tfl.layers.masking({ maskValue: 0 }).apply(a);
  const l = tfl.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }).apply(m);
  const r = tfl.layers.repeatVector({ n: 3 }).apply(l);
  const d1 = tfl.layers.spatialDropout1d({ rate: 0.2 }).apply(r);
  const g1 = tfl.layers.gaussianNoise({ stddev: 0.1 }).apply(d1);
  const g2 = tfl.layers.gaussianDropout({ rate: 0.1 }).apply(g1);
  const p = tfl.layers.averagePooling1d({ poolSize: 3 }).apply(g2);
  const f = tfl.layers.globalAveragePooling1d({}).apply(p) as tfl.SymbolicTensor;
  const gm = tfl.layers.globalMaxPooling1d({}).apply(g2) as tfl.SymbolicTensor;
  const b = tfl.input({ shape: [4], name: 'vec' });
  const dot = tfl.layers.dot({ axes: 1 }).apply([f, b]) as tfl.SymbolicTensor;
  const min = tfl.layers.minimum({}).apply([gm, b]) as tfl.SymbolicTensor;
  const out = tfl.layers.concatenate({}).apply([dot, min]) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [a, b], outputs: out });
}

const CASES: [string, () => tfl.LayersModel][] = [
  ['Masking, RepeatVector, SpatialDropout1D, GaussianNoise/Dropout, 1-D pools, Dot, Minimum', moreModel],
  ['convolutional Sequential (Rescaling, Normalization, …, Softmax)', convModel],
  ['global average pooling', pooledModel],
  [
    'sequence Sequential (Embedding, Conv1D, SimpleRNN, TimeDistributed, GRU reset_after true/false, LSTM, Bidirectional)',
    sequenceModel,
  ],
  ['functional: two inputs and outputs, shared Dense, merges, nested Sequential', functionalModel],
];

describe('every supported layer survives Keras 3 .keras and Keras 2 .h5', () => {
  for (const [what, build] of CASES) {
    it(what, async () => {
      const model = build();
      randomize(model, what.length);
      const xs = sample(model, 3, 5);
      const want = [model.predict(xs) as tf.Tensor | tf.Tensor[]].flat();
      for (const [layout, bytes] of [
        ['Keras 3 .keras (saveKerasModel)', await saveKerasModel(model)],
        ['Keras 2 .h5', await keras2File(model)],
      ] as const) {
        const before = tf.memory().numTensors;
        const back = await loadKerasModel(bytes);
        const got = [back.predict(xs) as tf.Tensor | tf.Tensor[]].flat();
        expect(got.length).toBe(want.length);
        want.forEach((w, i) => {
          expect(got[i].shape).toEqual(w.shape);
          const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(w, got[i]))).dataSync()[0]);
          console.log(`${what} via ${layout}: output ${i} max |Δ| ${diff}`);
          expect(diff).toBeLessThanOrEqual(1e-5);
        });
        // Recurrent layers run on Lanes' fused kernels.
        for (const l of back.layers) {
          if (l.getClassName() === 'LSTM') expect(l).toBeInstanceOf(LanesLSTM);
          if (l.getClassName() === 'GRU') expect(l).toBeInstanceOf(LanesGRU);
        }
        tf.dispose(got);
        disposeModel(back);
        expect(tf.memory().numTensors).toBe(before);
      }
      tf.dispose([...xs, ...want]);
      model.dispose();
    });
  }
});
