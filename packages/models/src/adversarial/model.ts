import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkModelInput, checkTensorAsync } from '../validate.js';
import type { LogitsFn, ProbabilityFn } from './types.js';

/** A white-box target: a layers model (softmax or logits head) or a logits function. */
export type WhiteBoxModel = tfl.LayersModel | LogitsFn;

/** A black-box target: a layers model or any probability function. */
export type BlackBoxModel = tfl.LayersModel | ProbabilityFn;

function activationName(layer: tfl.layers.Layer): string | undefined {
  const a = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof a === 'string' ? a : undefined;
}

/**
 * The logits of a layers model, as a differentiable function.
 *
 * Attacks need logits rather than softmax outputs: the softmax of a confident model saturates
 * to exactly 1 in float32, which flattens the margins C&W and DeepFool work on. When the last
 * layer is a softmax `Activation`, or a `Dense` with softmax activation, the head is re-applied
 * without the softmax (same weights, read at every call, so it follows training). Any other head
 * is treated as logits already unless it ends in softmax, in which case log-probabilities
 * (logits up to a per-example constant) are the fallback.
 */
export function logitsOf(model: tfl.LayersModel): LogitsFn {
  let f = cache.get(model);
  if (!f) cache.set(model, (f = buildLogits(model)));
  return f;
}

// One logits function per model: attacks call logitsOf per batch, and each build makes a sub-model.
const cache = new WeakMap<tfl.LayersModel, LogitsFn>();

function buildLogits(model: tfl.LayersModel): LogitsFn {
  const last = model.layers[model.layers.length - 1];
  const act = activationName(last);
  if (act !== 'softmax') return (x) => model.apply(x, { training: false }) as tf.Tensor2D;
  const input = last.input;
  if (!Array.isArray(input)) {
    const body = tfl.model({ inputs: model.inputs, outputs: input });
    if (last.getClassName() === 'Activation') return (x) => body.apply(x, { training: false }) as tf.Tensor2D;
    if (last.getClassName() === 'Dense' && input.shape.length === 2) {
      return (x) =>
        tf.tidy(() => {
          const h = body.apply(x, { training: false }) as tf.Tensor2D;
          const [kernel, bias] = last.getWeights();
          const z = tf.matMul(h, kernel as tf.Tensor2D);
          return (bias ? tf.add(z, bias) : z) as tf.Tensor2D;
        });
    }
  }
  return (x) =>
    tf.tidy(() => tf.log(tf.maximum(model.apply(x, { training: false }) as tf.Tensor2D, 1e-30)) as tf.Tensor2D);
}

/** Normalises a white-box target to a logits function. */
export function toLogitsFn(model: WhiteBoxModel): LogitsFn {
  return model instanceof tfl.LayersModel ? logitsOf(model) : model;
}

/** Normalises a black-box target to a probability function (a layers model's own output). */
export function toProbabilityFn(model: BlackBoxModel): ProbabilityFn {
  if (!(model instanceof tfl.LayersModel)) return model;
  const logits = logitsOf(model);
  return (x) => tf.tidy(() => tf.softmax(logits(x)));
}

/** A logits function seen as a probability function (softmax), e.g. to run black-box attacks on it. */
export function softmaxOf(logits: LogitsFn): ProbabilityFn {
  return (x) => tf.tidy(() => tf.softmax(logits(x)));
}

/** Predicted classes of `x` under a white- or black-box model, `batchSize` examples at a time. */
export async function predictClasses(
  model: WhiteBoxModel | ProbabilityFn,
  x: tf.Tensor,
  batchSize = 256,
): Promise<Int32Array> {
  if (model instanceof tfl.LayersModel) await checkModelInput('predictClasses', 'x', model, x);
  else await checkTensorAsync('predictClasses', 'x', x, { minRank: 2 });
  const fn: (x: tf.Tensor) => tf.Tensor2D | Promise<tf.Tensor2D> =
    model instanceof tfl.LayersModel ? logitsOf(model) : model;
  const n = x.shape[0];
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const chunk = tf.slice(x, start, size);
    const scores = await fn(chunk);
    const arg = tf.argMax(scores, 1);
    out.set(await arg.data(), start);
    tf.dispose([chunk, scores, arg]);
  }
  return out;
}
