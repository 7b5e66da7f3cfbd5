/**
 * Image classifiers whose input is the same pixels in another layout. Many Keras MNIST models take
 * `[N, 28, 28]` (a Flatten first) or `[N, 784]`; the toolkit and its apps feed `[N, 28, 28, 1]`.
 */
import * as tfl from '@tensorflow/tfjs-layers';

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * `model` as a model taking `[N, ...shape]`: `model` itself when it takes that already (free
 * dimensions match anything), a model that reshapes its input and calls `model` when `model` takes
 * one input of the same number of values in another layout (`[N, 28, 28]` or `[N, 784]` for
 * `[N, 28, 28, 1]`), or `undefined` when it cannot. Disposing the wrapper disposes `model`.
 */
export function withImageInput(model: tfl.LayersModel, shape: readonly number[]): tfl.LayersModel | undefined {
  if (model.inputs.length !== 1) return undefined;
  const inner = model.inputs[0].shape.slice(1);
  if (inner.length === shape.length && inner.every((d, i) => d === null || d === shape[i])) return model;
  if (inner.some((d) => d === null) || product(inner as number[]) !== product(shape)) return undefined;
  const input = tfl.input({ shape: [...shape] });
  const reshaped = tfl.layers.reshape({ targetShape: inner as number[] }).apply(input) as tfl.SymbolicTensor;
  return tfl.model({
    inputs: input,
    outputs: model.apply(reshaped) as tfl.SymbolicTensor,
    name: `${model.name}_images`,
  });
}
