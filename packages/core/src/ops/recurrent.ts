// Options, results and activations shared by the lstm and gru ops.
import * as tf from '@tensorflow/tfjs-core';
import { getBackend, getKernel, type Tensor, type TensorLike } from '@tensorflow/tfjs-core';

/**
 * Activations the fused recurrent ops support, as tfjs-layers defines them
 * (`hardSigmoid(x) = clip(0.2·x + 0.5, 0, 1)`).
 */
export type RnnActivation = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'linear';

/** The names accepted for {@link RnnActivation}. */
export const RNN_ACTIVATIONS: readonly RnnActivation[] = ['tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear'];

/** Options common to {@link lstm} and {@link gru}. */
export interface RecurrentOptions {
  /** Return the whole output sequence `[batch, time, units]` rather than the last step's `[batch, units]`. Default false. */
  returnSequences?: boolean;
  /** Also return the final state(s). Default false. */
  returnState?: boolean;
  /**
   * Process the sequence from the last step to the first. As in Keras, the output sequence
   * (and the gate/cell sequences) are then in processing order, i.e. reversed in time.
   */
  goBackwards?: boolean;
  /** Activation of the candidate (and, for LSTM, of the cell output). Default 'tanh'. */
  activation?: RnnActivation;
  /** Activation of the gates. Default 'sigmoid' (Keras; tf.layers defaults to 'hardSigmoid'). */
  recurrentActivation?: RnnActivation;
  /** Also return per-step gate activations (and, for LSTM, cell states). Default false. */
  returnGates?: boolean;
}

export type TensorArg = Tensor | TensorLike;

export function asFloatTensor(x: TensorArg, name: string, op: string): Tensor {
  const t = x instanceof tf.Tensor ? x : tf.tensor(x as TensorLike);
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new Error(`${op}: '${name}' must be numeric, got dtype ${t.dtype}`);
  }
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

export function checkActivation(name: string | undefined, fallback: RnnActivation, op: string): RnnActivation {
  const a = (name ?? fallback) as RnnActivation;
  if (!RNN_ACTIVATIONS.includes(a)) {
    throw new Error(`${op}: activation '${name}' is not supported (use one of ${RNN_ACTIVATIONS.join(', ')})`);
  }
  return a;
}

export function checkShape(t: Tensor, shape: number[], name: string, op: string): void {
  if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${op}: '${name}' must have shape [${shape}], got [${t.shape}]`);
  }
}

/** Applies an activation with standard tfjs ops (the composite path and tests). */
export function applyActivation(x: Tensor, a: RnnActivation): Tensor {
  switch (a) {
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    // Exactly tfjs-layers' hardSigmoid, so that its gradient matches too.
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(0.5, tf.mul(0.2, x)), 0, 1);
    case 'relu':
      return tf.relu(x);
    case 'linear':
      return x;
  }
}

/** Whether the active backend has a fused kernel `name` (e.g. 'LanesLSTM' on 'lanes'). */
export function hasFusedKernel(name: string): boolean {
  return getKernel(name, getBackend()) !== undefined;
}
