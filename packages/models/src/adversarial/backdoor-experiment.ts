import type * as tfl from '@tensorflow/tfjs-layers';
import { imagesToTensor, takeImages, type ImageSplit } from '../data/images.js';
import { balancedSample } from '../data/split.js';
import { trainMnistCnn, type MnistCnnRecipeOptions } from '../recipes/mnist_cnn.js';
import type { BackdoorTrigger } from './backdoor.js';
import { plantBackdoorInImageSet } from './backdoor-images.js';
import { backdoorReport, type PoisoningReport } from './poisoning-report.js';

/** Options of {@link backdoorExperiment}: the poisoning, and the `mnist-cnn` recipe's own options. */
export interface BackdoorExperimentOptions extends MnistCnnRecipeOptions {
  /** Share of the training set poisoned (default 0.01). */
  fraction?: number;
  /** Label the trigger forces (default 0). */
  targetLabel?: number;
  /** The trigger (default: a 4×4 white square one pixel from the bottom-right corner). */
  trigger?: BackdoorTrigger;
  /** A clean model to compare with; omitted → one is trained with the same recipe and seed. */
  cleanModel?: tfl.LayersModel;
}

/** Both models' reports on the test set. */
export interface BackdoorExperimentResult {
  /** The model trained on clean data. */
  clean: PoisoningReport;
  /** The model trained on the poisoned data. */
  poisoned: PoisoningReport;
  /** Number of poisoned training images. */
  poisonedImages: number;
  /** The backdoored model. */
  model: tfl.LayersModel;
}

/**
 * The BadNets experiment on MNIST: trains the `mnist-cnn` recipe on a training set with a trigger
 * planted in `fraction` of it, and reports clean test accuracy and attack success rate (test
 * digits of other classes classified as the target once triggered) next to a clean model's.
 */
export async function backdoorExperiment(
  data: ImageSplit,
  options: BackdoorExperimentOptions = {},
): Promise<BackdoorExperimentResult> {
  const targetLabel = options.targetLabel ?? 0;
  // `limit` picks the training subset first, so `fraction` is a share of what is actually trained on.
  const train =
    options.limit === undefined
      ? data.train
      : takeImages(
          data.train,
          balancedSample(data.train.labels.subarray(0, data.train.count), options.limit, options.seed ?? 0),
        );
  const { set, poisoned } = plantBackdoorInImageSet(train, {
    fraction: options.fraction ?? 0.01,
    targetLabel,
    trigger: options.trigger,
    seed: options.seed,
  });
  const recipe = { ...options, limit: undefined };
  const bad = await trainMnistCnn({ train: set, test: data.test }, recipe);
  const clean = options.cleanModel ?? (await trainMnistCnn({ train, test: data.test }, recipe)).model;
  const x = imagesToTensor(data.test);
  const labels = data.test.labels.subarray(0, data.test.count);
  const report = { targetLabel, trigger: options.trigger };
  const result = {
    clean: await backdoorReport(clean, x, labels, report),
    poisoned: await backdoorReport(bad.model, x, labels, report),
    poisonedImages: poisoned.length,
    model: bad.model,
  };
  x.dispose();
  return result;
}
