/** What every training recipe takes and returns. */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CheckpointOptions, RunControl, StopReason } from '../train/callbacks.js';

/** Options shared by the recipes; each recipe documents its defaults. */
export interface RecipeOptions extends RunControl {
  /** Seed of everything random (default 0). */
  readonly seed?: number;
  /** Epochs (recipe default otherwise). */
  readonly epochs?: number;
  /** Batch size (recipe default otherwise). */
  readonly batchSize?: number;
  /** (Peak) learning rate (recipe default otherwise). */
  readonly learningRate?: number;
  /** Train on a seeded subset of this many training samples (quick runs and tests). */
  readonly limit?: number;
  /** Checkpoint the model during training. */
  readonly checkpoint?: CheckpointOptions;
}

/** A trained model with its held-out metrics and the settings that produced it. */
export interface RecipeResult<M extends Record<string, number> = Record<string, number>> {
  /** The trained model (metadata set, ready to save). */
  readonly model: tfl.LayersModel;
  /** Held-out metrics. */
  readonly metrics: M;
  /** Hyperparameters and data sizes, for MODEL.md. */
  readonly config: Record<string, string | number | boolean>;
  /** Epochs completed (and batches, when the recipe reports them) and why training stopped. */
  readonly run: {
    /** Epochs run to their last batch. */
    readonly epochsCompleted: number;
    /** Batches run, when the recipe counts them. */
    readonly steps?: number;
    /** Why training stopped (a {@link StopReason}). */
    readonly stopReason: string;
    /** Training wall time in milliseconds. */
    readonly elapsedMs: number;
  };
}
