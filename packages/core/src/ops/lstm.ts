// The lstm op: one fused kernel per sequence on 'lanes', standard tfjs ops elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import {
  engine,
  registerGradient,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import { LSTM_KERNEL, type LSTMKernelAttrs } from '../kernels/lstm.js';
import { lstmComposite, type LSTMArgs, type LSTMParts } from './lstm_composite.js';
import { lstmGradConfig } from './lstm_grad.js';
import {
  asFloatTensor,
  checkActivation,
  checkShape,
  hasFusedKernel,
  type RecurrentOptions,
  type TensorArg,
} from './recurrent.js';

registerGradient(lstmGradConfig);

/** Options of {@link lstm}. */
export interface LSTMOptions extends RecurrentOptions {
  /** Initial `[h, c]`, each `[batch, units]`. Default zeros. */
  initialState?: [TensorArg, TensorArg];
}

/** What {@link lstm} returns. */
export interface LSTMResult {
  /** `[batch, time, units]` with `returnSequences`, else the last step's `[batch, units]`. */
  output: Tensor;
  /** Final `[h, c]` (with `returnState`). */
  state?: [Tensor2D, Tensor2D];
  /**
   * Gate activations `[batch, time, 4, units]` in Keras order i, f, c (candidate), o
   * (with `returnGates`). Time follows the output order (reversed with `goBackwards`).
   */
  gates?: Tensor4D;
  /** Cell states `[batch, time, units]` (with `returnGates`), in output order. */
  cells?: Tensor3D;
}

/**
 * A whole LSTM layer over a sequence, with Keras / tf.layers weights:
 * `x` `[batch, time, features]`, `kernel` `[features, 4·units]`,
 * `recurrentKernel` `[units, 4·units]`, `bias` `[4·units]` or null; gate order i, f, c, o.
 *
 * On the 'lanes' backend this is one fused kernel ('LanesLSTM') with a fused gradient; on every
 * other backend it runs as standard tfjs ops, with the same results and gradients.
 *
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { lstm } from '@lanes/core';
 * const units = 16;
 * const x = tf.randomNormal([8, 20, 3]);                      // [batch, time, features]
 * const kernel = tf.randomNormal([3, 4 * units]);             // gates i, f, c, o side by side
 * const recurrentKernel = tf.randomNormal([units, 4 * units]);
 * const bias = tf.zeros([4 * units]);
 * const { output, state } = lstm(x, kernel, recurrentKernel, bias, { returnState: true });
 * ```
 */
export function lstm(
  x: TensorArg,
  kernel: TensorArg,
  recurrentKernel: TensorArg,
  bias: TensorArg | null | undefined,
  options: LSTMOptions = {},
): LSTMResult {
  const op = 'lstm';
  const returnSequences = options.returnSequences ?? false;
  const returnState = options.returnState ?? false;
  const returnGates = options.returnGates ?? false;
  const result = tf.tidy(() => {
    const $x = asFloatTensor(x, 'x', op);
    const $k = asFloatTensor(kernel, 'kernel', op);
    const $rk = asFloatTensor(recurrentKernel, 'recurrentKernel', op);
    if ($x.rank !== 3) throw new Error(`${op}: 'x' must be [batch, time, features], got [${$x.shape}]`);
    if ($rk.rank !== 2) throw new Error(`${op}: 'recurrentKernel' must be [units, 4·units], got [${$rk.shape}]`);
    const [B, T, F] = $x.shape;
    const U = $rk.shape[0];
    checkShape($rk, [U, 4 * U], 'recurrentKernel', op);
    checkShape($k, [F, 4 * U], 'kernel', op);
    const $b = bias == null ? null : asFloatTensor(bias, 'bias', op);
    if ($b) checkShape($b, [4 * U], 'bias', op);
    const [h0, c0] = options.initialState
      ? options.initialState.map((s, i) => asFloatTensor(s, `initialState[${i}]`, op))
      : [tf.zeros([B, U]), tf.zeros([B, U])];
    checkShape(h0, [B, U], 'initialState[0]', op);
    checkShape(c0, [B, U], 'initialState[1]', op);
    const args: LSTMArgs = {
      x: $x as Tensor3D,
      kernel: $k as Tensor2D,
      recurrentKernel: $rk as Tensor2D,
      bias: $b as Tensor1D | null,
      h0: h0 as Tensor2D,
      c0: c0 as Tensor2D,
      activation: checkActivation(options.activation, 'tanh', op),
      recurrentActivation: checkActivation(options.recurrentActivation, 'sigmoid', op),
      goBackwards: options.goBackwards ?? false,
      returnSequences,
      returnGates,
    };
    const fused = B * T * U > 0 && hasFusedKernel(LSTM_KERNEL);
    const parts = fused ? lstmFused(args) : lstmComposite(args);
    const out: LSTMResult = { output: parts.output };
    if (returnState) out.state = [parts.h, parts.c];
    if (returnGates) {
      out.gates = parts.gates;
      out.cells = parts.cells;
    }
    return out as unknown as tf.TensorContainerObject;
  });
  return result as unknown as LSTMResult;
}

function lstmFused(a: LSTMArgs): LSTMParts {
  const U = a.recurrentKernel.shape[0];
  // Gates and cells are what the backward pass needs: keep them whenever gradients are recorded.
  const saveGates = engine().isTapeOn() || a.returnGates;
  const attrs: LSTMKernelAttrs = {
    activation: a.activation,
    recurrentActivation: a.recurrentActivation,
    goBackwards: a.goBackwards,
    saveSequence: a.returnSequences,
    saveGates,
    returnGates: a.returnGates,
  };
  const inputs = {
    x: a.x,
    kernel: a.kernel,
    recurrentKernel: a.recurrentKernel,
    bias: a.bias ?? tf.zeros([4 * U]),
    h0: a.h0,
    c0: a.c0,
  };
  const outs = engine().runKernel(LSTM_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as Tensor[];
  const [h, c] = outs as Tensor2D[];
  // [hT, cT, hSeq?, gates?, cells?]: returnGates implies the sequence is there too.
  const parts: LSTMParts = { output: a.returnSequences ? outs[2] : tf.clone(h), h, c };
  if (a.returnGates) {
    parts.gates = outs[3] as Tensor4D;
    parts.cells = outs[4] as Tensor3D;
  }
  return parts;
}
