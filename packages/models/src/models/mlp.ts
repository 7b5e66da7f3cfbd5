/** A fully connected classifier: the CNN's counterpart without weight sharing (parameter counts side by side). */
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../random.js';

/** Options of {@link buildMlp}. */
export interface MlpOptions {
  /** Input shape (default [28, 28, 1], flattened first). */
  readonly inputShape?: readonly number[];
  /** Units of each hidden ReLU layer (default [512, 256]). */
  readonly hidden?: readonly number[];
  /** Softmax classes (default 10). */
  readonly classes?: number;
  /** Seed of the initialisers (default 0). */
  readonly seed?: number;
}

/** flatten → dense ReLU layers → softmax. Uncompiled (see `compileClassifier`). */
export function buildMlp(options: MlpOptions = {}): tfl.Sequential {
  const rng = new Rng(options.seed ?? 0);
  const model = tfl.sequential({ name: 'mlp' });
  model.add(tfl.layers.flatten({ inputShape: [...(options.inputShape ?? [28, 28, 1])], name: 'flatten' }));
  (options.hidden ?? [512, 256]).forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: rng.seed() }),
        name: `dense${i + 1}`,
      }),
    );
  });
  model.add(
    tfl.layers.dense({
      units: options.classes ?? 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }),
      name: 'probabilities',
    }),
  );
  return model;
}
