/** Looking inside a model: every layer's output for an input, and the learned convolution filters. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkModelInput } from '../validate.js';

/** One layer's output for one input batch. */
export interface LayerOutput {
  /** Layer name. */
  readonly name: string;
  /** Keras class name ('Conv2D', 'MaxPooling2D', …). */
  readonly className: string;
  /** Output shape (batch first). */
  readonly shape: number[];
  /** Output values, row-major (NHWC for image layers: feature map k of pixel (y, x) at (y·W + x)·C + k). */
  readonly values: Float32Array;
}

/** Runs `input` through `model` and returns the output of every layer, in order. */
export async function layerOutputs(model: tfl.LayersModel, input: tf.Tensor): Promise<LayerOutput[]> {
  await checkModelInput('layerOutputs', 'input', model, input);
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tfl.SymbolicTensor) });
  const outs = tf.tidy(() => {
    const o = probe.predict(input);
    return Array.isArray(o) ? o : [o];
  });
  const result: LayerOutput[] = [];
  for (let i = 0; i < layers.length; i++) {
    result.push({
      name: layers[i].name,
      className: layers[i].getClassName(),
      shape: outs[i].shape,
      values: Float32Array.from(await outs[i].data()),
    });
  }
  tf.dispose(outs);
  return result;
}

/** The kernel of one convolution layer. */
export interface ConvFilters {
  /** Layer name. */
  readonly name: string;
  /** `[kernelHeight, kernelWidth, inChannels, outChannels]`. */
  readonly shape: [number, number, number, number];
  /** Weights, row-major in that shape. */
  readonly values: Float32Array;
}

/** The kernels of every Conv2D / Conv2DTranspose layer (weights only, no bias). */
export function convFilters(model: tfl.LayersModel): ConvFilters[] {
  return model.layers
    .filter((l) => /^Conv2D/.test(l.getClassName()))
    .map((l) => {
      const kernel = l.getWeights()[0];
      return {
        name: l.name,
        shape: kernel.shape as [number, number, number, number],
        values: Float32Array.from(kernel.dataSync()),
      };
    });
}
