// Gradient of 'LanesGRU': backpropagation through time is one kernel ('LanesGRUGrad'); the
// weight and input gradients are then single matrix products over all steps, computed only for
// the inputs that need them.
import * as tf from '@tensorflow/tfjs-core';
import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { GRU_GRAD_KERNEL, GRU_KERNEL } from '../kernels/gru.js';

export const gruGradConfig: GradConfig = {
  kernelName: GRU_KERNEL,
  inputsToSave: ['x', 'kernel', 'recurrentKernel', 'h0'],
  // hSeq, gates and (resetAfter) mh; hT is a copy of hSeq's last step.
  outputsToSave: [false, true, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs?: NamedAttrMap) => {
    const dys = dy as Tensor[];
    const [dhT, dhSeq, dGates] = dys;
    const [x, kernel, recurrentKernel, h0, hSeq, gates, mh] = saved;
    const resetAfter = attrs?.resetAfter === true;
    const inputs: tf.NamedTensorMap = { recurrentKernel, h0, hSeq, gates, dhT, dhSeq, dGates };
    if (resetAfter) inputs.mh = mh;
    // Runs now, outside the per-input scopes that tfjs disposes after each gradient.
    const [dA, dBias, dh0, hPrev, R, dAzr, dAh] = engine().runKernel(GRU_GRAD_KERNEL, inputs, attrs) as Tensor[];
    const [B, T, F] = x.shape;
    const U = recurrentKernel.shape[0];
    const dA2 = tf.reshape(dA, [B * T, 3 * U]);
    const hPrev2 = tf.reshape(hPrev, [B * T, U]);
    const dRecurrent = (): Tensor => {
      if (resetAfter) return tf.matMul(hPrev2, tf.reshape(R, [B * T, 3 * U]), true, false);
      return tf.concat(
        [
          tf.matMul(hPrev2, tf.reshape(dAzr, [B * T, 2 * U]), true, false),
          tf.matMul(tf.reshape(R, [B * T, U]), tf.reshape(dAh, [B * T, U]), true, false),
        ],
        1,
      );
    };
    return {
      x: () => tf.reshape(tf.matMul(dA2, kernel, false, true), [B, T, F]),
      kernel: () => tf.matMul(tf.reshape(x, [B * T, F]), dA2, true, false),
      recurrentKernel: dRecurrent,
      bias: () => dBias,
      h0: () => dh0,
    };
  },
};
