// Gradient of 'LanesLSTM': backpropagation through time is one kernel ('LanesLSTMGrad'), which
// yields the pre-activation gate gradients dZ of every step; the weight and input gradients are
// then single matrix products over all steps, computed only for the inputs that need them.
import * as tf from '@tensorflow/tfjs-core';
import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { LSTM_GRAD_KERNEL, LSTM_KERNEL } from '../kernels/lstm.js';

export const lstmGradConfig: GradConfig = {
  kernelName: LSTM_KERNEL,
  inputsToSave: ['x', 'kernel', 'recurrentKernel', 'h0', 'c0'],
  // hSeq, gates and cells (the final states are copies of their last steps).
  outputsToSave: [false, false, true, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs?: NamedAttrMap) => {
    const [dhT, dcT, dhSeq, dGates, dCells] = dy as Tensor[];
    const [x, kernel, recurrentKernel, h0, c0, hSeq, gates, cells] = saved;
    // Runs now, outside the per-input scopes that tfjs disposes after each gradient.
    const [dZ, dBias, dh0, dc0, hPrev] = engine().runKernel(
      LSTM_GRAD_KERNEL,
      { recurrentKernel, h0, c0, hSeq, gates, cells, dhT, dcT, dhSeq, dGates, dCells },
      attrs,
    ) as Tensor[];
    const [B, T, F] = x.shape;
    const U = recurrentKernel.shape[0];
    const dZ2 = tf.reshape(dZ, [B * T, 4 * U]);
    return {
      x: () => tf.reshape(tf.matMul(dZ2, kernel, false, true), [B, T, F]),
      kernel: () => tf.matMul(tf.reshape(x, [B * T, F]), dZ2, true, false),
      recurrentKernel: () => tf.matMul(tf.reshape(hPrev, [B * T, U]), dZ2, true, false),
      bias: () => dBias,
      h0: () => dh0,
      c0: () => dc0,
    };
  },
};
