import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  balancedSample,
  buildCnn,
  buildDcganDiscriminator,
  buildDcganGenerator,
  codeThresholds,
  GanTrainer,
  generatorCodesOf,
  imagesToTensor,
  judgeCodes,
  latentCodeOf,
  normalQuantile,
  Rng,
  sampleLatentPerCode,
  sampleLatentWithCode,
  setModelMetadata,
  takeImages,
} from '../src/index.js';
import { latentCodeSteps } from '../src/models/latent_code.js';
import { clusteringLoss } from '../src/train/clustering_loss.js';
import { mnistOnce } from './helpers.js';

const tinyG = { latentDim: 8, filters: 4 };
const tinyD = { filters: 4, dropout: 0 };

describe('latent codes (InfoGAN)', () => {
  it('inverts the normal CDF', () => {
    // Reference quantiles (Φ⁻¹ to 10 digits), in the central region and both tails.
    const known: [number, number][] = [
      [0.5, 0],
      [0.975, 1.959963985],
      [0.9, 1.281551566],
      [0.1, -1.281551566],
      [0.001, -3.090232306],
      [0.999, 3.090232306],
      [0.3, -0.5244005127],
    ];
    for (const [p, q] of known) expect(normalQuantile(p)).toBeCloseTo(q, 7);
    expect(() => normalQuantile(0)).toThrow(/\(0, 1\)/);
    expect(() => normalQuantile(1)).toThrow(/\(0, 1\)/);
    expect(() => codeThresholds(1)).toThrow(/≥ 2/);
  });

  it('splits standard-normal z₀ into equally likely codes', () => {
    const thresholds = codeThresholds(10);
    expect(thresholds.length).toBe(9);
    expect(thresholds[4]).toBeCloseTo(0, 10);
    const n = 200_000;
    const z = new Rng(3).normals(n);
    const counts = new Array<number>(10).fill(0);
    for (const v of z) counts[latentCodeOf(v, thresholds)]++;
    // Binomial σ = √(0.1 · 0.9 / n) ≈ 0.00067; 5σ.
    for (const c of counts) expect(Math.abs(c / n - 0.1)).toBeLessThan(0.0034);
    expect(latentCodeOf(-10, thresholds)).toBe(0);
    expect(latentCodeOf(10, thresholds)).toBe(9);
    expect(latentCodeOf(thresholds[2], thresholds)).toBe(3);
  });

  it('samples latents of one code: z₀ in its interval, the other coordinates standard normal', () => {
    const thresholds = codeThresholds(20);
    const z = sampleLatentWithCode(2000, 4, 20, 7, 1).arraySync();
    expect(z.every((row) => latentCodeOf(row[0], thresholds) === 7)).toBe(true);
    const rest = z.flatMap((row) => row.slice(1));
    const mean = rest.reduce((a, v) => a + v, 0) / rest.length;
    const variance = rest.reduce((a, v) => a + (v - mean) ** 2, 0) / rest.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    // z₀ spreads over the interval rather than sitting at one point.
    const z0 = z.map((row) => row[0]);
    expect(Math.max(...z0) - Math.min(...z0)).toBeGreaterThan(0.9 * (thresholds[7] - thresholds[6]));
    expect(
      sampleLatentWithCode(3, 4, 20, 0, 2)
        .arraySync()
        .every((row) => row[0] < thresholds[0]),
    ).toBe(true);
    expect(
      sampleLatentWithCode(3, 4, 20, 19, 2)
        .arraySync()
        .every((row) => row[0] >= thresholds[18]),
    ).toBe(true);
    expect(() => sampleLatentWithCode(3, 4, 20, 20, 2)).toThrow(/code must be an integer in \[0, 19\], got 20/);
    expect(() => sampleLatentWithCode(3, 4, 1, 0, 2)).toThrow(
      /sampleLatentWithCode: codes must be an integer ≥ 2, got 1/,
    );
    // One row per code: code c's latents from seed + c, code-major.
    const rows = sampleLatentPerCode(3, 4, 5, 9).arraySync();
    expect(rows).toHaveLength(15);
    for (let c = 0; c < 5; c++)
      expect(rows.slice(3 * c, 3 * c + 3)).toEqual(sampleLatentWithCode(3, 4, 5, c, 9 + c).arraySync());
    expect(() => sampleLatentPerCode(3, 4, 0, 9)).toThrow(/sampleLatentPerCode: codes must be an integer ≥ 2, got 0/);
  });

  it('gives the generator the code in thermometer form through a frozen stock Dense layer', () => {
    const thresholds = codeThresholds(5);
    const z = new Rng(4).normals(1000 * 3);
    const steps = latentCodeSteps(3, 5);
    const out = (steps.apply(tf.tensor2d(z, [1000, 3])) as tf.Tensor).arraySync() as number[][];
    let checked = 0;
    for (let i = 0; i < 1000; i++) {
      const z0 = z[i * 3];
      if (thresholds.some((t) => Math.abs(z0 - t) < 1e-4)) continue;
      const code = latentCodeOf(z0, thresholds);
      expect(out[i]).toEqual([0, 1, 2, 3].map((k) => (k < code ? 1 : 0)));
      checked++;
    }
    expect(checked).toBeGreaterThan(990);
    expect(steps.trainableWeights.length).toBe(0);
  });

  it('builds a generator of stock layers that reloads with the same outputs, and a discriminator with a code head', async () => {
    const g = buildDcganGenerator({ ...tinyG, codes: 10, seed: 0 });
    expect(g.inputs[0].shape).toEqual([null, 8]);
    const stock = [
      'InputLayer',
      'Dense',
      'Concatenate',
      'BatchNormalization',
      'LeakyReLU',
      'Reshape',
      'Conv2DTranspose',
    ];
    expect(g.layers.every((l) => stock.includes(l.getClassName()))).toBe(true);
    let saved: tf.io.ModelArtifacts | undefined;
    await g.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const z = tf.tensor2d(new Rng(5).normals(4 * 8), [4, 8]);
    expect((loaded.predict(z) as tf.Tensor).dataSync()).toEqual((g.predict(z) as tf.Tensor).dataSync());
    // Crossing a code boundary changes the image much more than the same small move within a code.
    const t = codeThresholds(10)[5];
    const rows = [t - 0.02, t - 0.001, t + 0.001].map((z0) => [z0, ...Array.from(z.dataSync().subarray(1, 8))]);
    const [a, b, c] = tf
      .unstack(g.predict(tf.tensor2d(rows)) as tf.Tensor)
      .map((img) => img.dataSync() as Float32Array);
    const dist = (p: Float32Array, q: Float32Array) => Math.hypot(...p.map((v, i) => v - q[i]));
    expect(dist(b, c)).toBeGreaterThan(10 * dist(a, b));
    const d = buildDcganDiscriminator({ ...tinyD, codes: 10, spectralNorm: true, seed: 1 });
    expect(d.outputs[0].shape).toEqual([null, 11]);
  });

  it('adds the code cross-entropy to both losses, reproducibly, and checks that the networks agree', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const run = async (codeWeight: number) => {
      const g = buildDcganGenerator({ ...tinyG, codes: 10, seed: 1 });
      const d = buildDcganDiscriminator({ ...tinyD, codes: 10, spectralNorm: true, seed: 2 });
      const trainer = new GanTrainer(g, d, { seed: 3, loss: 'hinge', codes: 10, codeWeight });
      const fit = await trainer.fit(images, { epochs: 1, batchSize: 16 });
      trainer.dispose();
      return fit.steps;
    };
    // An untrained D's code logits are ≈ 0, so the code cross-entropy starts at ≈ ln 10, on top
    // of the same hinge losses (same seeds, so the same first D pass).
    const withCodes = await run(1);
    const without = await run(0);
    expect(withCodes[0]['dLoss'] - without[0]['dLoss']).toBeCloseTo(Math.LN10, 1);
    expect(withCodes[0]['gLoss'] - without[0]['gLoss']).toBeCloseTo(Math.LN10, 1);
    expect(await run(1)).toEqual(withCodes);
    const g = buildDcganGenerator({ ...tinyG, codes: 10 });
    expect(() => new GanTrainer(g, buildDcganDiscriminator(tinyD), { codes: 10 })).toThrow(
      /outputs 1 values per image; with codes 10 it must output 11/,
    );
    expect(() => new GanTrainer(g, buildDcganDiscriminator({ ...tinyD, codes: 10 }))).toThrow(
      /with codes 0 it must output 1/,
    );
  });

  it('judges what each code draws: majority class and its share per code', async () => {
    const classifier = buildCnn({ filters: [4], kernelSize: 5, dense: 16, dropout: 0, seed: 0 });
    const g = buildDcganGenerator({ ...tinyG, codes: 4, seed: 1 });
    const j = await judgeCodes(g, classifier, 4, 50, 3);
    expect(j.majorityClass).toHaveLength(4);
    expect(j.majorityShare.every((p) => p * 50 === Math.round(p * 50) && p >= 0.1 && p <= 1)).toBe(true);
    expect(j.purity).toBeCloseTo(j.majorityShare.reduce((a, b) => a + b, 0) / 4, 12);
    j.classShares.forEach((shares, c) => {
      expect(shares).toHaveLength(10);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(shares[j.majorityClass[c]]).toBe(j.majorityShare[c]);
      expect(Math.max(...shares)).toBe(j.majorityShare[c]);
    });
    expect(await judgeCodes(g, classifier, 4, 50, 3)).toEqual(j);
    // A generator with zero weights draws one grey image for every latent: each code is one class.
    g.setWeights(g.getWeights().map((w) => tf.zerosLike(w)));
    const grey = tf.argMax(classifier.predict(tf.fill([1, 28, 28, 1], 0.5)) as tf.Tensor, 1).dataSync()[0];
    const flat = await judgeCodes(g, classifier, 4, 50, 3);
    expect(flat.majorityClass).toEqual([grey, grey, grey, grey]);
    expect(flat.purity).toBe(1);
    expect(flat.classShares.every((shares) => shares[grey] === 1)).toBe(true);
  });

  it('scores clustering of real images: confident rows spread evenly over the codes score −ln K, uniform or one-code batches 0', () => {
    const eye = tf.mul(tf.eye(4), 60);
    expect(clusteringLoss(eye).dataSync()[0]).toBeCloseTo(-Math.log(4), 5);
    expect(clusteringLoss(tf.zeros([6, 4])).dataSync()[0]).toBeCloseTo(0, 6);
    expect(
      clusteringLoss(
        tf.tensor2d([
          [60, 0, 0],
          [60, 0, 0],
        ]),
      ).dataSync()[0],
    ).toBeCloseTo(0, 5);
    // Two of four codes used, confidently: −ln 2.
    expect(
      clusteringLoss(
        tf.tensor2d([
          [60, 0, 0, 0],
          [0, 60, 0, 0],
        ]),
      ).dataSync()[0],
    ).toBeCloseTo(-Math.log(2), 5);
  });

  it('adds the clustering term to the discriminator step only when asked, and needs codes for it', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const run = async (codeBalance: number) => {
      const trainer = new GanTrainer(
        buildDcganGenerator({ ...tinyG, codes: 10, seed: 1 }),
        buildDcganDiscriminator({ ...tinyD, codes: 10, spectralNorm: true, seed: 2 }),
        { seed: 3, loss: 'hinge', codes: 10, codeBalance },
      );
      const fit = await trainer.fit(images, { epochs: 1, batchSize: 16 });
      trainer.dispose();
      return fit.steps;
    };
    const plain = await run(0);
    const balanced = await run(1);
    // At the start the code head is near-uniform on every image: the term is ≈ 0, and grows from there.
    expect(Math.abs(balanced[0]['dLoss'] - plain[0]['dLoss'])).toBeLessThan(0.01);
    expect(balanced[1]['dLoss']).not.toBe(plain[1]['dLoss']);
    expect(await run(1)).toEqual(balanced);
    expect(
      () => new GanTrainer(buildDcganGenerator(tinyG), buildDcganDiscriminator(tinyD), { codeBalance: 1 }),
    ).toThrow(/codeBalance needs codes/);
  });

  it('supervises the code head with the real labels (AC-GAN): the first discriminator loss grows by the code cross-entropy of the real batch', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 16, 0));
    const real = imagesToTensor(images) as tf.Tensor4D;
    const labels = tf.cast(tf.oneHot(tf.tensor1d(images.labels, 'int32'), 10), 'float32') as tf.Tensor2D;
    const networks = () =>
      [
        buildDcganGenerator({ ...tinyG, codes: 10, seed: 1 }),
        buildDcganDiscriminator({ ...tinyD, codes: 10, spectralNorm: true, seed: 2 }),
      ] as const;
    const firstDLoss = async (codeLabels: boolean, codeWeight: number) => {
      const trainer = new GanTrainer(...networks(), { seed: 3, loss: 'hinge', codes: 10, codeLabels, codeWeight });
      const logs = await trainer.step(real, codeLabels ? labels : undefined);
      trainer.dispose();
      return logs['dLoss'];
    };
    // The step's first discriminator call is on the real batch, in training mode: the same logits as here.
    const [, d] = networks();
    const out = d.apply(real, { training: true }) as tf.Tensor;
    const expected = tf.losses.softmaxCrossEntropy(labels, tf.slice(out, [0, 1], [-1, 10])).dataSync()[0];
    expect(expected).toBeGreaterThan(1);
    expect((await firstDLoss(true, 1)) - (await firstDLoss(false, 1))).toBeCloseTo(expected, 4);
    expect((await firstDLoss(true, 2)) - (await firstDLoss(false, 2))).toBeCloseTo(2 * expected, 4);
    const trainer = new GanTrainer(...networks(), { codes: 10, codeLabels: true });
    await expect(trainer.step(real)).rejects.toThrow(/needs one-hot labels \[16, 10\], got none/);
    await expect(trainer.fit({ ...images, classNames: ['a', 'b'] }, { epochs: 1, batchSize: 16 })).rejects.toThrow(
      /2 classes, the trainer 10 codes/,
    );
    expect(() => new GanTrainer(...networks(), { codes: 10, codeLabels: true, codeBalance: 1 })).toThrow(
      /codeLabels needs codes \(one per class\) and no codeBalance/,
    );
    // What a saved generator says of its codes.
    const [g] = networks();
    expect(generatorCodesOf(g)).toEqual({ codes: 0 });
    setModelMetadata(g, { kind: 'mnist-dcgan-generator', latentDim: 8, codes: 10, codeClasses: images.classNames });
    expect(generatorCodesOf(g)).toEqual({ codes: 10, codeClasses: images.classNames });
  });
});
