/**
 * Keras layers tfjs-layers lacks, as small tfjs layers registered for serialisation under Keras'
 * class names: Subtract, SpatialDropout2D and Normalization (tfjs-layers has Rescaling).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type AnyConfig = tf.serialization.ConfigDict;
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

// tfjs-layers exports Merge and Dropout only through their subclasses' factories.
const MergeClass = Object.getPrototypeOf(Object.getPrototypeOf(tfl.layers.add({})).constructor) as new (
  args?: LayerArgs,
) => tfl.layers.Layer;
const DropoutClass = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0 })).constructor as new (args: {
  rate: number;
  name?: string;
  trainable?: boolean;
}) => tfl.layers.Layer;

/** Keras' Subtract: the first of two inputs minus the second. */
export class Subtract extends MergeClass {
  static className = 'Subtract';
  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    if (inputs.length !== 2) throw new Error(`Subtract takes exactly 2 inputs, got ${inputs.length}`);
    return tf.sub(inputs[0], inputs[1]);
  }
}

/** Keras' SpatialDropout2D: drops whole channels while training; the identity at inference. */
export class SpatialDropout2D extends DropoutClass {
  static className = 'SpatialDropout2D';
  readonly dataFormat: string;
  constructor(args: { rate: number; dataFormat?: string; name?: string; trainable?: boolean }) {
    super(args);
    this.dataFormat = args.dataFormat ?? 'channelsLast';
  }
  protected getNoiseShape(input: tf.Tensor): tfl.Shape {
    const s = input.shape as number[];
    return this.dataFormat === 'channelsFirst' ? [s[0], s[1], 1, 1] : [s[0], 1, 1, s[3]];
  }
  override getConfig(): AnyConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

type NormalizationArgs = LayerArgs & {
  axis?: number | number[] | null;
  invert?: boolean;
  mean?: number | number[] | null;
  variance?: number | number[] | null;
};

/**
 * Keras' Normalization over the last axis: `(x − mean) / max(√variance, 1e-7)` (or its inverse),
 * with mean and variance as non-trainable weights (keras/src/layers/preprocessing/normalization.py).
 */
export class Normalization extends tfl.layers.Layer {
  static className = 'Normalization';
  readonly axis: number;
  readonly invert: boolean;
  private readonly fixed?: { mean: number | number[]; variance: number | number[] };
  private meanWeight?: tfl.LayerVariable;
  private varianceWeight?: tfl.LayerVariable;

  constructor(args: NormalizationArgs) {
    super(args);
    const axis = Array.isArray(args.axis) ? args.axis : [args.axis ?? -1];
    if (axis.length !== 1) throw new Error(`Normalization: only one axis is supported, got [${axis.join(', ')}]`);
    this.axis = axis[0];
    this.invert = args.invert ?? false;
    if (args.mean != null && args.variance != null) this.fixed = { mean: args.mean, variance: args.variance };
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const axis = this.axis < 0 ? shape.length + this.axis : this.axis;
    if (axis !== shape.length - 1) throw new Error('Normalization: only the last axis is supported');
    const size = shape[axis] as number;
    if (!this.fixed) {
      this.meanWeight = this.addWeight('mean', [size], 'float32', tfl.initializers.zeros(), undefined, false);
      this.varianceWeight = this.addWeight('variance', [size], 'float32', tfl.initializers.ones(), undefined, false);
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const mean = this.fixed ? tf.tensor(this.fixed.mean) : this.meanWeight!.read();
      const variance = this.fixed ? tf.tensor(this.fixed.variance) : this.varianceWeight!.read();
      const sd = tf.maximum(tf.sqrt(variance), 1e-7);
      return this.invert ? tf.add(tf.mul(x, sd), mean) : tf.div(tf.sub(x, mean), sd);
    });
  }

  override getConfig(): AnyConfig {
    const config: AnyConfig = { ...super.getConfig(), axis: this.axis, invert: this.invert };
    if (this.fixed) Object.assign(config, this.fixed);
    return config;
  }
}

let registered = false;

/** Registers the layers above with tfjs serialisation (once). */
export function registerKerasLayers(): void {
  if (registered) return;
  registered = true;
  for (const cls of [Subtract, SpatialDropout2D, Normalization])
    tf.serialization.registerClass(
      cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
    );
}
