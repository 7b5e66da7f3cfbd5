// Bad input to the public entry points: one clear error naming the function, the argument, what
// was expected and what came — and no tensor left behind by the failed call.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bim,
  carliniWagnerL2,
  checkModelWeights,
  checkValues,
  deepFool,
  evaluateClassifier,
  evaluateGenerator,
  evaluateRobustness,
  fgsm,
  generateImages,
  hopSkipJump,
  interpolateLatent,
  InvalidInputError,
  jsma,
  KNearestNeighbours,
  layerOutputs,
  LogisticRegression,
  miFgsm,
  perturbationNorms,
  pgd,
  predictClasses,
  simba,
  squareAttack,
  predictNextPrices,
  prepareSeriesData,
  traceLstm,
  transferAttack,
  type ImageSet,
} from '../src/index.js';

let cnn: tfl.LayersModel;
let lstm: tfl.LayersModel;
let generator: tfl.LayersModel;

beforeAll(() => {
  cnn = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  lstm = tfl.sequential({
    layers: [tfl.layers.lstm({ inputShape: [5, 3], units: 4 }), tfl.layers.dense({ units: 1 })],
  });
  generator = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [8], units: 14 * 14 }), tfl.layers.reshape({ targetShape: [14, 14, 1] })],
  });
});
afterAll(() => [cnn, lstm, generator].forEach((m) => m.dispose()));

/** A `[n, 28, 28, 1]` batch of a constant with `poke` written at flat index 100. */
function digits(n: number, poke?: number): tf.Tensor4D {
  const v = new Float32Array(n * 784).fill(0.5);
  if (poke !== undefined && v.length > 100) v[100] = poke;
  return tf.tensor4d(v, [n, 28, 28, 1]);
}

/** Runs `call`, expects it to fail with `message`, and checks the tensor count did not move. */
async function rejects(call: () => Promise<unknown> | unknown, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, `expected an error matching ${message}`).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

const attacks = {
  fgsm: (x: tf.Tensor, y: ArrayLike<number>) => fgsm(cnn, x, y, { eps: 0.1 }),
  bim: (x: tf.Tensor, y: ArrayLike<number>) => bim(cnn, x, y, { eps: 0.1, steps: 2 }),
  pgd: (x: tf.Tensor, y: ArrayLike<number>) => pgd(cnn, x, y, { eps: 0.1, steps: 2 }),
  miFgsm: (x: tf.Tensor, y: ArrayLike<number>) => miFgsm(cnn, x, y, { eps: 0.1, steps: 2 }),
  carliniWagnerL2: (x: tf.Tensor, y: ArrayLike<number>) =>
    carliniWagnerL2(cnn, x, y, { maxIterations: 2, binarySearchSteps: 1 }),
  deepFool: (x: tf.Tensor, y: ArrayLike<number>) => deepFool(cnn, x, y, { maxIterations: 2 }),
  jsma: (x: tf.Tensor, y: ArrayLike<number>) => jsma(cnn, x, y, { gamma: 0.01 }),
  simba: (x: tf.Tensor, y: ArrayLike<number>) => simba(cnn, x, y, { maxQueries: 4 }),
  squareAttack: (x: tf.Tensor, y: ArrayLike<number>) => squareAttack(cnn, x, y, { eps: 0.1, maxQueries: 4 }),
  hopSkipJump: (x: tf.Tensor, y: ArrayLike<number>) => hopSkipJump(cnn, x, y, { maxQueries: 4, iterations: 1 }),
};

describe.each(Object.entries(attacks))('%s rejects bad input', (name, run) => {
  it('NaN, ±Infinity and out-of-range pixels', async () => {
    for (const [poke, what] of [
      [NaN, 'contains NaN'],
      [Infinity, 'contains Infinity'],
      [-Infinity, 'contains -Infinity'],
    ] as const) {
      const x = digits(2, poke);
      await rejects(
        () => run(x, [1, 2]),
        new RegExp(
          `^${name}: x ${what}: expected finite pixels in \\[0, 1\\], got \\S+ at index 100 \\(1 non-finite of 1568\\)$`,
        ),
      );
      x.dispose();
    }
    const bytes = digits(2, 255);
    await rejects(
      () => run(bytes, [1, 2]),
      new RegExp(
        `^${name}: x is out of range: expected pixels in \\[0, 1\\], got 255 at index 100 \\(1 of 1568 outside\\) — pixels in 0–255\\? divide by 255$`,
      ),
    );
    bytes.dispose();
    const negative = digits(1, -0.5);
    await rejects(
      () => run(negative, [1]),
      new RegExp(`^${name}: x is out of range: expected pixels in \\[0, 1\\], got -0.5 at index 100`),
    );
    negative.dispose();
  });

  it('an empty batch, a wrong rank, a wrong dtype, a disposed tensor, wrong labels', async () => {
    const empty = tf.zeros([0, 28, 28, 1]);
    await rejects(
      () => run(empty, []),
      new RegExp(
        `^${name}: x is an empty batch: expected at least one example \\(N ≥ 1\\), got shape \\[0, 28, 28, 1\\]$`,
      ),
    );
    const flat = tf.zeros([784]);
    await rejects(
      () => run(flat, [1]),
      new RegExp(
        `^${name}: x has the wrong rank: expected rank ≥ 2 \\(\\[N, …\\]\\), got shape \\[784\\] \\(rank 1\\)$`,
      ),
    );
    const ints = tf.zeros([1, 28, 28, 1], 'int32');
    await rejects(() => run(ints, [1]), new RegExp(`^${name}: x has the wrong dtype: expected float32, got int32$`));
    const gone = digits(1);
    gone.dispose();
    await rejects(() => run(gone, [1]), new RegExp(`^${name}: x was disposed`));
    const x = digits(2);
    await rejects(
      () => run(x, [1]),
      new RegExp(`^${name}: labels has the wrong length: expected 2 \\(one per example\\), got 1$`),
    );
    await rejects(
      () => run(x, [1, 2.5]),
      new RegExp(`^${name}: labels is not a class index: expected integers in \\[0, ∞\\], got 2.5 at index 1$`),
    );
    await rejects(() => run(x, [-1, 2]), new RegExp(`^${name}: labels is not a class index: .* got -1 at index 0$`));
    tf.dispose([empty, flat, ints, x]);
  });
});

describe('attack options', () => {
  it('targets, ε, clip range and HopSkipJump starts are checked too', async () => {
    const x = digits(2);
    await rejects(
      () => fgsm(cnn, x, [1, 2], { eps: 0.1, target: [3] }),
      /^fgsm: target has the wrong length: expected 2 \(one per example\), got 1$/,
    );
    await rejects(
      () => pgd(cnn, x, [1, 2], { eps: NaN }),
      /^pgd: eps is not a budget: expected a finite number ≥ 0, got NaN$/,
    );
    await rejects(
      () => bim(cnn, x, [1, 2], { eps: -0.1 }),
      /^bim: eps is not a budget: expected a finite number ≥ 0, got -0.1$/,
    );
    await rejects(
      () => fgsm(cnn, x, [1, 2], { eps: 0.1, clipMin: 1, clipMax: 0 }),
      /^fgsm: clipMin\/clipMax are not a range: expected finite clipMin < clipMax, got \[1, 0\]$/,
    );
    const starts = tf.zeros([2, 28, 28, 3]);
    await rejects(
      () => hopSkipJump(cnn, x, [1, 2], { starts }),
      /^hopSkipJump: starts has the wrong shape: expected \[2, 28, 28, 1\], got \[2, 28, 28, 3\]$/,
    );
    tf.dispose([x, starts]);
  });

  it('a custom clip range is the contract: [-1, 1] inputs pass, 1.5 fails', async () => {
    const x = tf.fill([1, 28, 28, 1], -1);
    const r = await fgsm(cnn, x, [3], { eps: 0.1, clipMin: -1, clipMax: 1 });
    const adv = await r.adversarial.data();
    expect(Math.min(...adv)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...adv)).toBeLessThanOrEqual(-0.9 + 1e-6);
    tf.dispose([x, r.adversarial]);
    const over = digits(1, 1.5);
    await rejects(
      () => fgsm(cnn, over, [3], { eps: 0.1, clipMin: -1, clipMax: 1 }),
      /^fgsm: x is out of range: expected pixels in \[-1, 1\], got 1.5 at index 100 \(1 of 784 outside\)$/,
    );
    over.dispose();
  });

  it('valid input at the edges of [0, 1] is accepted and attacked', async () => {
    const v = new Float32Array(2 * 784);
    for (let i = 0; i < v.length; i++) v[i] = i % 2;
    const x = tf.tensor4d(v, [2, 28, 28, 1]);
    const labels = tf.tensor1d([1, 2], 'int32');
    const before = tf.memory().numTensors;
    const r = await fgsm(cnn, x, labels, { eps: 0.25 });
    expect(r.adversarial.shape).toEqual([2, 28, 28, 1]);
    expect(r.success).toHaveLength(2);
    r.adversarial.dispose();
    expect(tf.memory().numTensors).toBe(before);
    labels.dispose();
    x.dispose();
  });
});

describe('classify / predict / inspect helpers', () => {
  it('predictClasses: shape against the model, NaN, empty batch', async () => {
    const rgb = tf.zeros([3, 28, 28, 3]);
    await rejects(
      () => predictClasses(cnn, rgb),
      /^predictClasses: x has the wrong shape: expected \[N, 28, 28, 1\], got \[3, 28, 28, 3\]$/,
    );
    const small = tf.zeros([3, 14, 14, 1]);
    await rejects(
      () => predictClasses(cnn, small),
      /^predictClasses: x has the wrong shape: expected \[N, 28, 28, 1\], got \[3, 14, 14, 1\]$/,
    );
    const nan = digits(2, NaN);
    await rejects(
      () => predictClasses(cnn, nan),
      /^predictClasses: x contains NaN: expected finite values, got NaN at index 100/,
    );
    const empty = tf.zeros([0, 28, 28, 1]);
    await rejects(() => predictClasses(cnn, empty), /^predictClasses: x is an empty batch/);
    const none = tf.zeros([0, 5]);
    await rejects(
      () => predictClasses((t) => tf.zeros([t.shape[0], 10]) as tf.Tensor2D, none),
      /^predictClasses: x is an empty batch: expected at least one example \(N ≥ 1\), got shape \[0, 5\]$/,
    );
    tf.dispose([rgb, small, nan, empty, none]);
    // Valid input still works: 255 is fine here (no [0, 1] contract for a bare classifier).
    const ok = digits(2, 255);
    expect(await predictClasses(cnn, ok)).toHaveLength(2);
    ok.dispose();
  });

  it('layerOutputs and traceLstm', async () => {
    const wrong = tf.zeros([1, 28, 28]);
    await rejects(
      () => layerOutputs(cnn, wrong),
      /^layerOutputs: input has the wrong rank: expected \[N, 28, 28, 1\] \(rank 4\), got shape \[1, 28, 28\] \(rank 3\)$/,
    );
    const inf = digits(1, -Infinity);
    await rejects(
      () => layerOutputs(cnn, inf),
      /^layerOutputs: input contains -Infinity: expected finite values, got -Infinity at index 100 \(1 non-finite of 784\)$/,
    );
    const two = tf.zeros([2, 5, 3]);
    await rejects(
      () => traceLstm(lstm, two),
      /^traceLstm: input has the wrong batch size: expected 1 \(shape \[1, 5, 3\]\), got shape \[2, 5, 3\]$/,
    );
    const features = tf.zeros([1, 5, 4]);
    await rejects(
      () => traceLstm(lstm, features),
      /^traceLstm: input has the wrong shape: expected \[1, 5, 3\], got \[1, 5, 4\]$/,
    );
    const nanSeq = tf.tensor3d([
      [
        [0, 0, 0],
        [0, NaN, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ]);
    await rejects(
      () => traceLstm(lstm, nanSeq),
      /^traceLstm: input contains NaN: expected finite values, got NaN at index 4 \(1 non-finite of 15\)$/,
    );
    const empty = tf.zeros([0, 5, 3]);
    await rejects(() => traceLstm(lstm, empty), /^traceLstm: input is an empty batch/);
    tf.dispose([wrong, inf, two, features, nanSeq, empty]);
    const seq = tf.ones([1, 5, 3]);
    expect((await traceLstm(lstm, seq)).steps).toBe(5);
    seq.dispose();
  });

  it('perturbationNorms, evaluateRobustness and transferAttack', async () => {
    const x = digits(2),
      adv = digits(3);
    await rejects(
      () => perturbationNorms(x, adv),
      /^perturbationNorms: adv has the wrong batch size: expected 2 \(shape \[2, 28, 28, 1\]\), got shape \[3, 28, 28, 1\]$/,
    );
    await rejects(
      () => evaluateRobustness(cnn, x, [1, 2, 3], [], { epsilons: [0.1] }),
      /^evaluateRobustness: labels has the wrong length: expected 2 \(one per example\), got 3$/,
    );
    const nan = digits(2, NaN);
    await rejects(
      () => transferAttack(cnn, cnn, nan, [1, 2], (m, xs, ys) => fgsm(m, xs, ys, { eps: 0.1 })),
      /^transferAttack: x contains NaN/,
    );
    tf.dispose([x, adv, nan]);
  });
});

describe('evaluation of classifiers and generators', () => {
  const set = (count: number, side = 28, bytes = count * side * side): ImageSet => ({
    images: new Uint8Array(bytes),
    labels: new Uint8Array(count),
    count,
    height: side,
    width: side,
    channels: 1,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
  });

  it('evaluateClassifier: an empty set, wrong image size, truncated pixels', async () => {
    await rejects(
      () => evaluateClassifier(cnn, set(0)),
      /^evaluateClassifier: data is empty: expected at least one image, got 0 images$/,
    );
    await rejects(
      () => evaluateClassifier(cnn, set(4, 14)),
      /^evaluateClassifier: data has the wrong image shape: expected \[N, 28, 28, 1\] \(the model's input\), got \[4, 14, 14, 1\]$/,
    );
    await rejects(
      () => evaluateClassifier(cnn, set(4, 28, 100)),
      /^evaluateClassifier: data is truncated: expected 4 × 784 = 3136 pixel bytes, got 100$/,
    );
    expect((await evaluateClassifier(cnn, set(4))).count).toBe(4);
  });

  it('evaluateGenerator: generator/classifier mismatch, empty real set, zero samples', async () => {
    await rejects(
      () => evaluateGenerator(generator, cnn, set(8), { samples: 4 }),
      /^evaluateGenerator: generator and classifier do not fit: expected the generator to make \[N, 28, 28, 1\] images \(the classifier's input\), got \[N, 14, 14, 1\]$/,
    );
    const maker = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [8], units: 784, activation: 'sigmoid' }),
        tfl.layers.reshape({ targetShape: [28, 28, 1] }),
      ],
    });
    await rejects(
      () => evaluateGenerator(maker, cnn, set(0), { samples: 4 }),
      /^evaluateGenerator: real is empty: expected at least one image, got 0 images$/,
    );
    await rejects(
      () => evaluateGenerator(maker, cnn, set(8), { samples: 0 }),
      /^evaluateGenerator: options.samples is not a count: expected an integer ≥ 1, got 0$/,
    );
    maker.dispose();
  });
});

describe('baseline classifiers and latent vectors', () => {
  it('LogisticRegression and KNearestNeighbours: NaN training data, labels beyond the classes, inputs of another size', async () => {
    const nan = digits(3, NaN);
    await rejects(
      () => LogisticRegression.train(nan, [0, 1, 2]),
      /^LogisticRegression\.train: x contains NaN: expected finite values, got NaN at index 100/,
    );
    const x = digits(3);
    await rejects(
      () => LogisticRegression.train(x, [0, 1, 10]),
      /^LogisticRegression\.train: labels is not a class index: expected integers in \[0, 9\], got 10 at index 2$/,
    );
    await rejects(
      () => KNearestNeighbours.fit(x, [0, 1, 3], { classes: 3 }),
      /^KNearestNeighbours\.fit: labels is not a class index: expected integers in \[0, 2\], got 3 at index 2$/,
    );
    const knn = await KNearestNeighbours.fit(x, [0, 1, 2], { k: 2, classes: 3 });
    const lr = await LogisticRegression.train(x, [0, 1, 2], 3, { epochs: 1 });
    const small = tf.zeros([2, 14, 14, 1]);
    await rejects(
      () => knn.predict(small),
      /^KNearestNeighbours: x has the wrong size: expected 784 values per example \(as in training\), got 196 \(shape \[2, 14, 14, 1\]\)$/,
    );
    await rejects(
      () => lr.predict(small),
      /^LogisticRegression: x has the wrong size: expected 784 values per example \(as in training\), got 196/,
    );
    // The same classifiers answer inputs of the training size.
    const p = await knn.predict(x);
    expect(p.shape).toEqual([3, 3]);
    tf.dispose([nan, x, small, p]);
    knn.dispose();
    lr.dispose();
  });

  it('generateImages, interpolateLatent: counts and vectors', async () => {
    await rejects(
      () => generateImages(generator, 0, 1),
      /^generateImages: n is not a count: expected an integer ≥ 1, got 0$/,
    );
    await rejects(
      () => interpolateLatent([0, 1], [1, 0, 0], 4),
      /^interpolateLatent: b has the wrong length: expected 2 \(the length of a\), got 3$/,
    );
    await rejects(
      () => interpolateLatent([0, NaN], [1, 0], 4),
      /^interpolateLatent: a contains NaN: expected finite values, got NaN at index 1 \(1 non-finite of 2\)$/,
    );
    await rejects(
      () => interpolateLatent([0, 1], [1, 0], 0),
      /^interpolateLatent: steps is not a count: expected an integer ≥ 1, got 0$/,
    );
  });
});

describe('model weights and raw values', () => {
  it('checkModelWeights names the first non-finite weight', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, name: 'head' })] });
    expect(() => checkModelWeights('demo', model)).not.toThrow();
    const [, bias] = model.getWeights();
    const broken = tf.tensor2d([0, 1, 2, NaN, 4, NaN], [3, 2]);
    model.setWeights([broken, bias]);
    const before = tf.memory().numTensors;
    expect(() => checkModelWeights('demo', model)).toThrow(
      /^demo: the model's weight head\/kernel contains NaN: expected finite weights, got NaN at index 3 \(2 non-finite of 6\)$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    broken.dispose();
    model.dispose();
  });

  it('checkValues passes finite in-range values, reports NaN before out-of-range ones', () => {
    expect(() => checkValues('f', 'a', [0, 0.5, 1], [0, 1])).not.toThrow();
    expect(() => checkValues('f', 'a', [])).not.toThrow();
    expect(() => checkValues('f', 'a', [2, NaN], [0, 1])).toThrow(
      /^f: a contains NaN: expected finite values in \[0, 1\], got NaN at index 1 \(1 non-finite of 2\)$/,
    );
    expect(() => checkValues('f', 'a', [0, 1.0001], [0, 1])).toThrow(
      /^f: a is out of range: expected values in \[0, 1\], got 1.0001 at index 1 \(1 of 2 outside\)$/,
    );
  });
});

describe('price series', () => {
  const prices = Float64Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i));
  it('prepareSeriesData names a short series, a NaN and a price that is not positive', () => {
    expect(() => prepareSeriesData(prices.subarray(0, 20), { windowLength: 20 })).toThrow(
      'prepareSeriesData: prices are too short: expected at least 24 prices, got 20',
    );
    const nan = prices.slice();
    nan[7] = NaN;
    expect(() => prepareSeriesData(nan, { windowLength: 5 })).toThrow(
      'prepareSeriesData: prices contains NaN: expected finite prices, got NaN at index 7 (1 non-finite of 40)',
    );
    const zero = prices.slice();
    zero[3] = 0;
    expect(() => prepareSeriesData(zero, { windowLength: 5 })).toThrow(
      'prepareSeriesData: prices has a price that is not positive: expected prices > 0 (log returns), got 0 at index 3',
    );
    expect(prepareSeriesData(prices, { windowLength: 5 }).test.lastPriceIndex.length).toBeGreaterThan(0);
  });
  it('predictNextPrices refuses -Infinity and negative prices before touching the model', async () => {
    const before = tf.memory().numTensors;
    const bad = Array.from(prices);
    bad[2] = -Infinity;
    const model = {} as unknown as Parameters<typeof predictNextPrices>[0];
    await expect(predictNextPrices(model, bad, { windowLength: 5, returnScale: 1 })).rejects.toThrow(
      'predictNextPrices: prices contains -Infinity: expected finite prices, got -Infinity at index 2',
    );
    bad[2] = -3;
    await expect(predictNextPrices(model, bad, { windowLength: 5, returnScale: 1 })).rejects.toThrow(
      'predictNextPrices: prices has a price that is not positive: expected prices > 0 (log returns), got -3 at index 2',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
