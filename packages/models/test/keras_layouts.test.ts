// A functional model with two inputs, an Embedding, a Bidirectional LSTM, a Concatenate and a
// BatchNormalization, written by the test in the Keras 2 .h5 layout and in the Keras 3 .keras
// layout (configs as Keras 2.15 and Keras 3 write them; see keras_files.ts for the Keras code
// followed), loads and agrees with the same model built in tfjs-layers.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { loadKerasModel } from '../src/index.js';
import { keras2H5, keras3WeightsH5, kerasZip, seeded, type NamedArray } from './keras_files.js';

const VOCAB = 20,
  SEQ = 6,
  EMB = 4,
  UNITS = 5,
  FEATURES = 3,
  MERGED = 2 * UNITS + FEATURES,
  CLASSES = 2;

const arr = (name: string, shape: number[], seed: number, scale = 0.5, offset = 0): NamedArray => ({
  name,
  shape,
  values: seeded(
    shape.reduce((a, b) => a * b, 1),
    seed,
    scale,
    offset,
  ),
});

// The weights, in Keras' (and tfjs-layers') order.
const W = {
  embeddings: arr('embeddings', [VOCAB, EMB], 1),
  fwd: [
    arr('kernel', [EMB, 4 * UNITS], 2),
    arr('recurrent_kernel', [UNITS, 4 * UNITS], 3),
    arr('bias', [4 * UNITS], 4),
  ],
  bwd: [
    arr('kernel', [EMB, 4 * UNITS], 5),
    arr('recurrent_kernel', [UNITS, 4 * UNITS], 6),
    arr('bias', [4 * UNITS], 7),
  ],
  bn: [
    arr('gamma', [MERGED], 8, 0.3, 1),
    arr('beta', [MERGED], 9),
    arr('moving_mean', [MERGED], 10),
    arr('moving_variance', [MERGED], 11, 0.4, 1),
  ],
  dense: [arr('kernel', [MERGED, CLASSES], 12), arr('bias', [CLASSES], 13)],
};

function reference(): tfl.LayersModel {
  const tokens = tfl.input({ shape: [SEQ], name: 'tokens' });
  const features = tfl.input({ shape: [FEATURES], name: 'features' });
  const emb = tfl.layers.embedding({ inputDim: VOCAB, outputDim: EMB, name: 'embedding' }).apply(tokens);
  // Keras' default recurrent activation (tfjs-layers' default is hardSigmoid).
  const lstm = tfl.layers.lstm({ units: UNITS, recurrentActivation: 'sigmoid', name: 'lstm' }) as unknown as tfl.RNN;
  const bi = tfl.layers.bidirectional({ layer: lstm, mergeMode: 'concat', name: 'bidirectional' }).apply(emb);
  const cat = tfl.layers.concatenate({ name: 'concatenate' }).apply([bi as tfl.SymbolicTensor, features]);
  const bn = tfl.layers.batchNormalization({ name: 'batch_normalization' }).apply(cat);
  const out = tfl.layers.dense({ units: CLASSES, activation: 'softmax', name: 'dense' }).apply(bn);
  const model = tfl.model({ inputs: [tokens, features], outputs: out as tfl.SymbolicTensor });
  const set = (name: string, list: NamedArray[]): void =>
    model.getLayer(name).setWeights(list.map((a) => tf.tensor(a.values, [...a.shape])));
  set('embedding', [W.embeddings]);
  set('bidirectional', [...W.fwd, ...W.bwd]);
  set('batch_normalization', W.bn);
  set('dense', W.dense);
  return model;
}

const init = (cls: string, config: object = {}) => ({ class_name: cls, config });

/** The model_config Keras 2.15 (tf.keras) writes for this model. */
function keras2Config(): object {
  const lstm = (name: string, goBackwards: boolean) => ({
    class_name: 'LSTM',
    config: {
      name,
      trainable: true,
      dtype: 'float32',
      return_sequences: false,
      return_state: false,
      go_backwards: goBackwards,
      stateful: false,
      unroll: false,
      time_major: false,
      units: UNITS,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: init('GlorotUniform', { seed: null }),
      recurrent_initializer: init('Orthogonal', { gain: 1.0, seed: null }),
      bias_initializer: init('Zeros'),
      unit_forget_bias: true,
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      implementation: 2,
    },
  });
  return {
    class_name: 'Functional',
    config: {
      name: 'model',
      trainable: true,
      layers: [
        {
          class_name: 'InputLayer',
          config: { batch_input_shape: [null, SEQ], dtype: 'float32', sparse: false, ragged: false, name: 'tokens' },
          name: 'tokens',
          inbound_nodes: [],
        },
        {
          class_name: 'InputLayer',
          config: {
            batch_input_shape: [null, FEATURES],
            dtype: 'float32',
            sparse: false,
            ragged: false,
            name: 'features',
          },
          name: 'features',
          inbound_nodes: [],
        },
        {
          class_name: 'Embedding',
          config: {
            name: 'embedding',
            trainable: true,
            dtype: 'float32',
            batch_input_shape: [null, SEQ],
            input_dim: VOCAB,
            output_dim: EMB,
            embeddings_initializer: init('RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }),
            embeddings_regularizer: null,
            activity_regularizer: null,
            embeddings_constraint: null,
            mask_zero: false,
            input_length: SEQ,
          },
          name: 'embedding',
          inbound_nodes: [[['tokens', 0, 0, {}]]],
        },
        {
          class_name: 'Bidirectional',
          config: {
            name: 'bidirectional',
            trainable: true,
            dtype: 'float32',
            layer: lstm('lstm', false),
            merge_mode: 'concat',
          },
          name: 'bidirectional',
          inbound_nodes: [[['embedding', 0, 0, {}]]],
        },
        {
          class_name: 'Concatenate',
          config: { name: 'concatenate', trainable: true, dtype: 'float32', axis: -1 },
          name: 'concatenate',
          inbound_nodes: [
            [
              ['bidirectional', 0, 0, {}],
              ['features', 0, 0, {}],
            ],
          ],
        },
        {
          class_name: 'BatchNormalization',
          config: {
            name: 'batch_normalization',
            trainable: true,
            dtype: 'float32',
            axis: [1],
            momentum: 0.99,
            epsilon: 0.001,
            center: true,
            scale: true,
            beta_initializer: init('Zeros'),
            gamma_initializer: init('Ones'),
            moving_mean_initializer: init('Zeros'),
            moving_variance_initializer: init('Ones'),
            beta_regularizer: null,
            gamma_regularizer: null,
            beta_constraint: null,
            gamma_constraint: null,
          },
          name: 'batch_normalization',
          inbound_nodes: [[['concatenate', 0, 0, {}]]],
        },
        {
          class_name: 'Dense',
          config: {
            name: 'dense',
            trainable: true,
            dtype: 'float32',
            units: CLASSES,
            activation: 'softmax',
            use_bias: true,
            kernel_initializer: init('GlorotUniform', { seed: null }),
            bias_initializer: init('Zeros'),
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
          name: 'dense',
          inbound_nodes: [[['batch_normalization', 0, 0, {}]]],
        },
      ],
      input_layers: [
        ['tokens', 0, 0],
        ['features', 0, 0],
      ],
      output_layers: [['dense', 0, 0]],
    },
  };
}

/** Keras 2 weight names: `<layer>/<var>:0`, Bidirectional's `<layer>/forward_lstm/lstm_cell/<var>:0`. */
const named = (prefix: string, list: NamedArray[]): NamedArray[] =>
  list.map((a) => ({ ...a, name: `${prefix}/${a.name}:0` }));

function keras2File(): Promise<Uint8Array> {
  return keras2H5(keras2Config(), [
    { name: 'tokens', weights: [] },
    { name: 'features', weights: [] },
    { name: 'embedding', weights: named('embedding', [W.embeddings]) },
    {
      name: 'bidirectional',
      weights: [
        ...named('bidirectional/forward_lstm/lstm_cell', W.fwd),
        ...named('bidirectional/backward_lstm/lstm_cell', W.bwd),
      ],
    },
    { name: 'concatenate', weights: [] },
    { name: 'batch_normalization', weights: named('batch_normalization', W.bn) },
    { name: 'dense', weights: named('dense', W.dense) },
  ]);
}

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const k3init = (cls: string, config: object = {}) => ({
  module: 'keras.initializers',
  class_name: cls,
  config,
  registered_name: null,
});
const tensor = (layer: string, shape: (number | null)[]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});
const k3layer = (cls: string, config: object, inbound: unknown[] | null, build?: unknown) => ({
  module: 'keras.layers',
  class_name: cls,
  config,
  registered_name: null,
  ...(build ? { build_config: { input_shape: build } } : {}),
  name: (config as { name: string }).name,
  inbound_nodes: inbound === null ? [] : [{ args: inbound, kwargs: {} }],
});

/** The config.json Keras 3 writes for this model. */
function keras3Config(): object {
  const lstm = (name: string, goBackwards: boolean) => ({
    module: 'keras.layers',
    class_name: 'LSTM',
    config: {
      name,
      trainable: true,
      dtype: policy,
      return_sequences: false,
      return_state: false,
      go_backwards: goBackwards,
      stateful: false,
      unroll: false,
      zero_output_for_mask: true,
      units: UNITS,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: k3init('GlorotUniform', { seed: null }),
      recurrent_initializer: k3init('Orthogonal', { seed: null, gain: 1.0 }),
      bias_initializer: k3init('Zeros'),
      unit_forget_bias: true,
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      seed: null,
    },
    registered_name: null,
  });
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'functional',
      trainable: true,
      layers: [
        k3layer('InputLayer', { batch_shape: [null, SEQ], dtype: 'float32', sparse: false, name: 'tokens' }, null),
        k3layer(
          'InputLayer',
          { batch_shape: [null, FEATURES], dtype: 'float32', sparse: false, name: 'features' },
          null,
        ),
        k3layer(
          'Embedding',
          {
            name: 'embedding',
            trainable: true,
            dtype: policy,
            input_dim: VOCAB,
            output_dim: EMB,
            embeddings_initializer: k3init('RandomUniform', { seed: null, minval: -0.05, maxval: 0.05 }),
            embeddings_regularizer: null,
            activity_regularizer: null,
            embeddings_constraint: null,
            mask_zero: false,
          },
          [tensor('tokens', [null, SEQ])],
          [null, SEQ],
        ),
        k3layer(
          'Bidirectional',
          {
            name: 'bidirectional',
            trainable: true,
            dtype: policy,
            merge_mode: 'concat',
            layer: lstm('forward_lstm', false),
            backward_layer: lstm('backward_lstm', true),
          },
          [tensor('embedding', [null, SEQ, EMB])],
          [null, SEQ, EMB],
        ),
        k3layer('Concatenate', { name: 'concatenate', trainable: true, dtype: policy, axis: -1 }, [
          [tensor('bidirectional', [null, 2 * UNITS]), tensor('features', [null, FEATURES])],
        ]),
        k3layer(
          'BatchNormalization',
          {
            name: 'batch_normalization',
            trainable: true,
            dtype: policy,
            axis: -1,
            momentum: 0.99,
            epsilon: 0.001,
            center: true,
            scale: true,
            beta_initializer: k3init('Zeros'),
            gamma_initializer: k3init('Ones'),
            moving_mean_initializer: k3init('Zeros'),
            moving_variance_initializer: k3init('Ones'),
            beta_regularizer: null,
            gamma_regularizer: null,
            beta_constraint: null,
            gamma_constraint: null,
            synchronized: false,
          },
          [tensor('concatenate', [null, MERGED])],
          [null, MERGED],
        ),
        k3layer(
          'Dense',
          {
            name: 'dense',
            trainable: true,
            dtype: policy,
            units: CLASSES,
            activation: 'softmax',
            use_bias: true,
            kernel_initializer: k3init('GlorotUniform', { seed: null }),
            bias_initializer: k3init('Zeros'),
            kernel_regularizer: null,
            bias_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
          [tensor('batch_normalization', [null, MERGED])],
          [null, MERGED],
        ),
      ],
      input_layers: [
        ['tokens', 0, 0],
        ['features', 0, 0],
      ],
      output_layers: [['dense', 0, 0]],
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}

/** Keras 3's weight groups for this model (tf-keras 2.13+ files them under `_layer_checkpoint_dependencies`). */
function weightGroups(layers = 'layers'): Record<string, NamedArray[]> {
  const groups: Record<string, NamedArray[]> = {
    'layers/input_layer/vars': [],
    'layers/input_layer_1/vars': [],
    'layers/embedding/vars': [W.embeddings],
    'layers/bidirectional/vars': [],
    'layers/bidirectional/forward_layer/vars': [],
    'layers/bidirectional/forward_layer/cell/vars': W.fwd,
    'layers/bidirectional/backward_layer/vars': [],
    'layers/bidirectional/backward_layer/cell/vars': W.bwd,
    'layers/concatenate/vars': [],
    'layers/batch_normalization/vars': W.bn,
    'layers/dense/vars': W.dense,
  };
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k.replace(/^layers\//, `${layers}/`), v]));
}

async function keras3File(): Promise<Uint8Array> {
  // saving_lib: layers filed under their snake_case class names; Bidirectional's RNNs under
  // forward_layer / backward_layer, each LSTM's variables in its cell.
  return kerasZip(keras3Config(), await keras3WeightsH5(weightGroups()));
}

/** tf-keras 2.13's .keras: a Keras 2 style config and `_layer_checkpoint_dependencies/…` weights. */
async function tfKerasFile(): Promise<Uint8Array> {
  return kerasZip(keras2Config(), await keras3WeightsH5(weightGroups('_layer_checkpoint_dependencies')), '2.13.1');
}

function inputs(n: number): tf.Tensor[] {
  const ids = seeded(n * SEQ, 21, 0.5, 0.5).map((v) => Math.floor(v * VOCAB));
  return [tf.tensor2d(ids, [n, SEQ]), tf.tensor2d(seeded(n * FEATURES, 22, 1), [n, FEATURES])];
}

describe('functional model (2 inputs, Embedding, Bidirectional LSTM, Concatenate, BatchNormalization)', () => {
  for (const [layout, file] of [
    ['Keras 2 .h5', keras2File],
    ['Keras 3 .keras', keras3File],
    ['tf-keras 2.13 .keras', tfKerasFile],
  ] as const) {
    it(`written in the ${layout} layout loads and agrees with tfjs-layers (≤ 1e-5)`, async () => {
      const ref = reference();
      const bytes = await file();
      const before = tf.memory().numTensors;
      const model = await loadKerasModel(bytes);
      expect(model.inputs.map((t) => t.shape)).toEqual([
        [null, SEQ],
        [null, FEATURES],
      ]);
      expect(model.getLayer('bidirectional').getClassName()).toBe('Bidirectional');
      const xs = inputs(16);
      const want = ref.predict(xs) as tf.Tensor;
      const got = model.predict(xs) as tf.Tensor;
      expect(got.shape).toEqual([16, CLASSES]);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(want, got))).dataSync()[0]);
      console.log(`${layout}: max |Δ| vs tfjs-layers ${diff}`);
      expect(diff).toBeLessThanOrEqual(1e-5);
      // The outputs are not trivially equal: the classes differ between examples.
      expect(new Set(Array.from(tf.tidy(() => tf.argMax(got, 1).dataSync()))).size).toBeGreaterThan(1);
      tf.dispose([...xs, want, got]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      ref.dispose();
    });
  }
});

describe('Keras 2.2 .h5: Sequential config as a bare list, no InputLayer (batch_input_shape on the first layer)', () => {
  it('loads and computes relu(x·W1 + b1)·W2 + b2', async () => {
    const dense = (name: string, units: number, activation: string, first: boolean) => ({
      class_name: 'Dense',
      config: {
        name,
        trainable: true,
        ...(first ? { batch_input_shape: [null, 3], dtype: 'float32' } : {}),
        units,
        activation,
        use_bias: true,
        kernel_initializer: {
          class_name: 'VarianceScaling',
          config: { scale: 1.0, mode: 'fan_avg', distribution: 'uniform', seed: null },
        },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    });
    const config = {
      class_name: 'Sequential',
      config: [dense('dense_1', 4, 'relu', true), dense('dense_2', 2, 'linear', false)],
    };
    const w1 = arr('kernel', [3, 4], 31),
      b1 = arr('bias', [4], 32),
      w2 = arr('kernel', [4, 2], 33),
      b2 = arr('bias', [2], 34);
    const bytes = await keras2H5(
      config,
      [
        { name: 'dense_1', weights: named('dense_1', [w1, b1]) },
        { name: 'dense_2', weights: named('dense_2', [w2, b2]) },
      ],
      '2.2.4',
    );
    const model = await loadKerasModel(bytes);
    const x = tf.tensor2d(seeded(15, 35, 1), [5, 3]);
    const got = model.predict(x) as tf.Tensor;
    const want = tf.tidy(() =>
      tf.add(
        tf.matMul(
          tf.relu(tf.add(tf.matMul(x, tf.tensor2d(w1.values, [3, 4])), tf.tensor1d(b1.values))),
          tf.tensor2d(w2.values, [4, 2]),
        ),
        tf.tensor1d(b2.values),
      ),
    );
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0])).toBeLessThanOrEqual(1e-6);
    tf.dispose([x, got, want]);
    model.dispose();
  });
});

describe('Keras 3 .keras weights filed by class (saving_lib) or, in early releases, by layer name', () => {
  it('reads both, and a layer named unlike its class takes the class-named group', async () => {
    const dense = (name: string, units: number) => ({
      module: 'keras.layers',
      class_name: 'Dense',
      config: { name, trainable: true, dtype: policy, units, activation: 'tanh', use_bias: true },
      registered_name: null,
    });
    const config = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 3], name: 'in' },
            registered_name: null,
          },
          dense('hidden', 4),
          dense('out', 2),
        ],
      },
      registered_name: null,
    };
    const w = [arr('k', [3, 4], 41), arr('b', [4], 42), arr('k', [4, 2], 43), arr('b', [2], 44)];
    const byClass = kerasZip(
      config,
      await keras3WeightsH5({ 'layers/dense/vars': w.slice(0, 2), 'layers/dense_1/vars': w.slice(2) }),
    );
    const byName = kerasZip(
      config,
      await keras3WeightsH5({ 'layers/hidden/vars': w.slice(0, 2), 'layers/out/vars': w.slice(2) }),
    );
    const x = tf.tensor2d(seeded(6, 45, 1), [2, 3]);
    const want = tf.tidy(() =>
      tf.tanh(
        tf.add(
          tf.matMul(
            tf.tanh(tf.add(tf.matMul(x, tf.tensor2d(w[0].values, [3, 4])), tf.tensor1d(w[1].values))),
            tf.tensor2d(w[2].values, [4, 2]),
          ),
          tf.tensor1d(w[3].values),
        ),
      ),
    );
    for (const bytes of [byClass, byName]) {
      const model = await loadKerasModel(bytes);
      const got = model.predict(x) as tf.Tensor;
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0])).toBeLessThanOrEqual(1e-6);
      tf.dispose(got);
      model.dispose();
    }
    tf.dispose([x, want]);
  });
});

describe('Keras 3 activations tfjs-layers lacks become layers after a linear one', () => {
  // Keras 3: hard_sigmoid(x) = relu6(x + 3) / 6, leaky_relu(x) = max(x, 0.2·x).
  const hardSigmoid = (t: tf.Tensor): tf.Tensor => tf.clipByValue(tf.add(tf.div(t, 6), 0.5), 0, 1);
  const leakyRelu = (t: tf.Tensor): tf.Tensor => tf.maximum(t, tf.mul(t, 0.2));
  const dense = (name: string, units: number, activation: string) => ({
    module: 'keras.layers',
    class_name: 'Dense',
    config: { name, trainable: true, dtype: policy, units, activation, use_bias: true },
    registered_name: null,
  });
  const w = [arr('k', [3, 4], 51, 2), arr('b', [4], 52), arr('k', [4, 2], 53, 2), arr('b', [2], 54)];
  const groups = { 'layers/dense/vars': w.slice(0, 2), 'layers/dense_1/vars': w.slice(2) };
  const affine = (x: tf.Tensor, i: number, n: number, m: number): tf.Tensor =>
    tf.add(tf.matMul(x, tf.tensor2d(w[i].values, [n, m])), tf.tensor1d(w[i + 1].values));

  it('in a Sequential model', async () => {
    const config = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 3], name: 'in' },
            registered_name: null,
          },
          dense('h', 4, 'hard_sigmoid'),
          dense('o', 2, 'leaky_relu'),
        ],
      },
      registered_name: null,
    };
    const model = await loadKerasModel(kerasZip(config, await keras3WeightsH5(groups)));
    const x = tf.tensor2d(seeded(12, 55, 2), [4, 3]);
    const want = tf.tidy(() => leakyRelu(affine(hardSigmoid(affine(x, 0, 3, 4)), 2, 4, 2)));
    const got = model.predict(x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0])).toBeLessThanOrEqual(1e-6);
    tf.dispose([x, want, got]);
    model.dispose();
  });

  it('in a functional model whose activated layer is both an output and an input of another', async () => {
    const t = (layer: string, shape: (number | null)[]) => [tensor(layer, shape)];
    const config = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          k3layer('InputLayer', { batch_shape: [null, 3], name: 'in' }, null),
          k3layer('Dense', dense('h', 4, 'hard_sigmoid').config, t('in', [null, 3])),
          k3layer('Dense', dense('o', 2, 'leaky_relu').config, t('h', [null, 4])),
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [
          ['h', 0, 0],
          ['o', 0, 0],
        ],
      },
      registered_name: 'Functional',
    };
    const model = await loadKerasModel(kerasZip(config, await keras3WeightsH5(groups)));
    const x = tf.tensor2d(seeded(12, 56, 2), [4, 3]);
    const [h, o] = model.predict(x) as tf.Tensor[];
    const wantH = tf.tidy(() => hardSigmoid(affine(x, 0, 3, 4)));
    const wantO = tf.tidy(() => leakyRelu(affine(wantH, 2, 4, 2)));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(h, wantH))).dataSync()[0])).toBeLessThanOrEqual(1e-6);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(o, wantO))).dataSync()[0])).toBeLessThanOrEqual(1e-6);
    tf.dispose([x, h, o, wantH, wantO]);
    model.dispose();
  });
});
