/** Progress reports and stop controls shared by every trainer (classifier, GAN, recurrent). */
import type * as tf from '@tensorflow/tfjs-core';

/** Named scalar values: 'loss', metric names ('acc'), and 'val_…' for validation. */
export type Logs = Record<string, number>;

/** Reported after every batch. */
export interface BatchProgress {
  /** Epoch index, from 0. */
  readonly epoch: number;
  /** Total epochs planned. */
  readonly epochs: number;
  /** Batch index within the epoch, from 0. */
  readonly batch: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** Batches done so far in the run (1 after the first). */
  readonly step: number;
  /** Batches the whole run plans. */
  readonly totalSteps: number;
  /** Loss and metrics of this batch. */
  readonly logs: Logs;
  /** Milliseconds since training started. */
  readonly elapsedMs: number;
  /** Estimated milliseconds left (from the mean time per batch so far). */
  readonly etaMs: number;
}

/** Reported after every epoch. */
export interface EpochProgress {
  /** Epoch index, from 0. */
  readonly epoch: number;
  /** Total epochs planned. */
  readonly epochs: number;
  /** Mean loss and metrics over the epoch's batches, plus validation values ('val_loss', …). */
  readonly logs: Logs;
  /** Milliseconds since training started. */
  readonly elapsedMs: number;
  /** Estimated milliseconds left. */
  readonly etaMs: number;
}

/** Callbacks; a returned promise is awaited before training goes on. */
export interface TrainCallbacks {
  /** After every batch. */
  readonly onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /** After every epoch (after validation, early-stopping bookkeeping and checkpointing). */
  readonly onEpochEnd?: (progress: EpochProgress) => void | Promise<void>;
}

/** Stop when a monitored value stops improving. */
export interface EarlyStoppingOptions {
  /** Value to watch (default 'val_loss', or 'loss' without validation data). */
  readonly monitor?: string;
  /** 'min' or 'max' (default: 'max' for names containing 'acc', else 'min'). */
  readonly mode?: 'min' | 'max';
  /** Epochs without improvement before stopping (default 3). */
  readonly patience?: number;
  /** Smallest change that counts as improvement (default 0). */
  readonly minDelta?: number;
  /** Put back the best epoch's weights when training ends (default true). */
  readonly restoreBestWeights?: boolean;
}

/** Where and how often to save the model during training. */
export interface CheckpointOptions {
  /**
   * A tf.io URL ('indexeddb://name', 'downloads://name', 'file://dir' in Node via
   * `@lanes/models/node`) or an IOHandler. Each save replaces the previous one.
   */
  readonly target: string | tf.io.IOHandler;
  /** Save every this many epochs (default 1). */
  readonly everyEpochs?: number;
  /** Save only when the early-stopping monitor improved (default false). */
  readonly onlyImproved?: boolean;
}

/** Why a training run ended. */
export type StopReason = 'completed' | 'early-stopping' | 'aborted' | 'time-limit';

/** Settings every trainer accepts. */
export interface RunControl extends TrainCallbacks {
  /** Aborting stops training after the current batch; the result says 'aborted'. */
  readonly signal?: AbortSignal;
  /**
   * Wall-time budget in milliseconds: training stops after the batch that reaches it (the
   * result says 'time-limit'; the model is usable, the epoch is counted if it completed).
   */
  readonly timeLimitMs?: number;
}

/**
 * How far a run is, in [0, 1]: the larger of the share of planned batches done and the share of
 * the time budget used — what time-aware learning-rate schedules follow.
 */
export function runProgress(step: number, totalSteps: number, elapsedMs: number, timeLimitMs?: number): number {
  const byWork = totalSteps > 0 ? step / totalSteps : 0;
  const byTime = timeLimitMs !== undefined && timeLimitMs > 0 ? elapsedMs / timeLimitMs : 0;
  return Math.min(1, Math.max(byWork, byTime));
}
