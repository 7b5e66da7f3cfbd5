/**
 * DCGAN training: alternating discriminator and generator steps with Adam (default lr 2e-4, β1 0.5),
 * one-sided label smoothing, and a record of D/G losses and D accuracy (real, fake, both) —
 * the curves that show oscillation and the 50 % equilibrium.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchesOf } from '../data/dataset.js';
import { imagesToTensor, type ImageSet } from '../data/images.js';
import { latentDimOf } from '../models/latent.js';
import { codeThresholds, latentCodeOf } from '../models/latent_code.js';
import { clusteringLoss } from './clustering_loss.js';
import { Rng } from '../random.js';
import type { Logs, RunControl, runProgress, StopReason } from './callbacks.js';
import { runEpochs } from './driver.js';
import { setLearningRate } from './train.js';

/** Options of {@link GanTrainer}. */
export interface GanTrainerOptions {
  /** Adam learning rate of the generator, and of the discriminator unless given apart (default 2e-4). */
  readonly learningRate?: number;
  /**
   * Adam learning rate of the discriminator (default: `learningRate`). A faster discriminator is
   * the two time-scale update rule (TTUR, Heusel et al., 2017).
   */
  readonly discriminatorLearningRate?: number;
  /** Adam β1 (default 0.5). */
  readonly beta1?: number;
  /** Target for real images in the discriminator loss (default 0.9: one-sided label smoothing). */
  readonly realLabel?: number;
  /** Seed of latent samples and batch order (default 0). */
  readonly seed?: number;
  /**
   * Keep an exponential moving average of the generator's weights with this decay (e.g. 0.999;
   * default off). Averaged generators make cleaner samples (Yazıcı et al., 2019); the effective
   * decay ramps up as min(decay, (1 + t) / (10 + t)) so short runs average too.
   * {@link GanTrainer.useAveragedGenerator} copies the average into the generator.
   */
  readonly emaDecay?: number;
  /** Generator steps after each discriminator step (default 1). */
  readonly generatorSteps?: number;
  /**
   * Standard deviation of Gaussian noise added to the discriminator's real and fake inputs in its
   * steps (instance noise, Sønderby et al., 2016; default 0). {@link GanTrainer.fit} anneals it
   * linearly to 0 at the end of the run (progress as for `learningRateScale`).
   */
  readonly instanceNoise?: number;
  /**
   * The adversarial loss (default 'bce'): 'bce' is the original non-saturating cross-entropy on
   * the logit; 'lsgan' the least-squares loss (Mao et al., 2017): D pulls its output to
   * `realLabel` for real and 0 for fake images, G pulls it on fakes to `realLabel`; 'hinge' the
   * hinge loss of SN-GAN (Miyato et al., 2018): D minimises mean(relu(1 − real)) + mean(relu(1 + fake)),
   * G maximises mean(fake) (`realLabel` unused).
   */
  readonly loss?: GanLoss;
  /**
   * Categorical codes the generator's z₀ carries (InfoGAN, Chen et al., 2016; default 0: none).
   * The generator and discriminator must be built with the same `codes`: the discriminator's
   * output is then [N, 1 + codes], and both networks also minimise `codeWeight` × the
   * cross-entropy between the code of each fake's latent and the code logits (a lower bound on
   * their mutual information), which makes each code a distinct mode of the samples.
   */
  readonly codes?: number;
  /** Weight of the code loss (default 1, InfoGAN's value for categorical codes). */
  readonly codeWeight?: number;
  /**
   * Weight of a clustering term on real images (default 0): the discriminator's code head should
   * be confident on each real image (low conditional entropy) while the batch uses every code
   * equally (high marginal entropy), as in CatGAN (Springenberg, 2016). Codes then split the real
   * data into equal parts, which ties each code to as much of the data as it has of the latent.
   * The logged `dLoss` includes it (so it can be negative: the term's minimum is −ln codes).
   */
  readonly codeBalance?: number;
  /**
   * Supervise the code head with the real images' class labels (AC-GAN, Odena et al., 2017;
   * default false): the discriminator also minimises `codeWeight` × the cross-entropy between the
   * code logits of each real image and its class, so code c comes to draw class c. Needs as many
   * codes as classes, excludes `codeBalance`, and {@link GanTrainer.step} then needs the labels.
   * The logged `dLoss` includes both code cross-entropies (on fakes and on real images).
   */
  readonly codeLabels?: boolean;
}

/** Adversarial losses of {@link GanTrainer}. */
export type GanLoss = 'bce' | 'lsgan' | 'hinge';

/** Options of {@link GanTrainer.fit}. */
export interface GanFitOptions extends RunControl {
  /** Passes over the real images. */
  readonly epochs: number;
  /** Real (and fake) images per step (default 64; the last partial batch of an epoch is skipped). */
  readonly batchSize?: number;
  /** Stop an epoch after this many steps (default: all full batches). */
  readonly stepsPerEpoch?: number;
  /**
   * Factor on both learning rates, set before every step: `progress` ∈ [0, 1] is
   * {@link runProgress} (planned steps or time budget, whichever is further), so a decay reaches
   * its end whether the epochs or the clock run out first (default: constant 1).
   */
  readonly learningRateScale?: (progress: number) => number;
  /** Save the generator (and optionally the discriminator) every `everyEpochs` epochs. */
  readonly checkpoint?: {
    readonly generator: string | tf.io.IOHandler;
    readonly discriminator?: string | tf.io.IOHandler;
    readonly everyEpochs?: number;
  };
}

/** What {@link GanTrainer.fit} did. */
export interface GanFitResult {
  /** Mean logs per epoch (the last one partial when the time limit hit): dLoss, gLoss, dAccReal, dAccFake, dAcc. */
  readonly history: Logs[];
  /** Logs of every step. */
  readonly steps: Logs[];
  /** Why training ended ('completed', 'aborted' or 'time-limit'). */
  readonly stopReason: StopReason;
  /** Epochs run to their last step (a time-limited last epoch is in `history` but not counted). */
  readonly epochsCompleted: number;
  /** Wall time in milliseconds. */
  readonly elapsedMs: number;
}

/** Names of the per-step GAN logs. */
export const GAN_LOG_KEYS = ['dLoss', 'gLoss', 'dAccReal', 'dAccFake', 'dAcc'] as const;

/**
 * Trains a generator (latent → image in [0, 1]) against a discriminator (image → logit). Keeps
 * its optimizers, so repeated `step`/`fit` calls continue the same run (the demo's live steps).
 */
export class GanTrainer {
  private readonly dOpt: tf.AdamOptimizer;
  private readonly gOpt: tf.AdamOptimizer;
  private readonly rng: Rng;
  private readonly realLabel: number;
  private readonly latentDim: number;
  private readonly gLr: number;
  private readonly dLr: number;
  private readonly emaDecay?: number;
  private readonly generatorSteps: number;
  private readonly instanceNoise: number;
  private readonly loss: GanLoss;
  private readonly codes: number;
  private readonly codeWeight: number;
  private readonly thresholds: number[];
  private readonly codeBalance: number;
  private readonly codeLabels: boolean;
  private noiseStd: number;
  private ema?: tf.Tensor[];
  private steps = 0;

  constructor(
    readonly generator: tfl.LayersModel,
    readonly discriminator: tfl.LayersModel,
    options: GanTrainerOptions = {},
  ) {
    this.gLr = options.learningRate ?? 2e-4;
    this.dLr = options.discriminatorLearningRate ?? this.gLr;
    const beta1 = options.beta1 ?? 0.5;
    this.dOpt = tf.train.adam(this.dLr, beta1);
    this.gOpt = tf.train.adam(this.gLr, beta1);
    this.rng = new Rng(options.seed ?? 0);
    this.realLabel = options.realLabel ?? 0.9;
    this.latentDim = latentDimOf(generator);
    this.emaDecay = options.emaDecay;
    this.generatorSteps = options.generatorSteps ?? 1;
    if (!Number.isInteger(this.generatorSteps) || this.generatorSteps < 1)
      throw new Error(`GanTrainer: generatorSteps must be a positive integer, got ${this.generatorSteps}`);
    this.instanceNoise = options.instanceNoise ?? 0;
    this.noiseStd = this.instanceNoise;
    this.loss = options.loss ?? 'bce';
    if (!['bce', 'lsgan', 'hinge'].includes(this.loss))
      throw new Error(`GanTrainer: loss must be 'bce', 'lsgan' or 'hinge', got '${String(this.loss)}'`);
    this.codes = options.codes ?? 0;
    this.codeWeight = options.codeWeight ?? 1;
    this.thresholds = this.codes > 0 ? codeThresholds(this.codes) : [];
    this.codeBalance = options.codeBalance ?? 0;
    if (this.codeBalance !== 0 && this.codes === 0)
      throw new Error('GanTrainer: codeBalance needs codes (it clusters real images by their code logits)');
    this.codeLabels = options.codeLabels ?? false;
    if (this.codeLabels && (this.codes === 0 || this.codeBalance !== 0))
      throw new Error(
        'GanTrainer: codeLabels needs codes (one per class) and no codeBalance (the labels already tie codes to the data)',
      );
    const width = discriminator.outputs[0].shape[discriminator.outputs[0].shape.length - 1];
    if (width !== 1 + this.codes) {
      throw new Error(
        `GanTrainer: the discriminator outputs ${width} values per image; with codes ${this.codes} it must output ${1 + this.codes} (build both networks with the same codes)`,
      );
    }
  }

  /**
   * One discriminator step and `generatorSteps` generator steps on a batch of real images
   * `[n, 28, 28, 1]` in [0, 1] (gLoss: the last generator step's); with `codeLabels`, `labels`
   * are their classes one-hot `[n, codes]`.
   */
  async step(real: tf.Tensor4D, labels?: tf.Tensor2D): Promise<Logs> {
    const n = real.shape[0];
    if (this.codeLabels && (labels === undefined || labels.shape[0] !== n || labels.shape[1] !== this.codes)) {
      throw new Error(
        `GanTrainer.step: with codeLabels the real batch needs one-hot labels [${n}, ${this.codes}], got ${labels ? `[${labels.shape.join(', ')}]` : 'none'}`,
      );
    }
    const dVars = variablesOf(this.discriminator);
    const gVars = variablesOf(this.generator);
    let realLogits: tf.Tensor | undefined;
    let fakeLogits: tf.Tensor | undefined;
    const [z1, c1] = this.latent(n);
    const fake = tf.tidy(() => this.generator.apply(z1, { training: true }) as tf.Tensor);
    const std = this.noiseStd;
    const noisy = (x: tf.Tensor) =>
      std > 0 ? tf.add(x, tf.mul(tf.tensor(this.rng.normals(x.size), x.shape), std)) : x;
    const dLoss = this.dOpt.minimize(
      () => {
        const realOut = this.discriminator.apply(noisy(real), { training: true }) as tf.Tensor;
        const r = this.logitOf(realOut);
        const out = this.discriminator.apply(noisy(fake), { training: true }) as tf.Tensor;
        const f = this.logitOf(out);
        realLogits = tf.keep(r);
        fakeLogits = tf.keep(f);
        const loss = this.withCodeLoss(
          this.withCodeLoss(this.discriminatorLoss(r, f), out, c1),
          realOut,
          this.codeLabels ? labels : undefined,
        );
        return this.codeBalance > 0
          ? (tf.add(loss, tf.mul(clusteringLoss(this.codeLogitsOf(realOut)), this.codeBalance)) as tf.Scalar)
          : loss;
      },
      true,
      dVars,
    ) as tf.Scalar;
    tf.dispose([z1, c1 ?? [], fake]);
    let gLoss = tf.scalar(0);
    for (let k = 0; k < this.generatorSteps; k++) {
      const [z2, c2] = this.latent(n);
      gLoss.dispose();
      gLoss = this.gOpt.minimize(
        () => {
          const out = this.discriminator.apply(this.generator.apply(z2, { training: true }), {
            training: true,
          }) as tf.Tensor;
          return this.withCodeLoss(this.generatorLoss(this.logitOf(out)), out, c2);
        },
        true,
        gVars,
      ) as tf.Scalar;
      tf.dispose([z2, c2 ?? []]);
    }
    const [rl, fl, dl, gl] = await Promise.all([
      (realLogits as tf.Tensor).data(),
      (fakeLogits as tf.Tensor).data(),
      dLoss.data(),
      gLoss.data(),
    ]);
    tf.dispose([realLogits as tf.Tensor, fakeLogits as tf.Tensor, dLoss, gLoss]);
    let realRight = 0,
      fakeRight = 0;
    for (let i = 0; i < n; i++) {
      if (rl[i] > 0) realRight++;
      if (fl[i] < 0) fakeRight++;
    }
    const dAccReal = realRight / n;
    const dAccFake = fakeRight / n;
    this.steps++;
    if (this.emaDecay !== undefined) this.updateAverage(this.emaDecay);
    return { dLoss: dl[0], gLoss: gl[0], dAccReal, dAccFake, dAcc: (dAccReal + dAccFake) / 2 };
  }

  /** Trains on `images` for `options.epochs` passes, shuffled with the trainer's seed (on the epoch loop `trainModel` runs on). */
  async fit(images: ImageSet, options: GanFitOptions): Promise<GanFitResult> {
    const batchSize = options.batchSize ?? 64;
    const full = Math.floor(images.count / batchSize);
    if (full === 0) throw new Error(`GanTrainer.fit: need at least ${batchSize} images, got ${images.count}`);
    if (this.codeLabels && images.classNames.length !== this.codes) {
      throw new Error(
        `GanTrainer.fit: codeLabels needs one code per class: the images have ${images.classNames.length} classes, the trainer ${this.codes} codes`,
      );
    }
    const batches = Math.min(full, options.stepsPerEpoch ?? full);
    return runEpochs(
      { ...options, batches },
      {
        batchesOf: () => batchesOf(this.rng.permutation(images.count).subarray(0, batches * batchSize), batchSize),
        step: async (idx, _epoch, progress) => {
          if (options.learningRateScale) this.scaleLearningRates(options.learningRateScale(progress));
          this.noiseStd = this.instanceNoise * (1 - progress);
          const real = imagesToTensor(images, idx);
          const labels = this.codeLabels ? oneHotLabels(images, idx, this.codes) : undefined;
          try {
            return await this.step(real, labels);
          } finally {
            tf.dispose([real, labels ?? []]);
          }
        },
        endEpoch: async (epoch, logs) => {
          const ck = options.checkpoint;
          if (ck && (epoch + 1) % (ck.everyEpochs ?? 1) === 0) {
            await this.generator.save(ck.generator);
            if (ck.discriminator) await this.discriminator.save(ck.discriminator);
          }
          return { logs };
        },
      },
    );
  }

  /** Copies the averaged weights (see {@link GanTrainerOptions.emaDecay}) into the generator; false without an average. */
  useAveragedGenerator(): boolean {
    if (!this.ema) return false;
    this.generator.setWeights(this.ema);
    return true;
  }

  /** Sets both learning rates to `factor` × their base values (the schedule of {@link GanFitOptions.learningRateScale}). */
  scaleLearningRates(factor: number): void {
    setLearningRate(this.gOpt, this.gLr * factor);
    setLearningRate(this.dOpt, this.dLr * factor);
  }

  /** Frees the optimizers' state and the weight average. */
  dispose(): void {
    this.dOpt.dispose();
    this.gOpt.dispose();
    tf.dispose(this.ema ?? []);
    this.ema = undefined;
  }

  private updateAverage(decay: number): void {
    const weights = this.generator.getWeights();
    if (!this.ema) {
      this.ema = weights.map((w) => tf.keep(w.clone()));
      return;
    }
    const d = Math.min(decay, (1 + this.steps) / (10 + this.steps));
    const next = tf.tidy(() => weights.map((w, i) => tf.add(tf.mul(this.ema![i], d), tf.mul(w, 1 - d))));
    tf.dispose(this.ema);
    this.ema = next.map((t) => tf.keep(t));
  }

  /** The discriminator's loss on the outputs for a real and a fake batch. */
  private discriminatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
    if (this.loss === 'hinge')
      return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar;
    return tf.add(this.lossTo(real, this.realLabel), this.lossTo(fake, 0)) as tf.Scalar;
  }

  /** The generator's loss on the discriminator's outputs for its fakes. */
  private generatorLoss(fake: tf.Tensor): tf.Scalar {
    if (this.loss === 'hinge') return tf.neg(tf.mean(fake)) as tf.Scalar;
    return this.lossTo(fake, this.loss === 'bce' ? 1 : this.realLabel);
  }

  /** Mean loss of discriminator outputs `logits` against the constant target `label`. */
  private lossTo(logits: tf.Tensor, label: number): tf.Scalar {
    if (this.loss === 'lsgan') return tf.mean(tf.square(tf.sub(logits, label)));
    return tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;
  }

  /** `n` latent vectors, and the one-hot codes they carry when the trainer has codes. */
  private latent(n: number): [tf.Tensor2D, tf.Tensor2D | undefined] {
    const z = this.rng.normals(n * this.latentDim);
    if (this.codes === 0) return [tf.tensor2d(z, [n, this.latentDim]), undefined];
    const oneHot = new Float32Array(n * this.codes);
    for (let i = 0; i < n; i++) oneHot[i * this.codes + latentCodeOf(z[i * this.latentDim], this.thresholds)] = 1;
    return [tf.tensor2d(z, [n, this.latentDim]), tf.tensor2d(oneHot, [n, this.codes])];
  }

  /** The adversarial logit: the discriminator's first output column. */
  private logitOf(out: tf.Tensor): tf.Tensor {
    return this.codes === 0 ? out : tf.slice(out, [0, 0], [-1, 1]);
  }

  /** `loss` plus the weighted cross-entropy of the code logits (columns 1…) against `codes`. */
  private withCodeLoss(loss: tf.Scalar, out: tf.Tensor, codes: tf.Tensor2D | undefined): tf.Scalar {
    if (!codes) return loss;
    return tf.add(
      loss,
      tf.mul(tf.losses.softmaxCrossEntropy(codes, this.codeLogitsOf(out)), this.codeWeight),
    ) as tf.Scalar;
  }

  /** The code logits: the discriminator's columns after the first. */
  private codeLogitsOf(out: tf.Tensor): tf.Tensor {
    return tf.slice(out, [0, 1], [-1, this.codes]);
  }
}

function oneHotLabels(images: ImageSet, idx: ArrayLike<number>, classes: number): tf.Tensor2D {
  const oneHot = new Float32Array(idx.length * classes);
  for (let i = 0; i < idx.length; i++) oneHot[i * classes + images.labels[idx[i]]] = 1;
  return tf.tensor2d(oneHot, [idx.length, classes]);
}

function variablesOf(model: tfl.LayersModel): tf.Variable[] {
  // LayerVariable.read() returns the backing tf.Variable itself (no copy).
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}
