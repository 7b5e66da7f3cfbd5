// The gru op: one fused kernel per sequence on 'lanes', standard tfjs ops elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import {
  engine,
  registerGradient,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import { GRU_KERNEL, type GRUKernelAttrs } from '../kernels/gru.js';
import { gruComposite, type GRUArgs, type GRUParts } from './gru_composite.js';
import { gruGradConfig } from './gru_grad.js';
import {
  asFloatTensor,
  checkActivation,
  checkShape,
  hasFusedKernel,
  type RecurrentOptions,
  type TensorArg,
} from './recurrent.js';

registerGradient(gruGradConfig);

/** Options of {@link gru}. */
export interface GRUOptions extends RecurrentOptions {
  /** Initial h, `[batch, units]`. Default zeros. */
  initialState?: TensorArg;
  /**
   * Keras' `reset_after`: apply the reset gate after the recurrent product
   * (`hh = act(x·W_h + b_h + r ∘ (h·U_h + b_rh))`, bias `[2, 3·units]`: input row, recurrent row)
   * rather than before it (`hh = act(x·W_h + b_h + (r ∘ h)·U_h)`, bias `[3·units]`, tf.layers'
   * only variant). Default false.
   */
  resetAfter?: boolean;
}

/** What {@link gru} returns. */
export interface GRUResult {
  /** `[batch, time, units]` with `returnSequences`, else the last step's `[batch, units]`. */
  output: Tensor;
  /** Final h (with `returnState`). */
  state?: Tensor2D;
  /**
   * Gate activations `[batch, time, 3, units]` in Keras order z, r, h (candidate) (with
   * `returnGates`). Time follows the output order (reversed with `goBackwards`).
   */
  gates?: Tensor4D;
}

/**
 * A whole GRU layer over a sequence, with Keras / tf.layers weights:
 * `x` `[batch, time, features]`, `kernel` `[features, 3·units]`,
 * `recurrentKernel` `[units, 3·units]`, `bias` `[3·units]` (or `[2, 3·units]` with
 * `resetAfter`) or null; gate order z, r, h. `h_t = z ∘ h_{t-1} + (1 - z) ∘ hh`.
 *
 * On the 'lanes' backend this is one fused kernel ('LanesGRU') with a fused gradient; on every
 * other backend it runs as standard tfjs ops, with the same results and gradients.
 */
export function gru(
  x: TensorArg,
  kernel: TensorArg,
  recurrentKernel: TensorArg,
  bias: TensorArg | null | undefined,
  options: GRUOptions = {},
): GRUResult {
  const op = 'gru';
  const returnSequences = options.returnSequences ?? false;
  const returnState = options.returnState ?? false;
  const returnGates = options.returnGates ?? false;
  const resetAfter = options.resetAfter ?? false;
  const result = tf.tidy(() => {
    const $x = asFloatTensor(x, 'x', op);
    const $k = asFloatTensor(kernel, 'kernel', op);
    const $rk = asFloatTensor(recurrentKernel, 'recurrentKernel', op);
    if ($x.rank !== 3) throw new Error(`${op}: 'x' must be [batch, time, features], got [${$x.shape}]`);
    if ($rk.rank !== 2) throw new Error(`${op}: 'recurrentKernel' must be [units, 3·units], got [${$rk.shape}]`);
    const [B, T, F] = $x.shape;
    const U = $rk.shape[0];
    checkShape($rk, [U, 3 * U], 'recurrentKernel', op);
    checkShape($k, [F, 3 * U], 'kernel', op);
    const $b = bias == null ? null : asFloatTensor(bias, 'bias', op);
    if ($b) checkShape($b, resetAfter ? [2, 3 * U] : [3 * U], 'bias', op);
    const h0 = options.initialState ? asFloatTensor(options.initialState, 'initialState', op) : tf.zeros([B, U]);
    checkShape(h0, [B, U], 'initialState', op);
    const args: GRUArgs = {
      x: $x as Tensor3D,
      kernel: $k as Tensor2D,
      recurrentKernel: $rk as Tensor2D,
      bias: $b,
      h0: h0 as Tensor2D,
      activation: checkActivation(options.activation, 'tanh', op),
      recurrentActivation: checkActivation(options.recurrentActivation, 'sigmoid', op),
      goBackwards: options.goBackwards ?? false,
      resetAfter,
      returnSequences,
      returnGates,
    };
    const fused = B * T * U > 0 && hasFusedKernel(GRU_KERNEL);
    const parts = fused ? gruFused(args) : gruComposite(args);
    const out: GRUResult = { output: parts.output };
    if (returnState) out.state = parts.h;
    if (returnGates) out.gates = parts.gates;
    return out as unknown as tf.TensorContainerObject;
  });
  return result as unknown as GRUResult;
}

function gruFused(a: GRUArgs): GRUParts {
  const U = a.recurrentKernel.shape[0];
  const saveGates = engine().isTapeOn() || a.returnGates;
  const attrs: GRUKernelAttrs = {
    activation: a.activation,
    recurrentActivation: a.recurrentActivation,
    goBackwards: a.goBackwards,
    resetAfter: a.resetAfter,
    saveSequence: a.returnSequences,
    saveGates,
    returnGates: a.returnGates,
  };
  const inputs = {
    x: a.x,
    kernel: a.kernel,
    recurrentKernel: a.recurrentKernel,
    bias: a.bias ?? tf.zeros(a.resetAfter ? [2, 3 * U] : [3 * U]),
    h0: a.h0,
  };
  const outs = engine().runKernel(GRU_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as Tensor[];
  // [hT, hSeq?, gates?, mh?]: returnGates implies the sequence is there too.
  const h = outs[0] as Tensor2D;
  const parts: GRUParts = { output: a.returnSequences ? outs[1] : tf.clone(h), h };
  if (a.returnGates) parts.gates = outs[2] as Tensor4D;
  return parts;
}
