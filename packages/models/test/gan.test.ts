import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  balancedSample,
  buildCnn,
  buildDcganDiscriminator,
  buildDcganGenerator,
  compileClassifier,
  evaluateGenerator,
  GAN_LOG_KEYS,
  GanTrainer,
  generateImages,
  headImages,
  interpolateLatent,
  latentDimOf,
  sampleLatent,
  takeImages,
  type GanLoss,
} from '../src/index.js';
import { dropoutMask } from '../src/models/seeded_dropout.js';
import { mnistOnce } from './helpers.js';

const tinyG = { latentDim: 8, filters: 4 };

/** Every |got − want| within `rel` × the largest |want| (which must not be 0). */
function expectCloseAtScale(got: ArrayLike<number>, want: ArrayLike<number>, rel: number): void {
  let maxErr = 0,
    scale = 0;
  for (let i = 0; i < want.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  expect(scale).toBeGreaterThan(0);
  expect(maxErr).toBeLessThanOrEqual(rel * scale);
}
const tinyD = { filters: 4 };

describe('DCGAN', () => {
  it('builds a generator [N, latent] → [N, 28, 28, 1] in [0, 1] and a discriminator → logit', () => {
    const g = buildDcganGenerator({ ...tinyG, seed: 0 });
    const d = buildDcganDiscriminator({ ...tinyD, seed: 0, batchNorm: true });
    expect(latentDimOf(g)).toBe(8);
    const images = generateImages(g, 3, 1);
    expect(images.shape).toEqual([3, 28, 28, 1]);
    const v = images.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    expect((d.predict(images) as tf.Tensor).shape).toEqual([3, 1]);
    expect(g.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'Dense',
      'BatchNormalization',
      'LeakyReLU',
      'Reshape',
      'Conv2DTranspose',
      'BatchNormalization',
      'LeakyReLU',
      'Conv2DTranspose',
    ]);
    expect(generateImages(g, 3, 1).dataSync()).toEqual(v);
  });

  it('runs the discriminator as separate conv, bias and activation ops: same values and gradients as the fused Conv2D, saved as Conv2D', () => {
    const d = buildDcganDiscriminator({ ...tinyD, seed: 3, dropout: 0 });
    expect(d.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'Conv2D',
      'LeakyReLU',
      'Conv2D',
      'LeakyReLU',
      'Flatten',
      'Dense',
    ]);
    expect(
      (d.toJSON(null, false) as { config: { layers: { class_name: string }[] } }).config.layers.map(
        (l) => l.class_name,
      ),
    ).toEqual(['InputLayer', 'Conv2D', 'LeakyReLU', 'Conv2D', 'LeakyReLU', 'Flatten', 'Dense']);
    // The reference: the same weights through tfjs's fused conv2d (what stock Conv2D runs).
    const [k1, b1, k2, b2, wd, bd] = d.getWeights();
    const lrelu = (t: tf.Tensor) => tf.leakyRelu(t, 0.2);
    const reference = (x: tf.Tensor4D) => {
      const h1 = lrelu(tf.fused.conv2d({ x, filter: k1 as tf.Tensor4D, strides: 2, pad: 'same', bias: b1 }));
      const h2 = lrelu(
        tf.fused.conv2d({ x: h1 as tf.Tensor4D, filter: k2 as tf.Tensor4D, strides: 2, pad: 'same', bias: b2 }),
      );
      return tf.add(tf.matMul(tf.reshape(h2, [x.shape[0], -1]), wd), bd);
    };
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    const got = d.predict(x) as tf.Tensor;
    const want = reference(x);
    expect(got.shape).toEqual([3, 1]);
    const [g, w] = [got.dataSync(), want.dataSync()];
    for (let i = 0; i < 3; i++) expect(g[i]).toBeCloseTo(w[i], 5);
    // Gradients with respect to the input and to the first conv's kernel.
    const loss = (f: (x: tf.Tensor4D) => tf.Tensor) => (xx: tf.Tensor) => tf.sum(tf.square(f(xx as tf.Tensor4D)));
    const dxGot = tf
      .grad(loss((xx) => d.apply(xx, { training: true }) as tf.Tensor))(x)
      .dataSync();
    const dxWant = tf.grad(loss(reference))(x).dataSync();
    expectCloseAtScale(dxGot, dxWant, 1e-5);
    const dkGot = tf.variableGrads(
      () => tf.sum(tf.square(d.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      [d.trainableWeights[0].read() as tf.Variable],
    );
    const dkWant = tf.grad((k) =>
      tf.sum(
        tf.square(
          tf.add(
            tf.matMul(
              tf.reshape(
                lrelu(
                  tf.fused.conv2d({
                    x: lrelu(
                      tf.fused.conv2d({ x, filter: k as tf.Tensor4D, strides: 2, pad: 'same', bias: b1 }),
                    ) as tf.Tensor4D,
                    filter: k2 as tf.Tensor4D,
                    strides: 2,
                    pad: 'same',
                    bias: b2,
                  }),
                ),
                [3, -1],
              ),
              wd,
            ),
            bd,
          ),
        ),
      ),
    )(k1);
    const a = Object.values(dkGot.grads)[0].dataSync(),
      b = dkWant.dataSync();
    for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
  });

  it("runs the generator's BatchNorm with a broadcasting mean gradient: the same outputs, gradients and moving statistics as tfjs-layers' BatchNormalization", () => {
    const g = buildDcganGenerator({ ...tinyG, seed: 4 });
    for (const [name, shape] of [
      ['bn_project', [5, 7 * 7 * 8]],
      ['bn_14x14', [3, 14, 14, 4]],
    ] as const) {
      const ours = g.getLayer(name);
      expect(ours.getClassName()).toBe('BatchNormalization');
      const stock = tfl.layers.batchNormalization({ momentum: 0.9 });
      stock.build([null, ...shape.slice(1)]);
      // Non-trivial gamma, beta and moving statistics, the same in both.
      const weights = ours.getWeights().map((w, i) => tf.add(w, tf.randomUniform(w.shape, 0.1, 0.5, 'float32', i)));
      ours.setWeights(weights);
      stock.setWeights(weights);
      const x = tf.randomNormal([...shape], 1, 2, 'float32', 3);
      const dy = tf.randomNormal([...shape], 0, 1, 'float32', 4);
      const run = (layer: tfl.layers.Layer) => {
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        let y: tf.Tensor | undefined;
        const { grads } = tf.variableGrads(() => {
          y = tf.keep(layer.apply(x, { training: true }) as tf.Tensor);
          return tf.sum(tf.mul(y, dy)) as tf.Scalar;
        }, vars);
        const dx = tf.grad((xx) => tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, dy)))(x);
        return [y as tf.Tensor, dx, ...vars.map((v) => grads[v.name]), ...layer.getWeights()].map((t) =>
          Array.from(t.dataSync()),
        );
      };
      const [a, b] = [run(ours), run(stock)];
      expect(a.length).toBe(8); // y, dx, dGamma, dBeta, then gamma, beta, moving mean and variance (updated by both calls)
      a.forEach((values, i) => {
        expect(values.length).toBe(b[i].length);
        values.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 5));
      });
    }
  });

  it('divides spectrally normalised kernels by their largest singular value, treats u and v as constants in gradients, and saves them', async () => {
    const d = buildDcganDiscriminator({ ...tinyD, seed: 4, dropout: 0, spectralNorm: true });
    expect(d.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'SpectralConv2D',
      'LeakyReLU',
      'SpectralConv2D',
      'LeakyReLU',
      'Flatten',
      'SpectralDense',
    ]);
    expect(d.trainableWeights.length).toBe(6);
    expect(
      d
        .getWeights()
        .slice(6)
        .map((w) => w.shape),
    ).toEqual([
      [1, 4],
      [1, 8],
      [1, 1],
    ]);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    // Training-mode calls run the power iteration; 40 of them converge for these small kernels.
    for (let i = 0; i < 40; i++) tf.tidy(() => void d.apply(x, { training: true }));
    const [k1, b1, k2, b2, wd, bd] = d.getWeights();
    // Reference: σ and its singular vectors of each kernel as a [K, out] matrix, float64, 500 iterations.
    const top = (t: tf.Tensor) => {
      const out = t.shape[t.rank - 1];
      const w = Float64Array.from(t.dataSync());
      const k = w.length / out;
      let u: Float64Array = new Float64Array(out).fill(1);
      let v: Float64Array = new Float64Array(k);
      const unit = (a: Float64Array) => {
        const n = Math.hypot(...a);
        return a.map((e) => e / n);
      };
      for (let it = 0; it < 500; it++) {
        v = unit(v.map((_, r) => u.reduce((acc, uj, j) => acc + w[r * out + j] * uj, 0)));
        u = unit(u.map((_, j) => v.reduce((acc, vr, r) => acc + w[r * out + j] * vr, 0)));
      }
      const sigma = v.reduce((acc, vr, r) => acc + vr * u.reduce((a2, uj, j) => a2 + w[r * out + j] * uj, 0), 0);
      return { sigma, u: tf.tensor2d(Array.from(u), [1, out]), v: tf.tensor2d(Array.from(v), [1, k]) };
    };
    const [s1, s2, s3] = [top(k1), top(k2), top(wd)];
    expect(s1.sigma).toBeGreaterThan(0.01);
    const lrelu = (t: tf.Tensor) => tf.leakyRelu(t, 0.2);
    const reference = (xx: tf.Tensor4D, kernel1: tf.Tensor) => {
      // σ of kernel 1 as vᵀ W u with the converged vectors held constant, as the layer's gradient does.
      const sigma1 = tf.sum(tf.mul(tf.matMul(s1.v, tf.reshape(kernel1, [-1, 4])), s1.u));
      const h1 = lrelu(tf.add(tf.conv2d(xx, tf.div(kernel1, sigma1) as tf.Tensor4D, 2, 'same'), b1));
      const h2 = lrelu(tf.add(tf.conv2d(h1 as tf.Tensor4D, tf.div(k2, s2.sigma) as tf.Tensor4D, 2, 'same'), b2));
      return tf.add(tf.matMul(tf.reshape(h2, [xx.shape[0], -1]), tf.div(wd, s3.sigma)), bd);
    };
    const got = (d.predict(x) as tf.Tensor).dataSync();
    const want = reference(x, k1).dataSync();
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(want[i], 4);
    const loss = (out: tf.Tensor) => tf.sum(tf.square(out)) as tf.Scalar;
    const dkGot = Object.values(
      tf.variableGrads(
        () => loss(d.apply(x, { training: true }) as tf.Tensor),
        [d.trainableWeights[0].read() as tf.Variable],
      ).grads,
    )[0].dataSync();
    const dkWant = tf
      .grad((k) => loss(reference(x, k)))(k1)
      .dataSync();
    expectCloseAtScale(dkGot, dkWant, 1e-3);
    // Saved with the vectors under its own class names; loads back (here, where they are registered).
    let saved: tf.io.ModelArtifacts | undefined;
    await d.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      d.getWeights().map((w) => Array.from(w.dataSync())),
    );
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((d.predict(x) as tf.Tensor).dataSync());
  });

  it('draws dropout masks from a seed: 0 or 1 / (1 − rate) at the rate, reproducible, odd sizes', () => {
    expect(dropoutMask(0, 0.3, 1)).toEqual(new Float32Array(0));
    for (const n of [1, 2, 3, 5, 100001]) {
      const m = dropoutMask(n, 0.3, 5);
      expect(m.length).toBe(n);
      expect(Array.from(m).every((v) => v === 0 || v === Math.fround(1 / 0.7))).toBe(true);
      expect(dropoutMask(n, 0.3, 5)).toEqual(m);
      // A prefix of a longer mask (the stream does not depend on n).
      expect(dropoutMask(n + 3, 0.3, 5).subarray(0, n)).toEqual(m);
    }
    const m = dropoutMask(100001, 0.3, 5);
    const dropped = m.filter((v) => v === 0).length / m.length;
    // Binomial: σ = √(0.3 · 0.7 / 100001) ≈ 0.0014; 5σ.
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.0075);
    expect(dropoutMask(100001, 0.3, 6)).not.toEqual(m);
    expect(dropoutMask(1000, 0, 1).every((v) => v === 1)).toBe(true);
    // The 16-bit halves of a draw are not tied together (neighbours drop independently).
    let both = 0;
    for (let i = 0; i + 1 < m.length; i += 2) if (m[i] === 0 && m[i + 1] === 0) both++;
    expect(Math.abs(both / 50000 - 0.09)).toBeLessThan(0.007);
  });

  it('trains with alternating steps, records D/G losses and D accuracy, reproducibly', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const run = async () => {
      const g = buildDcganGenerator({ ...tinyG, seed: 1 });
      const d = buildDcganDiscriminator({ ...tinyD, seed: 2 });
      const trainer = new GanTrainer(g, d, { seed: 3, learningRate: 2e-3 });
      const steps: number[] = [];
      const fit = await trainer.fit(images, { epochs: 2, batchSize: 16, onBatchEnd: (p) => void steps.push(p.step) });
      trainer.dispose();
      return { fit, steps, weights: g.getWeights()[0].dataSync().slice(0, 20) };
    };
    const a = await run();
    expect(a.steps).toEqual([1, 2, 3, 4]);
    expect(a.fit.history.length).toBe(2);
    expect(a.fit.steps.length).toBe(4);
    for (const logs of a.fit.steps) {
      expect(Object.keys(logs).sort()).toEqual([...GAN_LOG_KEYS].sort());
      expect(Number.isFinite(logs['dLoss']) && Number.isFinite(logs['gLoss'])).toBe(true);
      expect(logs['dAcc']).toBeGreaterThanOrEqual(0);
      expect(logs['dAcc']).toBeLessThanOrEqual(1);
      expect(logs['dAcc']).toBeCloseTo((logs['dAccReal'] + logs['dAccFake']) / 2, 10);
    }
    // An untrained pair starts near the equilibrium values ln 4 ≈ 1.39 (D) and ln 2 ≈ 0.69 (G).
    expect(a.fit.steps[0]['dLoss']).toBeGreaterThan(1.0);
    expect(a.fit.steps[0]['dLoss']).toBeLessThan(1.8);
    expect(a.fit.steps[0]['gLoss']).toBeGreaterThan(0.4);
    expect(a.fit.steps[0]['gLoss']).toBeLessThan(1.0);
    const b = await run();
    expect(b.fit.steps).toEqual(a.fit.steps);
    expect(b.weights).toEqual(a.weights);
  });

  it('averages generator weights (ramped EMA) and stops at the time limit', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const g = buildDcganGenerator({ ...tinyG, seed: 1 });
    const trainer = new GanTrainer(g, buildDcganDiscriminator({ ...tinyD, seed: 2 }), { seed: 3, emaDecay: 0.5 });
    const snapshots: Float32Array[] = [];
    await trainer.fit(images, {
      epochs: 1,
      batchSize: 16,
      onBatchEnd: () => void snapshots.push(Float32Array.from(g.getWeights()[0].dataSync())),
    });
    expect(snapshots.length).toBe(2);
    // Step 1 starts the average at w1; step 2 uses d = min(0.5, 3/12) = 0.25.
    expect(trainer.useAveragedGenerator()).toBe(true);
    const averaged = g.getWeights()[0].dataSync();
    for (const i of [0, 7, 100]) expect(averaged[i]).toBeCloseTo(0.25 * snapshots[0][i] + 0.75 * snapshots[1][i], 6);
    const limited = await trainer.fit(images, { epochs: 50, batchSize: 16, timeLimitMs: 1 });
    expect(limited.stopReason).toBe('time-limit');
    expect(limited.steps.length).toBe(1);
    expect(limited.history.length).toBe(1);
    expect(limited.epochsCompleted).toBe(0);
    trainer.dispose();
    expect(new GanTrainer(g, buildDcganDiscriminator({ ...tinyD, seed: 2 })).useAveragedGenerator()).toBe(false);
  });

  it('gives the discriminator its own learning rate and scales both by the run progress', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    // Trainable weights only: BatchNorm's moving statistics follow the batches whatever the rate.
    const snapshot = (m: tfl.LayersModel) => m.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const changed = (a: number[][], b: number[][]) => a.some((w, i) => w.some((v, j) => v !== b[i][j]));
    // A frozen discriminator (lr 0) keeps its weights while the generator learns.
    const g = buildDcganGenerator({ ...tinyG, seed: 1 });
    const d = buildDcganDiscriminator({ ...tinyD, seed: 2 });
    const [g0, d0] = [snapshot(g), snapshot(d)];
    const ttur = new GanTrainer(g, d, { seed: 3, learningRate: 1e-3, discriminatorLearningRate: 0 });
    await ttur.fit(images, { epochs: 1, batchSize: 16 });
    ttur.dispose();
    expect(changed(snapshot(d), d0)).toBe(false);
    expect(changed(snapshot(g), g0)).toBe(true);
    // The scale sees progress 0, then 0.25 (4 planned steps) and zeroes both rates from there on.
    const g2 = buildDcganGenerator({ ...tinyG, seed: 1 });
    const d2 = buildDcganDiscriminator({ ...tinyD, seed: 2 });
    const seen: number[] = [];
    let before: number[][] = [];
    const scaled = new GanTrainer(g2, d2, { seed: 3, learningRate: 1e-3 });
    await scaled.fit(images, {
      epochs: 2,
      batchSize: 16,
      learningRateScale: (p) => (seen.push(p), p === 0 ? 1 : 0),
      onBatchEnd: ({ step }) => void (step === 1 && (before = [...snapshot(g2), ...snapshot(d2)])),
    });
    scaled.dispose();
    expect(seen).toEqual([0, 0.25, 0.5, 0.75]);
    expect(changed([...snapshot(g2), ...snapshot(d2)], before)).toBe(false);
  });

  it('takes several generator steps per discriminator step and adds annealed instance noise, reproducibly', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const run = async (options: { generatorSteps?: number; instanceNoise?: number }) => {
      const g = buildDcganGenerator({ ...tinyG, seed: 1 });
      const d = buildDcganDiscriminator({ ...tinyD, seed: 2 });
      // A frozen discriminator: what changes between runs is the generator's updates and what D sees.
      const trainer = new GanTrainer(g, d, { seed: 3, learningRate: 2e-3, discriminatorLearningRate: 0, ...options });
      const fit = await trainer.fit(images, { epochs: 1, batchSize: 16 });
      trainer.dispose();
      return { steps: fit.steps, weights: Array.from(g.getWeights()[0].dataSync().slice(0, 20)) };
    };
    const plain = await run({});
    const twice = await run({ generatorSteps: 2 });
    expect(twice.steps.length).toBe(2);
    // Step 1's discriminator pass is the same (same latent draw); the generator then moved further.
    expect(twice.steps[0]['dLoss']).toBe(plain.steps[0]['dLoss']);
    expect(twice.weights).not.toEqual(plain.weights);
    expect(await run({ generatorSteps: 2 })).toEqual(twice);
    const noisy = await run({ instanceNoise: 0.5 });
    // Noise changes what D sees (its loss) but, frozen, not D; step 1 runs at full noise.
    expect(noisy.steps[0]['dLoss']).not.toBe(plain.steps[0]['dLoss']);
    expect(Number.isFinite(noisy.steps[1]['dLoss'])).toBe(true);
    expect(await run({ instanceNoise: 0.5 })).toEqual(noisy);
    expect(
      () => new GanTrainer(buildDcganGenerator(tinyG), buildDcganDiscriminator(tinyD), { generatorSteps: 0 }),
    ).toThrow(/generatorSteps/);
  });

  it('trains with the least-squares and hinge losses: their values at the start, reproducibly', async () => {
    const { train } = await mnistOnce();
    const images = takeImages(train, balancedSample(train.labels, 32, 0));
    const run = async (loss: GanLoss) => {
      const trainer = new GanTrainer(
        buildDcganGenerator({ ...tinyG, seed: 1 }),
        buildDcganDiscriminator({ ...tinyD, seed: 2 }),
        { seed: 3, loss },
      );
      const fit = await trainer.fit(images, { epochs: 1, batchSize: 16 });
      trainer.dispose();
      return fit.steps;
    };
    // An untrained D outputs ≈ 0: least squares gives 0.9² (real) + 0 (fake) for D and 0.9² for G;
    // hinge gives relu(1 − 0) + relu(1 + 0) = 2 for D and −0 for G.
    const ls = await run('lsgan');
    expect(ls[0]['dLoss']).toBeCloseTo(0.81, 1);
    expect(ls[0]['gLoss']).toBeCloseTo(0.81, 1);
    const hinge = await run('hinge');
    expect(hinge[0]['dLoss']).toBeCloseTo(2, 1);
    expect(Math.abs(hinge[0]['gLoss'])).toBeLessThan(0.1);
    for (const logs of [...ls, ...hinge])
      expect(Number.isFinite(logs['dLoss']) && Number.isFinite(logs['gLoss'])).toBe(true);
    expect(await run('hinge')).toEqual(hinge);
    expect(
      () =>
        new GanTrainer(buildDcganGenerator(tinyG), buildDcganDiscriminator(tinyD), { loss: 'wasserstein' as GanLoss }),
    ).toThrow(/loss must be/);
  });

  it('interpolates latent vectors along the sphere, ending exactly at both ends', () => {
    const z = sampleLatent(2, 8, 4).arraySync();
    const path = interpolateLatent(z[0], z[1], 5).arraySync();
    expect(path.length).toBe(5);
    path[0].forEach((v, i) => expect(v).toBeCloseTo(z[0][i], 5));
    path[4].forEach((v, i) => expect(v).toBeCloseTo(z[1][i], 5));
    const norm = (v: number[]) => Math.hypot(...v);
    // The middle keeps a norm between the ends' (a straight line would shrink it).
    expect(norm(path[2])).toBeGreaterThan(0.9 * Math.min(norm(z[0]), norm(z[1])));
    // Holding the first coordinate (a latent code): it stays a's, the rest follow the same path.
    const held = interpolateLatent(z[0], z[1], 5, 1).arraySync();
    held.forEach((row, s) => {
      expect(row[0]).toBeCloseTo(z[0][0], 6);
      row.slice(1).forEach((v, i) => expect(v).toBeCloseTo(path[s][i + 1], 6));
    });
    expect(() => interpolateLatent(z[0], z[1], 5, 9)).toThrow(/hold must be an integer in \[0, 8\], got 9/);
  });

  it('judges a generator with a classifier: histogram, confidence, Fréchet distance vs the real baseline', async () => {
    const { test } = await mnistOnce();
    // An untrained classifier is enough to check the bookkeeping; real images of two draws lie
    // closer to each other than to an untrained generator's blobs.
    const classifier = buildCnn({ filters: [4], kernelSize: 5, dense: 16, dropout: 0, seed: 0 });
    compileClassifier(classifier);
    const g = buildDcganGenerator({ ...tinyG, seed: 5 });
    const ev = await evaluateGenerator(g, classifier, headImages(test, 400), { samples: 200, seed: 1, batchSize: 100 });
    expect(ev.samples).toBe(200);
    expect(ev.frechetSamples).toBe(200);
    expect(ev.classHistogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(ev.minClassShare).toBe(Math.min(...ev.classHistogram));
    expect(ev.classesCovered).toBe(ev.classHistogram.filter((h) => h > 0).length);
    expect(ev.confidentShare).toBeGreaterThanOrEqual(0);
    expect(ev.meanConfidence).toBeGreaterThanOrEqual(0.1);
    expect(ev.frechetRealBaseline).toBeLessThan(ev.frechetDistance);
    await expect(evaluateGenerator(g, classifier, headImages(test, 3))).rejects.toThrow(/at least 4 real images/);
  });
});
