// The recurrent cases and targets of issue 5: an LSTM (and a GRU) of 128 units over batch 32 ×
// 50 steps × 32 features, predicting, and one training step with a dense softmax head. The same
// tfjs-layers model runs everywhere; on 'lanes' backends its recurrent layer is tf.layers' own
// with the call swapped for the fused op — what @lanes/models' LanesLSTM / LanesGRU are (the
// bench cannot import @lanes/models, which depends on this package).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { gru, lstm } from '@lanes/core';
import { transpose, uniform } from './data.mjs';
import { model } from './onnx.mjs';
import { onnxRecurrentNode, onnxRecurrentWeights } from './onnx_recurrent.mjs';

const B = 32,
  T = 50,
  F = 32,
  U = 128,
  CLASSES = 10;

/** tf.layers' LSTM / GRU class with its call running the fused op. */
function fusedLayerClass(kind) {
  const Stock = Object.getPrototypeOf(tfl.layers[kind]({ units: 1 })).constructor;
  const op = kind === 'lstm' ? lstm : gru;
  return class extends Stock {
    call(inputs) {
      return tf.tidy(() => {
        const c = this.cell;
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return op(x, c.kernel.read(), c.recurrentKernel.read(), c.bias.read(), {
          activation: c.activation.getClassName(),
          recurrentActivation: c.recurrentActivation.getClassName(),
        }).output;
      });
    }
  };
}
const fused = { lstm: fusedLayerClass('lstm'), gru: fusedLayerClass('gru') };

/**
 * tf.layers' LSTM / GRU (the fused op on 'lanes'). Sigmoid gates, as Keras 2 and ONNX default to
 * (tf.layers' own default is the hard sigmoid). Glorot rather than tf.layers' orthogonal recurrent
 * initialiser: no QR at set-up, same work per run.
 */
export function recurrentLayer(kind, args) {
  const full = { units: U, ...args, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' };
  return tf.getBackend().startsWith('lanes') ? new fused[kind](full) : tfl.layers[kind](full);
}

/** Seeded Keras-layout weights of a layer: kernel [F, G·U], recurrent kernel [U, G·U], bias [G·U]. */
export function recurrentWeights(gates, f, u, seed) {
  const a = 1 / Math.sqrt(u);
  return {
    kernel: uniform([f, gates * u], -a, a, seed),
    recurrent: uniform([u, gates * u], -a, a, seed + 1),
    bias: uniform([gates * u], -0.1, 0.1, seed + 2),
  };
}

/** The layer's weights set to `w` (same values on every backend). */
export function setRecurrentWeights(layer, w, f, u) {
  const g = w.bias.length / u;
  layer.setWeights([tf.tensor(w.kernel, [f, g * u]), tf.tensor(w.recurrent, [u, g * u]), tf.tensor(w.bias, [g * u])]);
}

/** Forward flops: the input and recurrent products of every step (gate math not counted). */
const forwardFlops = (gates) => 2 * B * T * (F + U) * gates * U;

function predictCase(kind, gates) {
  return {
    id: `${kind}-predict`,
    name: `${kind.toUpperCase()} predict [${B},${T},${F}]→${U}`,
    kind: 'recurrent',
    flops: forwardFlops(gates),
    data: () => ({ x: uniform([B, T, F], -1, 1, 21), w: recurrentWeights(gates, F, U, 22) }),
    setup: (d) => {
      const layer = recurrentLayer(kind, { inputShape: [T, F] });
      const m = tfl.sequential({ layers: [layer] });
      setRecurrentWeights(layer, d.w, F, U);
      return { model: m, x: tf.tensor(d.x, [B, T, F]) };
    },
    run: ({ model, x }) => model.predict(x),
    teardown: ({ model, x }) => {
      model.dispose();
      x.dispose();
    },
    onnx: (d) => ({
      model: model({
        inputs: [{ name: 'x', dims: [T, B, F] }],
        outputs: [{ name: 'y', dims: [1, B, U] }],
        nodes: [onnxRecurrentNode(kind, 'x', 'y', U)],
        initializers: onnxRecurrentWeights(kind, d.w, F, U),
      }),
      // ONNX recurrent ops are time-major.
      feeds: { x: { data: transpose(d.x, [B, T, F], [1, 0, 2]), dims: [T, B, F] } },
      output: 'y',
    }),
  };
}

function trainCase(kind, gates) {
  return {
    id: `${kind}-train`,
    name: `${kind.toUpperCase()}+softmax train step [${B},${T},${F}]→${U}`,
    kind: 'training',
    // Forward, then the gradients of the inputs' products and of the weights: about 3× forward.
    flops: 3 * forwardFlops(gates),
    setup: () => {
      const model = tfl.sequential({
        layers: [
          recurrentLayer(kind, { inputShape: [T, F] }),
          tfl.layers.dense({ units: CLASSES, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      return {
        model,
        x: tf.randomNormal([B, T, F]),
        y: tf.oneHot(tf.randomUniform([B], 0, CLASSES, 'int32'), CLASSES).asType('float32'),
      };
    },
    // trainOnBatch resolves with the loss: the step's readback.
    run: ({ model, x, y }) => model.trainOnBatch(x, y),
    teardown: ({ model, x, y }) => {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

/** @type {import('./cases.mjs').BenchCase[]} */
export const recurrentCases = [
  predictCase('lstm', 4),
  trainCase('lstm', 4),
  predictCase('gru', 3),
  trainCase('gru', 3),
];

/**
 * Issue 5's targets: all-threads 'lanes' against tf.layers on tfjs-wasm and tfjs-cpu. `byCpuTime`
 * gives the one-thread figure from CPU times, which other processes on the cores do not inflate
 * (a lower bound of the all-threads ratio on an idle machine).
 */
export function recurrentTargets(report) {
  const out = [];
  const get = (c, id, key) => {
    const r = c?.results[id];
    return r && !r.error && r[key] ? r[key] : undefined;
  };
  const ratio = (a, b) => (a !== undefined && b !== undefined ? a / b : undefined);
  for (const kind of ['LSTM', 'GRU']) {
    const predict = report.cases.find((c) => c.name.startsWith(`${kind} predict`));
    const train = report.cases.find((c) => c.name.startsWith(`${kind}+softmax train step`));
    const add = (name, c, against, goal) => {
      const value = ratio(get(c, against, 'ms'), get(c, 'lanes-nt', 'ms'));
      const byCpu = ratio(get(c, against, 'cpuMs'), get(c, 'lanes-1t', 'cpuMs'));
      out.push({
        name,
        value: value ?? null,
        goal,
        unit: '×',
        met: value !== undefined && value >= goal,
        byCpuTime: byCpu ?? null,
      });
    };
    if (predict) {
      add(`${kind} predict: all threads vs tf.layers on tfjs-wasm`, predict, 'tfjs-wasm', 4);
      add(`${kind} predict: all threads vs tf.layers on tfjs-cpu`, predict, 'tfjs-cpu', 40);
    }
    if (train) add(`${kind} train step: all threads vs tf.layers on tfjs-wasm`, train, 'tfjs-wasm', 8);
  }
  return out;
}
