/**
 * The inside of an LSTM over one input sequence — input, forget and output gates, cell state and
 * hidden state at every step — recomputed in float64 from the layer's Keras-layout weights
 * (kernel [in, 4u], recurrent kernel [u, 4u], bias [4u], gates ordered i, f, c, o).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkModelInput } from '../validate.js';

/** Per-step gate activations and states, each `[steps × units]` row-major. */
export interface LstmTrace {
  /** Time steps. */
  readonly steps: number;
  /** Hidden units. */
  readonly units: number;
  /** Input gate i_t. */
  readonly inputGate: Float32Array;
  /** Forget gate f_t. */
  readonly forgetGate: Float32Array;
  /** Output gate o_t. */
  readonly outputGate: Float32Array;
  /** Cell state c_t. */
  readonly cell: Float32Array;
  /** Hidden state h_t. */
  readonly hidden: Float32Array;
}

type Activation = (x: number) => number;
const activations: Record<string, Activation> = {
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
  linear: (x) => x,
};

function activation(name: unknown): Activation {
  const f = typeof name === 'string' ? activations[name] : undefined;
  if (!f) throw new Error(`traceLstm: unsupported activation ${String(name)}`);
  return f;
}

/** The first layer of `model` whose class name contains 'LSTM' (or the one named `layerName`). */
export function findLstmLayer(model: tfl.LayersModel, layerName?: string): tfl.layers.Layer {
  const layer = layerName ? model.getLayer(layerName) : model.layers.find((l) => /lstm/i.test(l.getClassName()));
  if (!layer) throw new Error('traceLstm: the model has no LSTM layer');
  return layer;
}

/**
 * Runs `model` up to its LSTM layer on one sample (`input` with batch dimension 1) and traces the
 * LSTM step by step.
 */
export async function traceLstm(model: tfl.LayersModel, input: tf.Tensor, layerName?: string): Promise<LstmTrace> {
  const layer = findLstmLayer(model, layerName);
  // Token ids may come as int32 or float32.
  await checkModelInput('traceLstm', 'input', model, input, { batch: 1, dtype: ['float32', 'int32'] });
  const isFirst = model.inputs[0] === layer.input;
  const seqTensor = isFirst
    ? input.clone()
    : tf.tidy(
        () =>
          tfl.model({ inputs: model.inputs, outputs: layer.input as tfl.SymbolicTensor }).predict(input) as tf.Tensor,
      );
  const [steps, features] = seqTensor.shape.slice(1) as [number, number];
  const seq = await seqTensor.data();
  seqTensor.dispose();
  const [kernelT, recurrentT, biasT] = layer.getWeights();
  const kernel = await kernelT.data();
  const recurrent = await recurrentT.data();
  const bias = biasT ? await biasT.data() : new Float32Array(4 * recurrentT.shape[0]);
  const units = recurrentT.shape[0];
  const config = layer.getConfig();
  const rec = activation(config['recurrentActivation'] ?? 'hardSigmoid');
  const act = activation(config['activation'] ?? 'tanh');

  const out = () => new Float32Array(steps * units);
  const trace = { steps, units, inputGate: out(), forgetGate: out(), outputGate: out(), cell: out(), hidden: out() };
  const h = new Float64Array(units);
  const c = new Float64Array(units);
  const z = new Float64Array(4 * units);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < 4 * units; j++) {
      let s = bias[j];
      for (let k = 0; k < features; k++) s += seq[t * features + k] * kernel[k * 4 * units + j];
      for (let k = 0; k < units; k++) s += h[k] * recurrent[k * 4 * units + j];
      z[j] = s;
    }
    for (let u = 0; u < units; u++) {
      const i = rec(z[u]);
      const f = rec(z[units + u]);
      const g = act(z[2 * units + u]);
      const o = rec(z[3 * units + u]);
      c[u] = f * c[u] + i * g;
      h[u] = o * act(c[u]);
      const at = t * units + u;
      trace.inputGate[at] = i;
      trace.forgetGate[at] = f;
      trace.outputGate[at] = o;
      trace.cell[at] = c[u];
      trace.hidden[at] = h[u];
    }
  }
  return trace;
}
