/**
 * The BatchNorm experiment: the same CNN with and without BatchNormalization, same initial seed,
 * same optimizer settings, trained on the same batches in the same order (interleaved, so both
 * curves grow together in a live view).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchesOf } from '../data/dataset.js';
import { imageDataset, type ImageSet } from '../data/images.js';
import { evaluateClassifier } from '../eval/classifier.js';
import { buildCnn, compileClassifier, type CnnOptions, type CompileOptions } from '../models/cnn.js';
import { Rng } from '../random.js';
import type { BatchProgress, Logs } from '../train/callbacks.js';
import { runEpochs } from '../train/driver.js';

/** The two arms of the experiment. */
export type BatchNormVariant = 'withoutBatchNorm' | 'withBatchNorm';

/** Options of {@link runBatchNormExperiment}. */
export interface BatchNormExperimentOptions {
  /** Training images. */
  readonly train: ImageSet;
  /** Images for the per-epoch accuracy. */
  readonly test: ImageSet;
  /** Epochs (default 2). */
  readonly epochs?: number;
  /** Batch size (default 64). */
  readonly batchSize?: number;
  /** Seed of initialisation, dropout and shuffling (default 0). */
  readonly seed?: number;
  /** Optimizer of both arms (default SGD with momentum, learning rate 0.01). */
  readonly optimizer?: CompileOptions;
  /** Architecture of both arms (batchNorm is set per arm). */
  readonly cnn?: Omit<CnnOptions, 'batchNorm' | 'seed'>;
  /** Called after each batch with both arms' logs. */
  readonly onBatchEnd?: (
    progress: Omit<BatchProgress, 'logs'> & { readonly logs: Record<BatchNormVariant, Logs> },
  ) => void | Promise<void>;
  /** Called after each epoch with both arms' test accuracy. */
  readonly onEpochEnd?: (epoch: number, testAccuracy: Record<BatchNormVariant, number>) => void | Promise<void>;
  /** Stops after the current batch. */
  readonly signal?: AbortSignal;
}

/** Curves of one arm. */
export interface BatchNormArm {
  /** Training loss of every batch. */
  readonly batchLosses: number[];
  /** Training accuracy of every batch. */
  readonly batchAccuracies: number[];
  /** Test accuracy after each epoch. */
  readonly testAccuracy: number[];
  /** The trained model. */
  readonly model: tfl.LayersModel;
}

/** Result of {@link runBatchNormExperiment}. */
export type BatchNormExperimentResult = Record<BatchNormVariant, BatchNormArm> & { readonly aborted: boolean };

/** Trains both arms side by side and returns their curves. */
export async function runBatchNormExperiment(options: BatchNormExperimentOptions): Promise<BatchNormExperimentResult> {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 2;
  const batchSize = options.batchSize ?? 64;
  const compile = options.optimizer ?? { optimizer: 'sgd', learningRate: 0.01 };
  const variants: BatchNormVariant[] = ['withoutBatchNorm', 'withBatchNorm'];
  const arms = {} as Record<BatchNormVariant, BatchNormArm>;
  for (const v of variants) {
    const model = buildCnn({ ...options.cnn, batchNorm: v === 'withBatchNorm', seed });
    compileClassifier(model, compile);
    arms[v] = { model, batchLosses: [], batchAccuracies: [], testAccuracy: [] };
  }
  const data = imageDataset(options.train);
  const rng = new Rng(seed);
  // Both arms step on the same batches inside one loop of the shared driver; their logs travel
  // flat ('withBatchNorm/loss') and are regrouped per arm for the caller.
  const run = await runEpochs(
    {
      epochs,
      batches: Math.ceil(data.size / batchSize),
      signal: options.signal,
      onBatchEnd: (p) => options.onBatchEnd?.({ ...p, logs: perArm(p.logs) }),
    },
    {
      batchesOf: () => batchesOf(rng.permutation(data.size), batchSize),
      step: async (idx) => {
        const { xs, ys } = data.batch(idx);
        const logs: Logs = {};
        try {
          for (const v of variants) {
            const [loss, acc] = (await arms[v].model.trainOnBatch(xs, ys)) as number[];
            arms[v].batchLosses.push(loss);
            arms[v].batchAccuracies.push(acc);
            logs[`${v}/loss`] = loss;
            logs[`${v}/acc`] = acc;
          }
        } finally {
          tf.dispose([xs, ys]);
        }
        return logs;
      },
      endEpoch: async (epoch, means) => {
        const acc = {} as Record<BatchNormVariant, number>;
        for (const v of variants) {
          acc[v] = (await evaluateClassifier(arms[v].model, options.test)).accuracy;
          arms[v].testAccuracy.push(acc[v]);
        }
        await options.onEpochEnd?.(epoch, acc);
        return { logs: means };
      },
    },
  );
  const aborted = run.stopReason === 'aborted';
  return { ...arms, aborted };
}

/** Flat per-arm logs ('withBatchNorm/loss') regrouped by arm. */
function perArm(flat: Logs): Record<BatchNormVariant, Logs> {
  const out = { withoutBatchNorm: {}, withBatchNorm: {} } as Record<BatchNormVariant, Logs>;
  for (const [key, value] of Object.entries(flat)) {
    const [arm, name] = key.split('/') as [BatchNormVariant, string];
    out[arm][name] = value;
  }
  return out;
}
