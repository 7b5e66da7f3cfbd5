/** Builders of the recurrent models: spam classifier, next-character names model, series predictor. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../random.js';
import { recurrentLayer, type RecurrentKind } from './recurrent_layer.js';

/** Options of {@link buildSpamClassifier}. */
export interface SpamModelOptions {
  /** Token vocabulary size including padding (0) and unknown (1). */
  readonly vocabSize: number;
  /** Tokens per message. */
  readonly sequenceLength: number;
  /** Embedding width (default 32). */
  readonly embeddingDim?: number;
  /** Recurrent units (default 32). */
  readonly units?: number;
  /** 'lstm' (default) or 'gru'. */
  readonly kind?: RecurrentKind;
  /** Seed (default 0). */
  readonly seed?: number;
  /** Adam learning rate (default 0.005). */
  readonly learningRate?: number;
  /** LSTM forget-gate biases start at 1 (long sequences such as characters; default false). */
  readonly unitForgetBias?: boolean;
}

/**
 * Token ids [N, sequenceLength] → embedding → LSTM → dense sigmoid: P(spam) [N, 1].
 * Compiled with binary cross-entropy and accuracy.
 */
export function buildSpamClassifier(o: SpamModelOptions): tfl.Sequential {
  const rng = new Rng(o.seed ?? 0);
  const model = tfl.sequential({ name: 'spam_lstm' });
  model.add(
    tfl.layers.embedding({
      inputDim: o.vocabSize,
      outputDim: o.embeddingDim ?? 32,
      inputLength: o.sequenceLength,
      embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.seed() }),
      name: 'embedding',
    }),
  );
  model.add(
    recurrentLayer({
      kind: o.kind ?? 'lstm',
      units: o.units ?? 32,
      seed: rng.seed(),
      name: 'recurrent',
      unitForgetBias: o.unitForgetBias,
    }),
  );
  model.add(
    tfl.layers.dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }),
      name: 'spam_probability',
    }),
  );
  model.compile({
    optimizer: tf.train.adam(o.learningRate ?? 0.005),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Options of {@link buildNamesModel}. */
export interface NamesModelOptions {
  /** Character vocabulary size (including padding 0 and the boundary mark). */
  readonly vocabSize: number;
  /** Characters of context the model sees. */
  readonly contextLength: number;
  /** Embedding width (default 16). */
  readonly embeddingDim?: number;
  /** Recurrent units (default 64). */
  readonly units?: number;
  /** 'lstm' (default) or 'gru'. */
  readonly kind?: RecurrentKind;
  /** Seed (default 0). */
  readonly seed?: number;
  /** Adam learning rate (default 0.005). */
  readonly learningRate?: number;
}

/**
 * Character ids [N, contextLength] → embedding → LSTM → dense softmax: next-character
 * probabilities [N, vocabSize]. Compiled with categorical cross-entropy and accuracy.
 */
export function buildNamesModel(o: NamesModelOptions): tfl.Sequential {
  const rng = new Rng(o.seed ?? 0);
  const model = tfl.sequential({ name: 'names_lstm' });
  model.add(
    tfl.layers.embedding({
      inputDim: o.vocabSize,
      outputDim: o.embeddingDim ?? 16,
      inputLength: o.contextLength,
      embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.seed() }),
      name: 'embedding',
    }),
  );
  model.add(recurrentLayer({ kind: o.kind ?? 'lstm', units: o.units ?? 64, seed: rng.seed(), name: 'recurrent' }));
  model.add(
    tfl.layers.dense({
      units: o.vocabSize,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.seed() }),
      name: 'next_char',
    }),
  );
  model.compile({
    optimizer: tf.train.adam(o.learningRate ?? 0.005),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Options of {@link buildSeriesModel}. */
export interface SeriesModelOptions {
  /** Time steps per input window. */
  readonly windowLength: number;
  /** Features per step (default 1). */
  readonly features?: number;
  /** Recurrent units (default 16). */
  readonly units?: number;
  /** 'gru' (default) or 'lstm'. */
  readonly kind?: RecurrentKind;
  /** Seed (default 0). */
  readonly seed?: number;
  /** Adam learning rate (default 0.002). */
  readonly learningRate?: number;
}

/**
 * Window [N, windowLength, features] → GRU → dense 1 (zero-initialised): the next (normalised)
 * value [N, 1].
 * Compiled with mean squared error.
 */
export function buildSeriesModel(o: SeriesModelOptions): tfl.Sequential {
  const rng = new Rng(o.seed ?? 0);
  const model = tfl.sequential({ name: 'series_gru' });
  model.add(
    recurrentLayer({
      kind: o.kind ?? 'gru',
      units: o.units ?? 16,
      seed: rng.seed(),
      inputShape: [o.windowLength, o.features ?? 1],
      name: 'recurrent',
    }),
  );
  // Zero output weights: training starts from "no change" (the last-value baseline) and moves only
  // as far as the data supports — the recipe's early stopping keeps the best validation epoch.
  model.add(tfl.layers.dense({ units: 1, kernelInitializer: 'zeros', name: 'next_value' }));
  model.compile({ optimizer: tf.train.adam(o.learningRate ?? 0.002), loss: 'meanSquaredError' });
  return model;
}
