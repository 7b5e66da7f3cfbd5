/**
 * Dropout whose masks are reproducible: tfjs's Dropout either uses Math.random (unseeded) or, when
 * seeded, draws the same mask on every call. This one derives a new seed per training call from
 * its base seed. It serialises as a plain Keras `Dropout` (no seed in the config), so saved models
 * load with stock `tf.loadLayersModel` — and at inference dropout is the identity anyway.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type DropoutLayer = ReturnType<typeof tfl.layers.dropout>;
type DropoutArgs = Parameters<typeof tfl.layers.dropout>[0];
type Kwargs = Parameters<DropoutLayer['call']>[1];

// The Dropout class itself is not exported by tfjs-layers; its factory's product knows it.
const DropoutBase = Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.5 })).constructor as new (args: DropoutArgs) => DropoutLayer;

class SeededDropoutLayer extends DropoutBase {
  private calls = 0;

  constructor(private readonly dropRate: number, private readonly baseSeed: number, name?: string) {
    super({ rate: dropRate, name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    if (kwargs['training'] !== true || !(this.dropRate > 0 && this.dropRate < 1)) return super.call(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const seed = (this.baseSeed + 7919 * this.calls++) % 2147483647;
    return tf.dropout(x, this.dropRate, undefined, seed);
  }
}

/**
 * A Dropout layer with reproducible masks (see the module comment).
 * @param rate fraction of units dropped during training.
 * @param seed base seed; call n uses a seed derived from it and n.
 */
export function seededDropout(rate: number, seed: number, name?: string): DropoutLayer {
  return new SeededDropoutLayer(rate, seed, name);
}
