import type * as tfl from '@tensorflow/tfjs-layers';
import { imagesToTensor, type ImageSplit } from '../data/images.js';
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
export async function backdoorExperiment(data: ImageSplit, options: BackdoorExperimentOptions = {}): Promise<BackdoorExperimentResult> {
  const targetLabel = options.targetLabel ?? 0;
  const { set, poisoned } = plantBackdoorInImageSet(data.train, {
    fraction: options.fraction ?? 0.01, targetLabel, trigger: options.trigger, seed: options.seed,
  });
  const bad = await trainMnistCnn({ train: set, test: data.test }, options);
  const clean = options.cleanModel ?? (await trainMnistCnn(data, options)).model;
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
