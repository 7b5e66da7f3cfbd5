/**
 * What an InfoGAN generator's latent codes came to mean, judged by a trained classifier: for each
 * code, the class its samples are most often given (the code's digit) and how often.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { latentDimOf } from '../models/latent.js';
import { sampleLatentPerCode } from '../models/latent_code.js';
import { checkCount } from '../validate.js';

/** Result of {@link judgeCodes}. */
export interface CodeJudgement {
  /** For each code, the class most of its samples are given. */
  readonly majorityClass: number[];
  /** For each code, the share of its samples given that class. */
  readonly majorityShare: number[];
  /** For each code, the share of its samples given each class. */
  readonly classShares: number[][];
  /** Mean of `majorityShare` (codes are equally likely): 1 when every code is one class. */
  readonly purity: number;
}

/** Classifies `perCode` seeded samples of each of `codes` codes (see {@link sampleLatentPerCode}). */
export async function judgeCodes(
  generator: tfl.LayersModel,
  classifier: tfl.LayersModel,
  codes: number,
  perCode = 100,
  seed = 0,
): Promise<CodeJudgement> {
  checkCount('judgeCodes', 'perCode', perCode);
  const latentDim = latentDimOf(generator);
  const majorityClass: number[] = [];
  const majorityShare: number[] = [];
  const classShares: number[][] = [];
  const predicted = tf.tidy(() =>
    tf.argMax(
      classifier.predict(
        generator.predict(sampleLatentPerCode(perCode, latentDim, codes, seed)) as tf.Tensor,
      ) as tf.Tensor,
      1,
    ),
  );
  const classes = await predicted.data();
  predicted.dispose();
  for (let c = 0; c < codes; c++) {
    const counts = new Array<number>(classifier.outputs[0].shape[1] as number).fill(0);
    for (const k of classes.subarray(c * perCode, (c + 1) * perCode)) counts[k]++;
    const top = counts.indexOf(Math.max(...counts));
    majorityClass.push(top);
    majorityShare.push(counts[top] / perCode);
    classShares.push(counts.map((k) => k / perCode));
  }
  return { majorityClass, majorityShare, classShares, purity: majorityShare.reduce((a, b) => a + b, 0) / codes };
}
