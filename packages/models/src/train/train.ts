/**
 * The training loop of compiled tfjs-layers models, shared by the CLI and the demo: seeded
 * shuffling, batch and epoch callbacks, validation, early stopping, learning-rate schedules,
 * checkpoints and cancellation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchesOf, range, type Dataset } from '../data/dataset.js';
import { Rng } from '../random.js';
import type {
  CheckpointOptions,
  EarlyStoppingOptions,
  Logs,
  RunControl,
  runProgress,
  StopReason,
} from './callbacks.js';
import { evaluateLoss } from './evaluate_loss.js';
import { Monitor } from './monitor.js';
import { runEpochs } from './driver.js';

/** Options of {@link trainModel}. */
export interface TrainOptions extends RunControl {
  /** Passes over the training data. */
  readonly epochs: number;
  /** Samples per gradient step (default 32). */
  readonly batchSize?: number;
  /** Seed of the per-epoch shuffles (default 0). */
  readonly seed?: number;
  /** Shuffle every epoch (default true). */
  readonly shuffle?: boolean;
  /** Evaluated after every epoch; adds 'val_loss', 'val_acc', … to the epoch logs. */
  readonly validation?: Dataset;
  /** Batch size of validation (default 256). */
  readonly validationBatchSize?: number;
  /** Stop when the monitored value stops improving (`true` = defaults). */
  readonly earlyStopping?: EarlyStoppingOptions | boolean;
  /**
   * Learning rate, set on the compiled optimizer before every batch: `epoch` counts from 0 and
   * `progress` ∈ [0, 1] is {@link runProgress} (planned batches or time budget, whichever is
   * further), so a schedule can decay to its end whether epochs or the clock run out first.
   */
  readonly learningRate?: (epoch: number, progress: number) => number;
  /** Save the model during training. */
  readonly checkpoint?: CheckpointOptions;
}

/** What a training run did. */
export interface TrainResult {
  /**
   * Logs of each epoch (training means and validation values); when the time limit cut the last
   * epoch short it is here too, measured on the weights the run leaves.
   */
  readonly history: Logs[];
  /** Loss of every batch, in order. */
  readonly batchLosses: number[];
  /** Why training ended. */
  readonly stopReason: StopReason;
  /** Epochs run to their last batch (a time-limited last epoch is in `history` but not counted). */
  readonly epochsCompleted: number;
  /** Epoch with the best monitored value (when early stopping or improved-only checkpoints ran), else -1. */
  readonly bestEpoch: number;
  /** Wall time in milliseconds. */
  readonly elapsedMs: number;
}

/**
 * Trains a compiled model on `train`. Deterministic for a given seed on a given backend (shuffles
 * come from {@link Rng}, dropout masks from the seeded layers of this package).
 */
export async function trainModel(model: tfl.LayersModel, train: Dataset, options: TrainOptions): Promise<TrainResult> {
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error('trainModel: compile the model first (model.compile or compileClassifier)');
  if (train.size === 0) throw new Error('trainModel: the training set is empty');
  const batchSize = options.batchSize ?? 32;
  const rng = new Rng(options.seed ?? 0);
  const names = model.metricsNames;
  const es = options.earlyStopping === true ? {} : options.earlyStopping || undefined;
  const monitorKey = es?.monitor ?? (options.validation ? 'val_loss' : 'loss');
  const monitor = es || options.checkpoint?.onlyImproved ? new Monitor(monitorKey, es?.mode, es?.minDelta) : undefined;
  let bestWeights: tf.Tensor[] | undefined;
  try {
    const run = await runEpochs(
      { ...options, batches: Math.ceil(train.size / batchSize) },
      {
        batchesOf: () =>
          batchesOf(options.shuffle === false ? range(train.size) : rng.permutation(train.size), batchSize),
        step: async (idx, epoch, progress) => {
          if (options.learningRate) setLearningRate(optimizer, options.learningRate(epoch, progress));
          const { xs, ys } = train.batch(idx);
          let out: number | number[];
          try {
            out = await model.trainOnBatch(xs, ys);
          } finally {
            tf.dispose([xs, ys]);
          }
          const values = Array.isArray(out) ? out : [out];
          return Object.fromEntries(names.map((n, i) => [n, values[i]]));
        },
        endEpoch: async (epoch, means) => {
          const logs: Logs = { ...means };
          if (options.validation) {
            const val = await evaluateLoss(model, options.validation, options.validationBatchSize ?? 256);
            for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
          }
          const improved = monitor ? monitor.update(epoch, logs) : true;
          if (improved && es && (es.restoreBestWeights ?? true)) {
            tf.dispose(bestWeights ?? []);
            bestWeights = model.getWeights().map((w) => tf.keep(w.clone()));
          }
          const ck = options.checkpoint;
          if (ck && (epoch + 1) % (ck.everyEpochs ?? 1) === 0 && (!ck.onlyImproved || improved))
            await model.save(ck.target);
          const stop = es && monitor && monitor.wait >= (es.patience ?? 3) ? ('early-stopping' as const) : undefined;
          return { logs, stop };
        },
      },
    );
    if (bestWeights) model.setWeights(bestWeights);
    return {
      history: run.history,
      batchLosses: run.steps.map((s) => s[names[0]]),
      stopReason: run.stopReason,
      epochsCompleted: run.epochsCompleted,
      bestEpoch: monitor?.bestEpoch ?? -1,
      elapsedMs: run.elapsedMs,
    };
  } finally {
    tf.dispose(bestWeights ?? []);
  }
}

/** Sets the learning rate of a tfjs optimizer (SGD/momentum cache it; Adam and others read the field). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else if (typeof o.learningRate === 'number') o.learningRate = learningRate;
  else throw new Error(`cannot set the learning rate of ${optimizer.getClassName()}`);
}
