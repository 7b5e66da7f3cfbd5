/**
 * The single place where the recurrent models get their LSTM / GRU layers: the fused layers of
 * `src/recurrent/` (one kernel per sequence on 'lanes'; tfjs-layers' own math elsewhere), saved
 * under the stock class names so the files load in plain tfjs-layers too.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { gruLayer, lstmLayer } from '../recurrent/index.js';

/** Recurrent cell type. */
export type RecurrentKind = 'lstm' | 'gru';

/** Options of {@link recurrentLayer}. */
export interface RecurrentLayerOptions {
  /** 'lstm' or 'gru'. */
  readonly kind: RecurrentKind;
  /** Hidden units. */
  readonly units: number;
  /** Return the whole output sequence instead of the last step (default false). */
  readonly returnSequences?: boolean;
  /** Seed of the kernel initialisers. */
  readonly seed: number;
  /** Input shape `[timesteps, features]` when this is the first layer. */
  readonly inputShape?: readonly number[];
  /** Layer name. */
  readonly name?: string;
  /** LSTM only: forget-gate biases start at 1, so memory is kept by default (Jozefowicz et al.; default false). */
  readonly unitForgetBias?: boolean;
}

/** An LSTM or GRU layer with seeded initialisers (Keras-compatible weights and serialisation). */
export function recurrentLayer(options: RecurrentLayerOptions): tfl.layers.Layer {
  const args = {
    units: options.units,
    returnSequences: options.returnSequences ?? false,
    // Sigmoid gates as in current Keras (tfjs defaults to hard sigmoid); the fused kernels match it.
    recurrentActivation: 'sigmoid' as const,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: options.seed }),
    // Glorot rather than tfjs's default orthogonal: orthogonal runs a QR and warns above 2000 values.
    recurrentInitializer: tfl.initializers.glorotUniform({ seed: options.seed + 1 }),
    inputShape: options.inputShape ? [...options.inputShape] : undefined,
    name: options.name,
  };
  return options.kind === 'lstm'
    ? lstmLayer(options.unitForgetBias ? { ...args, unitForgetBias: true } : args)
    : gruLayer(args);
}
