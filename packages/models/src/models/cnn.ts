/** The convolutional digit classifier (the `mnist-cnn` model and the BatchNorm experiment's pair). */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../random.js';
import { seededDropout } from './seeded_dropout.js';

/** Options of {@link buildCnn}. */
export interface CnnOptions {
  /** Input `[height, width, channels]` (default [28, 28, 1], values in [0, 1]). */
  readonly inputShape?: readonly [number, number, number];
  /** Number of classes of the softmax output (default 10). */
  readonly classes?: number;
  /** Filters of each convolution block; each block ends with 2×2 max pooling (default [32, 64]). */
  readonly filters?: readonly number[];
  /** Convolutions per block (default 1). */
  readonly convsPerBlock?: number;
  /** Square kernel size (default 5). */
  readonly kernelSize?: number;
  /** 'valid' (default, smaller maps) or 'same' padding. */
  readonly padding?: 'valid' | 'same';
  /** Units of the hidden dense layer; 0 for none (default 128). */
  readonly dense?: number;
  /** Insert BatchNormalization after every convolution and the hidden dense layer (default false). */
  readonly batchNorm?: boolean;
  /**
   * Momentum of the BatchNorm moving averages (default 0.9; Keras uses 0.99, whose averages still
   * remember their initial 0/1 after a few hundred steps — inference of a briefly trained model,
   * as in the demo, would be garbage).
   */
  readonly batchNormMomentum?: number;
  /** Dropout rate before the output layer; 0 disables (default 0.25). */
  readonly dropout?: number;
  /** Seed of initialisers and dropout masks (default 0). */
  readonly seed?: number;
}

/**
 * A conv → (BN) → ReLU → max-pool stack, then flatten → dense → (BN) → ReLU → dropout →
 * softmax. Uncompiled (see {@link compileClassifier}). Input [N, h, w, c] in [0, 1], output
 * probabilities [N, classes].
 */
export function buildCnn(options: CnnOptions = {}): tfl.Sequential {
  const rng = new Rng(options.seed ?? 0);
  const bn = options.batchNorm ?? false;
  const kernelSize = options.kernelSize ?? 5;
  const momentum = options.batchNormMomentum ?? 0.9;
  const model = tfl.sequential({ name: bn ? 'cnn_bn' : 'cnn' });
  let first = true;
  (options.filters ?? [32, 64]).forEach((filters, block) => {
    for (let k = 0; k < (options.convsPerBlock ?? 1); k++) {
      model.add(
        tfl.layers.conv2d({
          inputShape: first ? [...(options.inputShape ?? [28, 28, 1])] : undefined,
          filters,
          kernelSize,
          padding: options.padding ?? 'valid',
          useBias: !bn,
          kernelInitializer: tfl.initializers.heNormal({ seed: rng.seed() }),
          name: `conv${block + 1}_${k + 1}`,
        }),
      );
      first = false;
      if (bn) model.add(tfl.layers.batchNormalization({ momentum, name: `bn${block + 1}_${k + 1}` }));
      model.add(tfl.layers.activation({ activation: 'relu', name: `relu${block + 1}_${k + 1}` }));
    }
    model.add(tfl.layers.maxPooling2d({ poolSize: 2, name: `pool${block + 1}` }));
  });
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  const dense = options.dense ?? 128;
  if (dense > 0) {
    model.add(
      tfl.layers.dense({
        units: dense,
        useBias: !bn,
        kernelInitializer: tfl.initializers.heNormal({ seed: rng.seed() }),
        name: 'dense',
      }),
    );
    if (bn) model.add(tfl.layers.batchNormalization({ momentum, name: 'bn_dense' }));
    model.add(tfl.layers.activation({ activation: 'relu', name: 'relu_dense' }));
  }
  const dropout = options.dropout ?? 0.25;
  if (dropout > 0) model.add(seededDropout(dropout, rng.seed(), 'dropout'));
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

/** Options of {@link compileClassifier}. */
export interface CompileOptions {
  /** Adam learning rate (default 0.001). */
  readonly learningRate?: number;
  /** 'adam' (default) or 'sgd' (with momentum 0.9). */
  readonly optimizer?: 'adam' | 'sgd';
}

/** Compiles a softmax classifier: categorical cross-entropy, accuracy metric. */
export function compileClassifier(model: tfl.LayersModel, options: CompileOptions = {}): void {
  const lr = options.learningRate ?? 0.001;
  model.compile({
    optimizer: options.optimizer === 'sgd' ? tf.train.momentum(lr, 0.9) : tf.train.adam(lr),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
}

/**
 * A model sharing `classifier`'s weights that outputs the input of its last layer: the
 * penultimate features used by the Fréchet distance (and the demo's feature views).
 */
export function penultimateFeatures(classifier: tfl.LayersModel): tfl.LayersModel {
  const last = classifier.layers[classifier.layers.length - 1];
  return tfl.model({
    inputs: classifier.inputs,
    outputs: last.input as tfl.SymbolicTensor,
    name: `${classifier.name}_features`,
  });
}
