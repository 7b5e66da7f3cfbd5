/** DCGAN generator and discriminator for 28×28 single-channel images. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../random.js';
import { seededDropout } from './seeded_dropout.js';
import { latentCodeSteps } from './latent_code.js';
import type { GanTrainer } from '../train/gan_trainer.js';

/** Options of {@link buildDcganGenerator}. */
export interface GeneratorOptions {
  /** Length of the latent vector (default 100). */
  readonly latentDim?: number;
  /** Filters of the 14×14 layer; the 7×7 seed has twice as many (default 32). */
  readonly filters?: number;
  /** Square kernel of the transposed convolutions (default 4: a multiple of the stride, no checkerboard). */
  readonly kernelSize?: number;
  /**
   * Categorical codes carried by z₀ (InfoGAN, Chen et al., 2016; default 0: none): z₀ falls in
   * one of `codes` equally likely intervals, and the generator sees that interval in thermometer
   * form beside z. Trained with a discriminator and a {@link GanTrainer} of the same `codes`, each
   * code learns a mode of the data (for MNIST, mostly a digit) without labels.
   */
  readonly codes?: number;
  /** Seed of the initialisers (default 0). */
  readonly seed?: number;
}

/**
 * Generator: z [N, latent] (standard normal) → dense 7·7·2f → BN → LeakyReLU → reshape →
 * conv2dTranspose f (stride 2, 14×14) → BN → LeakyReLU → conv2dTranspose 1 (stride 2, 28×28) →
 * sigmoid. Output [N, 28, 28, 1] in [0, 1]. With `codes`, the dense layer also sees the code that
 * z₀ carries (see {@link GeneratorOptions.codes}).
 */
export function buildDcganGenerator(options: GeneratorOptions = {}): tfl.LayersModel {
  const rng = new Rng(options.seed ?? 0);
  const f = options.filters ?? 32;
  const kernelSize = options.kernelSize ?? 4;
  const latentDim = options.latentDim ?? 100;
  const codes = options.codes ?? 0;
  const init = () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.seed() });
  const layers = [
    tfl.layers.dense({ units: 7 * 7 * 2 * f, useBias: false, kernelInitializer: init(), name: 'project' }),
    tapeBatchNorm({ momentum: 0.9, name: 'bn_project' }),
    tfl.layers.leakyReLU({ alpha: 0.2, name: 'lrelu_project' }),
    tfl.layers.reshape({ targetShape: [7, 7, 2 * f], name: 'to_7x7' }),
    tfl.layers.conv2dTranspose({
      filters: f,
      kernelSize,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
      name: 'up_14x14',
    }),
    tapeBatchNorm({ momentum: 0.9, name: 'bn_14x14' }),
    tfl.layers.leakyReLU({ alpha: 0.2, name: 'lrelu_14x14' }),
    tfl.layers.conv2dTranspose({
      filters: 1,
      kernelSize,
      strides: 2,
      padding: 'same',
      activation: 'sigmoid',
      kernelInitializer: init(),
      name: 'up_28x28',
    }),
  ];
  const z = tfl.input({ shape: [latentDim], name: 'z' });
  let h =
    codes > 0
      ? (tfl.layers
          .concatenate({ name: 'z_and_code' })
          .apply([z, latentCodeSteps(latentDim, codes).apply(z) as tfl.SymbolicTensor]) as tfl.SymbolicTensor)
      : z;
  for (const layer of layers) h = layer.apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: z, outputs: h, name: 'generator' });
}

type BatchNormLayer = ReturnType<typeof tfl.layers.batchNormalization>;
type BatchNormArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;
type BatchNormKwargs = Parameters<BatchNormLayer['call']>[1];
/** The fields of tfjs-layers' BatchNormalization that {@link TapeBatchNorm} reads (not in its public type). */
interface BatchNormFields {
  readonly gamma: tfl.LayerVariable;
  readonly beta: tfl.LayerVariable;
  readonly movingMean: tfl.LayerVariable;
  readonly movingVariance: tfl.LayerVariable;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
}

// BatchNormalization is not exported by tfjs-layers; its factory's product knows it.
const BatchNormBase = Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor as new (
  args: BatchNormArgs,
) => BatchNormLayer;

/**
 * The mean over all axes but the last, whose gradient broadcasts `dy` (a tile) instead of
 * multiplying it by `ones(x.shape)`: tfjs's Mean gradient fills that ones tensor in JavaScript,
 * ~14 ms a step for the generator's two BatchNorm layers. Same values.
 */
function channelMean(x: tf.Tensor): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const keepShape = x.shape.map((d, i) => (i < x.rank - 1 ? 1 : d));
  const n = x.size / x.shape[x.rank - 1];
  return tf.customGrad((input) => ({
    value: tf.mean(input as tf.Tensor, axes),
    gradFunc: (dy) => tf.div(tf.broadcastTo(tf.reshape(dy as tf.Tensor, keepShape), x.shape), n),
  }))(x);
}

/**
 * A BatchNormalization over the last axis (and saved as one) whose training pass computes the batch
 * moments with {@link channelMean}; otherwise what tfjs-layers does (`tf.moments`, `tf.batchNorm`,
 * moving averages `m − (m − v)(1 − momentum)`), with the same values.
 */
class TapeBatchNorm extends BatchNormBase {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: BatchNormKwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormFields;
    if (kwargs['training'] !== true || !self.center || !self.scale) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const mean = channelMean(x);
      const variance = channelMean(
        tf.square(
          tf.sub(
            x,
            tf.reshape(
              mean,
              x.shape.map((d, i) => (i < x.rank - 1 ? 1 : d)),
            ),
          ),
        ),
      );
      const normed = tf.batchNorm(x, mean, variance, self.beta.read(), self.gamma.read(), self.epsilon);
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const old = variable.read();
          variable.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - self.momentum)));
        });
      }
      return normed;
    });
  }
}

/** A BatchNormalization over the last axis computed by {@link TapeBatchNorm}. */
function tapeBatchNorm(args: BatchNormArgs): BatchNormLayer {
  if (args.axis !== undefined && args.axis !== -1) throw new Error('tapeBatchNorm: last axis only');
  return new TapeBatchNorm(args);
}

/** Options of {@link buildDcganDiscriminator}. */
export interface DiscriminatorOptions {
  /** Filters of the first convolution; the second has twice as many (default 32). */
  readonly filters?: number;
  /** Square kernel size (default 4). */
  readonly kernelSize?: number;
  /** BatchNorm after the second convolution (default false: dropout alone is steadier here). */
  readonly batchNorm?: boolean;
  /** Dropout after each convolution (default 0.3). */
  readonly dropout?: number;
  /**
   * Divide every kernel by its spectral norm (Miyato et al., 2018; default false): D becomes
   * 1-Lipschitz per layer, the usual partner of the hinge loss. Such layers save as
   * 'SpectralConv2D' / 'SpectralDense', which load wherever @lanes/models is imported.
   */
  readonly spectralNorm?: boolean;
  /** Categorical codes to recover from fakes (InfoGAN's Q head; default 0: none): see {@link GeneratorOptions.codes}. */
  readonly codes?: number;
  /** Seed of initialisers and dropout masks (default 0). */
  readonly seed?: number;
}

type Conv2DLayer = ReturnType<typeof tfl.layers.conv2d>;
type Conv2DArgs = Parameters<typeof tfl.layers.conv2d>[0];
type Conv2DKwargs = Parameters<Conv2DLayer['call']>[1];
/** The fields of tfjs-layers' Conv2D that {@link TapeConv2D} reads (not in its public type). */
interface Conv2DFields {
  readonly kernel: tfl.LayerVariable;
  readonly bias: tfl.LayerVariable | null;
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly activation: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string } | null;
}

// Conv2D is not exported by tfjs-layers; its factory's product knows it.
const Conv2DBase = Object.getPrototypeOf(tfl.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (
  args: Conv2DArgs,
) => Conv2DLayer;

/** Gradient-free identity: the power iteration's vectors are constants to the optimizer. */
const stopGradient = (x: tf.Tensor): tf.Tensor =>
  tf.customGrad((input) => ({ value: tf.clone(input as tf.Tensor), gradFunc: (dy) => tf.zerosLike(dy as tf.Tensor) }))(
    x,
  );

/**
 * `kernel / σ`, σ its largest singular value (as a [K, out] matrix) estimated by one power-iteration
 * step from the persistent vector `u` (spectral normalisation, Miyato et al., 2018); in training,
 * `u` moves to the new estimate.
 */
function spectrallyNormalised(kernel: tf.Tensor, u: tfl.LayerVariable, training: boolean): tf.Tensor {
  const out = kernel.shape[kernel.rank - 1];
  const w = tf.reshape(kernel, [-1, out]);
  const ws = stopGradient(w);
  const unit = (x: tf.Tensor) => tf.div(x, tf.add(tf.norm(x), 1e-12));
  const v = unit(tf.matMul(u.read(), ws, false, true));
  const uNext = unit(tf.matMul(v, ws));
  if (training) u.write(uNext);
  return tf.div(kernel, tf.sum(tf.mul(tf.matMul(v, w), uNext)));
}

/** Adds the power-iteration vector of {@link spectrallyNormalised} to `layer` (non-trainable). */
function addSpectralVector(layer: { addWeight: AddWeight }, out: number, seed: number): tfl.LayerVariable {
  return layer.addWeight(
    'sn_u',
    [1, out],
    'float32',
    tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed }),
    undefined,
    false,
  );
}
type AddWeight = (
  name: string,
  shape: number[],
  dtype: 'float32',
  initializer: ReturnType<typeof tfl.initializers.randomNormal>,
  regularizer: undefined,
  trainable: boolean,
) => tfl.LayerVariable;

/**
 * A Conv2D (and saved as one) that runs as separate conv2d, bias add and activation ops instead of
 * tfjs's fused conv2d. The fused op's gradient computes every derivative at once, so in a GAN's
 * generator step it also computed the discriminator's filter gradient (unused), and in the
 * discriminator step the image gradient of real and fake batches (unused): ~13 ms of a ~130 ms
 * step on one thread. Separate ops let the tape compute only the derivatives asked for. With
 * `spectralNorm`, the kernel is divided by its spectral norm (see {@link spectrallyNormalised}).
 */
class TapeConv2D extends Conv2DBase {
  private u?: tfl.LayerVariable;
  constructor(
    args: Conv2DArgs,
    protected readonly spectralSeed?: number,
  ) {
    super(args);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    super.build(inputShape);
    const self = this as unknown as Conv2DFields & { addWeight: AddWeight };
    if (this.spectralSeed !== undefined)
      this.u = addSpectralVector(self, self.kernel.shape[3] as number, this.spectralSeed);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Conv2DKwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as Conv2DFields;
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const kernel = this.u
        ? spectrallyNormalised(self.kernel.read(), this.u, kwargs['training'] === true)
        : self.kernel.read();
      let y: tf.Tensor = tf.conv2d(x, kernel as tf.Tensor4D, self.strides, self.padding, 'NHWC', self.dilationRate);
      if (self.bias) y = tf.add(y, self.bias.read());
      return self.activation ? self.activation.apply(y) : y;
    });
  }
}

type DenseLayer = ReturnType<typeof tfl.layers.dense>;
type DenseArgs = Parameters<typeof tfl.layers.dense>[0];
type DenseKwargs = Parameters<DenseLayer['call']>[1];
const DenseBase = Object.getPrototypeOf(tfl.layers.dense({ units: 1 })).constructor as new (
  args: DenseArgs,
) => DenseLayer;

/** What the spectrally normalised layers add to their base's config: the seed of their `u`. */
interface SpectralArgs {
  readonly spectralSeed?: number;
}

/**
 * A {@link TapeConv2D} with a spectrally normalised kernel, saved as 'SpectralConv2D' with its
 * `sn_u` vector (loadable wherever @lanes/models is imported).
 */
class SpectralConv2D extends TapeConv2D {
  static className = 'SpectralConv2D';
  constructor(args: Conv2DArgs & SpectralArgs) {
    super(args, args.spectralSeed ?? 0);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), spectralSeed: this.spectralSeed ?? 0 };
  }
}

/** A linear Dense layer over [N, K] inputs whose kernel is spectrally normalised, saved as 'SpectralDense'. */
class SpectralDense extends DenseBase {
  static className = 'SpectralDense';
  private u?: tfl.LayerVariable;
  private readonly spectralSeed: number;
  constructor(args: DenseArgs & SpectralArgs) {
    super(args);
    this.spectralSeed = args.spectralSeed ?? 0;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    super.build(inputShape);
    const self = this as unknown as { kernel: tfl.LayerVariable; addWeight: AddWeight };
    this.u = addSpectralVector(self, self.kernel.shape[1] as number, this.spectralSeed);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: DenseKwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as { kernel: tfl.LayerVariable; bias: tfl.LayerVariable | null };
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const y = tf.matMul(
        x,
        spectrallyNormalised(self.kernel.read(), this.u!, kwargs['training'] === true) as tf.Tensor2D,
      );
      return self.bias ? tf.add(y, self.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), spectralSeed: this.spectralSeed };
  }
}

// Their inherited static fromConfig (new cls(config)) is what registerClass needs.
tf.serialization.registerClass(SpectralConv2D as unknown as tf.serialization.SerializableConstructor<SpectralConv2D>);
tf.serialization.registerClass(SpectralDense as unknown as tf.serialization.SerializableConstructor<SpectralDense>);

/** A channels-last 2-D convolution layer computed by {@link TapeConv2D}. */
function tapeConv2d(args: Conv2DArgs, spectralSeed?: number): Conv2DLayer {
  if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast')
    throw new Error('tapeConv2d: channelsLast only');
  return spectralSeed === undefined ? new TapeConv2D(args) : new SpectralConv2D({ ...args, spectralSeed });
}

/**
 * Discriminator: x [N, 28, 28, 1] in [0, 1] → conv f (stride 2) → LeakyReLU → dropout →
 * conv 2f (stride 2) → (BN) → LeakyReLU → dropout → flatten → dense 1, every kernel optionally
 * spectrally normalised. Outputs a logit (positive = "real"); with `codes`, [N, 1 + codes]: the
 * logit, then the code logits of a plain dense head on the same features.
 */
export function buildDcganDiscriminator(options: DiscriminatorOptions = {}): tfl.LayersModel {
  const rng = new Rng(options.seed ?? 0);
  const f = options.filters ?? 32;
  const kernelSize = options.kernelSize ?? 4;
  const dropout = options.dropout ?? 0.3;
  const codes = options.codes ?? 0;
  const init = () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.seed() });
  const sn = () => (options.spectralNorm ? rng.seed() : undefined);
  const layers: tfl.layers.Layer[] = [
    tapeConv2d(
      { filters: f, kernelSize, strides: 2, padding: 'same', kernelInitializer: init(), name: 'down_14x14' },
      sn(),
    ),
  ];
  layers.push(tfl.layers.leakyReLU({ alpha: 0.2, name: 'lrelu_14x14' }));
  if (dropout > 0) layers.push(seededDropout(dropout, rng.seed(), 'dropout_14x14', { fastMasks: true }));
  layers.push(
    tapeConv2d(
      {
        filters: 2 * f,
        kernelSize,
        strides: 2,
        padding: 'same',
        useBias: !options.batchNorm,
        kernelInitializer: init(),
        name: 'down_7x7',
      },
      sn(),
    ),
  );
  if (options.batchNorm) layers.push(tapeBatchNorm({ momentum: 0.9, name: 'bn_7x7' }));
  layers.push(tfl.layers.leakyReLU({ alpha: 0.2, name: 'lrelu_7x7' }));
  if (dropout > 0) layers.push(seededDropout(dropout, rng.seed(), 'dropout_7x7', { fastMasks: true }));
  layers.push(tfl.layers.flatten({ name: 'flatten' }));
  const x = tfl.input({ shape: [28, 28, 1], name: 'image' });
  let features = x;
  for (const layer of layers) features = layer.apply(features) as tfl.SymbolicTensor;
  const logitArgs = { units: 1, kernelInitializer: init(), name: 'logit' };
  const snLogit = sn();
  const logitLayer =
    snLogit === undefined ? tfl.layers.dense(logitArgs) : new SpectralDense({ ...logitArgs, spectralSeed: snLogit });
  let out = logitLayer.apply(features) as tfl.SymbolicTensor;
  if (codes > 0) {
    const q = tfl.layers
      .dense({ units: codes, kernelInitializer: init(), name: 'code_logits' })
      .apply(features) as tfl.SymbolicTensor;
    out = tfl.layers.concatenate({ name: 'logit_and_codes' }).apply([out, q]) as tfl.SymbolicTensor;
  }
  return tfl.model({ inputs: x, outputs: out, name: 'discriminator' });
}
