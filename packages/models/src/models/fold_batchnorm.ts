/**
 * BatchNorm folded into the layer before it, for inference: at inference a BatchNormalization
 * layer is a fixed per-channel affine map y = s·x + t, so a Conv2D, DepthwiseConv2D or Dense
 * layer with a linear activation followed by it equals one layer with kernel·s and bias
 * (bias − mean)·s + β. An Activation layer right after the BatchNorm moves into that layer too,
 * which lets a backend run convolution, bias and activation as one fused kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidInputError } from '../validate.js';

/** Result of {@link foldBatchNorm}. */
export interface FoldedModel {
  /** A new model (its own weights) computing what the original computes at inference. */
  readonly model: tfl.LayersModel;
  /** The groups merged, e.g. `conv1_1 + bn1_1 + relu1_1`. */
  readonly folded: string[];
}

type Json = { [key: string]: unknown };
interface LayerJson {
  class_name: string;
  config: Json;
}

const FOLDS_INTO = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

/** Per-channel BatchNorm weights by role (gamma / beta are absent when scale / center is off). */
function batchNormWeights(layer: tfl.layers.Layer): {
  gamma?: Float32Array;
  beta?: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
} {
  const byRole: Record<string, Float32Array> = {};
  const values = layer.getWeights();
  layer.weights.forEach((w, i) => {
    byRole[w.originalName.slice(w.originalName.lastIndexOf('/') + 1)] = values[i].dataSync() as Float32Array;
  });
  return {
    gamma: byRole['gamma'],
    beta: byRole['beta'],
    mean: byRole['moving_mean'],
    variance: byRole['moving_variance'],
  };
}

/** Whether `bn` normalises the last axis of its input, the channel axis of the layer before. */
function normalisesChannels(bn: tfl.layers.Layer, config: Json): boolean {
  const rank = (bn.outputShape as number[]).length;
  const axis = config['axis'];
  return (
    axis === -1 ||
    axis === rank - 1 ||
    (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === rank - 1))
  );
}

/** kernel·s (channel = flat index mod C in every layout folded here) and (bias − mean)·s + β, in float64. */
function foldWeights(
  kernel: tf.Tensor,
  bias: tf.Tensor | undefined,
  bn: ReturnType<typeof batchNormWeights>,
  epsilon: number,
): [tf.Tensor, tf.Tensor] {
  const C = bn.mean.length;
  const s = new Float64Array(C),
    t = new Float32Array(C);
  const b = bias?.dataSync();
  for (let c = 0; c < C; c++) {
    s[c] = (bn.gamma ? bn.gamma[c] : 1) / Math.sqrt(bn.variance[c] + epsilon);
    t[c] = ((b ? b[c] : 0) - bn.mean[c]) * s[c] + (bn.beta ? bn.beta[c] : 0);
  }
  const k = kernel.dataSync();
  const folded = new Float32Array(k.length);
  for (let i = 0; i < k.length; i++) folded[i] = k[i] * s[i % C];
  return [tf.tensor(folded, kernel.shape), tf.tensor1d(t)];
}

/**
 * Folds every BatchNormalization that directly follows a Conv2D, DepthwiseConv2D or Dense layer
 * with a linear activation (and normalises its channel axis) into that layer, and moves an
 * Activation layer that follows the BatchNorm into it as well. Other layers are copied as they
 * are. The original model is left untouched. Sequential models only (the layer order is the
 * graph); anything else is rejected with an {@link InvalidInputError}.
 *
 * Predictions agree with the original's inference-mode predictions up to float32 rounding.
 */
export async function foldBatchNorm(model: tfl.LayersModel): Promise<FoldedModel> {
  if (model.getClassName() !== 'Sequential') {
    throw new InvalidInputError(
      `foldBatchNorm: model '${model.name}' is a ${model.getClassName()} model: expected a Sequential model (rebuild it with tf.sequential, or fold by hand)`,
    );
  }
  const topology = model.toJSON(undefined, false) as unknown as Json;
  const specs = (topology['config'] as Json)['layers'] as LayerJson[];
  const layers = model.layers;
  const outSpecs: LayerJson[] = [];
  const weights = new Map<string, tf.Tensor[]>();
  const folded: string[] = [];
  const owned: tf.Tensor[] = [];
  try {
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i],
        spec = specs[i];
      const next = specs[i + 1];
      const foldable =
        FOLDS_INTO.has(spec.class_name) &&
        (spec.config['activation'] ?? 'linear') === 'linear' &&
        next?.class_name === 'BatchNormalization' &&
        normalisesChannels(layers[i + 1], next.config);
      if (!foldable) {
        outSpecs.push(spec);
        weights.set(layer.name, layer.getWeights());
        continue;
      }
      const own = layer.getWeights();
      const useBias = spec.config['use_bias'] !== false;
      const [kernel, bias] = foldWeights(
        own[0],
        useBias ? own[1] : undefined,
        batchNormWeights(layers[i + 1]),
        next.config['epsilon'] as number,
      );
      owned.push(kernel, bias);
      const config: Json = { ...spec.config, use_bias: true };
      const names = [layer.name, layers[i + 1].name];
      const after = specs[i + 2];
      let skip = 1;
      if (after?.class_name === 'Activation') {
        config['activation'] = after.config['activation'];
        names.push(layers[i + 2].name);
        skip = 2;
      }
      outSpecs.push({ class_name: spec.class_name, config });
      weights.set(layer.name, [kernel, bias]);
      folded.push(names.join(' + '));
      i += skip;
    }
    const json = { ...topology, config: { ...(topology['config'] as Json), layers: outSpecs } };
    const out = await tfl.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
    for (const layer of out.layers) layer.setWeights(weights.get(layer.name)!);
    return { model: out, folded };
  } finally {
    tf.dispose(owned);
  }
}
