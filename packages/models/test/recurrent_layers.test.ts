import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@lanes/core';
import { LanesGRU, LanesLSTM, gruLayer, lstmLayer } from '../src/recurrent/index.js';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Deterministic floats in [-scale, scale). */
function rand(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}

type Kind = 'lstm' | 'gru';
const stockFactory = { lstm: tfl.layers.lstm, gru: tfl.layers.gru };
const oursFactory = { lstm: lstmLayer, gru: gruLayer };
const gatesOf = { lstm: 4, gru: 3 };

/** Weights of a layer with `features` inputs, scaled to keep activations unsaturated. */
function weightsFor(
  kind: Kind,
  features: number,
  units: number,
  useBias: boolean,
  seed: number,
  resetAfter = false,
): tf.Tensor[] {
  const g = gatesOf[kind];
  const w: tf.Tensor[] = [
    tf.tensor2d(rand(features * g * units, seed, 0.6), [features, g * units]),
    tf.tensor2d(rand(units * g * units, seed + 1, 0.5), [units, g * units]),
  ];
  if (useBias)
    w.push(
      resetAfter
        ? tf.tensor2d(rand(2 * g * units, seed + 2, 0.3), [2, g * units])
        : tf.tensor1d(rand(g * units, seed + 2, 0.3)),
    );
  return w;
}

interface LayerCase {
  kind: Kind;
  units: number;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  activation?: 'tanh' | 'sigmoid' | 'relu';
  recurrentActivation?: 'hardSigmoid' | 'sigmoid';
  useBias?: boolean;
}

const layerCases: LayerCase[] = [
  { kind: 'lstm', units: 5 },
  { kind: 'lstm', units: 8, returnSequences: true, recurrentActivation: 'sigmoid' },
  { kind: 'lstm', units: 3, returnState: true, goBackwards: true, useBias: false },
  { kind: 'lstm', units: 9, returnSequences: true, returnState: true, activation: 'relu' },
  { kind: 'gru', units: 5 },
  { kind: 'gru', units: 8, returnSequences: true, recurrentActivation: 'sigmoid' },
  { kind: 'gru', units: 3, returnState: true, goBackwards: true, useBias: false },
  { kind: 'gru', units: 9, returnSequences: true, returnState: true, activation: 'sigmoid' },
];

function args(c: LayerCase) {
  return {
    units: c.units,
    returnSequences: c.returnSequences,
    returnState: c.returnState,
    goBackwards: c.goBackwards,
    activation: c.activation,
    recurrentActivation: c.recurrentActivation,
    useBias: c.useBias,
  };
}

describe('fused LSTM / GRU layers', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await tf.setBackend('lanes');
  });

  for (const c of layerCases) {
    for (const backend of ['lanes', 'cpu']) {
      it(`give tf.layers.${c.kind}'s outputs with its weights on ${backend}: ${JSON.stringify(args(c))}`, async () => {
        await tf.setBackend(backend);
        const [B, T, F] = [4, 6, 3];
        const x = tf.tensor3d(rand(B * T * F, 7), [B, T, F]);
        const stock = stockFactory[c.kind](args(c));
        const ours = oursFactory[c.kind](args(c));
        stock.apply(x);
        ours.apply(x);
        const w = weightsFor(c.kind, F, c.units, c.useBias ?? true, 11);
        stock.setWeights(w);
        // Weights go into ours and come back out unchanged: the same variables, names and shapes.
        ours.setWeights(stock.getWeights());
        expect(ours.weights.map((v) => v.name.split('/').pop())).toEqual(
          stock.weights.map((v) => v.name.split('/').pop()),
        );
        ours.getWeights().forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(w[i].dataSync())));
        const want = [stock.apply(x)].flat() as tf.Tensor[];
        let got: tf.Tensor[] = [];
        const profile = await tf.profile(() => {
          got = [ours.apply(x)].flat() as tf.Tensor[];
          return got;
        });
        // One fused kernel on lanes; the composite of standard ops elsewhere.
        expect(profile.kernelNames.includes(c.kind === 'lstm' ? 'LanesLSTM' : 'LanesGRU')).toBe(backend === 'lanes');
        expect(got.length).toBe(want.length);
        got.forEach((t, i) => {
          expect(t.shape).toEqual(want[i].shape);
          expect(maxRelError(t.dataSync(), want[i].dataSync())).toBeLessThan(1e-4);
        });
        expect(ours.getConfig()).toEqual({ ...stock.getConfig(), name: ours.name });
        tf.dispose([x, ...w, ...want, ...got]);
      });
    }
  }

  for (const kind of ['lstm', 'gru'] as Kind[]) {
    it(`${kind}: a model of ours trained on lanes follows tf.layers' trained on cpu step by step`, async () => {
      const [B, T, F, U, C] = [8, 5, 4, 6, 3];
      const xData = rand(B * T * F, 3),
        labels = Array.from({ length: B }, (_, i) => i % C);
      const build = (factory: (a: { units: number; inputShape: number[] }) => tfl.layers.Layer) => {
        const m = tfl.sequential({
          layers: [factory({ units: U, inputShape: [T, F] }), tfl.layers.dense({ units: C, activation: 'softmax' })],
        });
        m.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
        return m;
      };
      const init = [
        ...weightsFor(kind, F, U, true, 21),
        tf.tensor2d(rand(U * C, 24, 0.5), [U, C]),
        tf.tensor1d(rand(C, 25, 0.1)),
      ];
      const run = async (
        backend: string,
        factory: (a: { units: number; inputShape: number[] }) => tfl.layers.Layer,
      ) => {
        await tf.setBackend(backend);
        const m = build(factory);
        m.setWeights(init);
        const x = tf.tensor3d(xData, [B, T, F]),
          y = tf.oneHot(tf.tensor1d(labels, 'int32'), C);
        const losses: number[] = [];
        const profile = await tf.profile(async () => {
          losses.push((await m.trainOnBatch(x, y)) as number);
        });
        for (let i = 0; i < 3; i++) losses.push((await m.trainOnBatch(x, y)) as number);
        const fusedGrad = kind === 'lstm' ? 'LanesLSTMGrad' : 'LanesGRUGrad';
        expect(profile.kernelNames.includes(fusedGrad)).toBe(backend === 'lanes');
        const weights = m.getWeights().map((w) => w.dataSync().slice());
        tf.dispose([x, y]);
        m.dispose();
        return { losses, weights };
      };
      const stock = await run('cpu', stockFactory[kind] as never);
      const ours = await run('lanes', oursFactory[kind] as never);
      expect(maxRelError(ours.losses, stock.losses)).toBeLessThan(1e-4);
      expect(stock.losses[3]).toBeLessThan(stock.losses[0]);
      ours.weights.forEach((w, i) => expect(maxRelError(w, stock.weights[i]), `weight ${i}`).toBeLessThan(1e-4));
      tf.dispose(init);
    });
  }

  it('fall back to tfjs-layers step by step for masks and training-time dropout, with the same results', async () => {
    await tf.setBackend('lanes');
    const ids = tf.tensor2d(
      [
        [1, 2, 3, 0, 0],
        [4, 0, 0, 0, 0],
        [2, 2, 1, 4, 3],
      ],
      [3, 5],
    );
    for (const kind of ['lstm', 'gru'] as Kind[]) {
      const build = (factory: (a: { units: number }) => tfl.layers.Layer) => {
        const m = tfl.sequential({
          layers: [
            tfl.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputLength: 5 }),
            factory({ units: 4 }),
          ],
        });
        return m;
      };
      const stock = build(stockFactory[kind] as never),
        ours = build(oursFactory[kind] as never);
      ours.setWeights(stock.getWeights());
      const layer = ours.layers[1] as LanesLSTM | LanesGRU;
      expect(layer.unfusableReason(tf.zeros([1, 5, 3]), { mask: tf.ones([1, 5]) })).toBe('a mask');
      const want = stock.predict(ids) as tf.Tensor,
        got = ours.predict(ids) as tf.Tensor;
      expect(maxRelError(got.dataSync(), want.dataSync())).toBeLessThan(1e-5);
      const drop = oursFactory[kind]({ units: 4, dropout: 0.5 });
      drop.apply(tf.zeros([1, 5, 3]));
      expect((drop as LanesLSTM).unfusableReason(tf.zeros([1, 5, 3]), { training: true })).toBe(
        'dropout while training',
      );
      expect((drop as LanesLSTM).unfusableReason(tf.zeros([1, 5, 3]), { training: false })).toBeUndefined();
      tf.dispose([want, got]);
    }
    ids.dispose();
  });

  it('take initial states as model inputs (functional API), as tf.layers does', async () => {
    await tf.setBackend('lanes');
    for (const kind of ['lstm', 'gru'] as Kind[]) {
      const outs = [stockFactory[kind], oursFactory[kind]].map((make) => {
        const x = tfl.input({ shape: [4, 3] }),
          states = (kind === 'lstm' ? [5, 5] : [5]).map((n) => tfl.input({ shape: [n] }));
        const y = (make as (a: { units: number }) => tfl.layers.Layer)({ units: 5 }).apply(x, {
          initialState: states,
        }) as tfl.SymbolicTensor;
        const m = tfl.model({ inputs: [x, ...states], outputs: y });
        m.setWeights(m.getWeights().map((w, i) => tf.tensor(rand(w.size, 50 + i, 0.5), w.shape)));
        const feed = [
          tf.tensor3d(rand(24, 61), [2, 4, 3]),
          ...states.map((_, i) => tf.tensor2d(rand(10, 62 + i), [2, 5])),
        ];
        const out = (m.predict(feed) as tf.Tensor).dataSync();
        tf.dispose(feed);
        return out;
      });
      expect(maxRelError(outs[1], outs[0])).toBeLessThan(1e-5);
    }
  });

  it('gates(): per-step gate activations and cells equal a step-by-step recomputation', async () => {
    await tf.setBackend('lanes');
    const [B, T, F, U] = [2, 4, 3, 5];
    const x = tf.tensor3d(rand(B * T * F, 5), [B, T, F]);
    const layer = lstmLayer({ units: U, returnSequences: true, recurrentActivation: 'sigmoid' });
    layer.apply(x);
    layer.setWeights(weightsFor('lstm', F, U, true, 31));
    const { output, gates, cells } = layer.gates(x);
    expect(gates.shape).toEqual([B, T, 4, U]);
    expect(cells.shape).toEqual([B, T, U]);
    const [k, rk, b] = layer.getWeights().map((w) => w.arraySync() as number[][] | number[]);
    const xs = x.arraySync() as number[][][],
      g = gates.arraySync() as number[][][][],
      cs = cells.arraySync() as number[][][];
    const hs = output.arraySync() as number[][][];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    for (let bi = 0; bi < B; bi++) {
      const h = new Array(U).fill(0),
        c = new Array(U).fill(0);
      for (let t = 0; t < T; t++) {
        const z = Array.from(
          { length: 4 * U },
          (_, n) =>
            (b as number[])[n] +
            xs[bi][t].reduce((s, v, f) => s + v * (k as number[][])[f][n], 0) +
            h.reduce((s, v, j) => s + v * (rk as number[][])[j][n], 0),
        );
        for (let u = 0; u < U; u++) {
          const want = [sig(z[u]), sig(z[U + u]), Math.tanh(z[2 * U + u]), sig(z[3 * U + u])];
          want.forEach((v, gi) => expect(Math.abs(g[bi][t][gi][u] - v)).toBeLessThan(1e-5));
          c[u] = want[1] * c[u] + want[0] * want[2];
          expect(Math.abs(cs[bi][t][u] - c[u])).toBeLessThan(1e-5);
        }
        for (let u = 0; u < U; u++) h[u] = sig(z[3 * U + u]) * Math.tanh(c[u]);
        h.forEach((v, u) => expect(Math.abs(hs[bi][t][u] - v)).toBeLessThan(1e-5));
      }
    }
    tf.dispose([x, output, gates, cells]);
  });

  it('GRU resetAfter (Keras 2 layout): bias [2, 3u], trains, and round-trips through save and load', async () => {
    await tf.setBackend('lanes');
    const [B, T, F, U] = [3, 4, 2, 5];
    const x = tf.tensor3d(rand(B * T * F, 9), [B, T, F]);
    const m = tfl.sequential({
      layers: [gruLayer({ units: U, resetAfter: true, inputShape: [T, F], returnSequences: true })],
    });
    expect(m.layers[0].getWeights().map((w) => w.shape)).toEqual([
      [F, 3 * U],
      [U, 3 * U],
      [2, 3 * U],
    ]);
    m.layers[0].setWeights(weightsFor('gru', F, U, true, 41, true));
    const [k, rk, b] = m.layers[0].getWeights();
    const want = tf.tidy(() => {
      // Keras reset_after: hh = tanh(x·W_h + b_h + r ∘ (h·U_h + b_rh)), gates with tfjs' default hard sigmoid.
      const hard = (v: tf.Tensor) => tf.clipByValue(tf.add(0.5, tf.mul(0.2, v)), 0, 1);
      const [bi, br] = tf.unstack(b);
      let h: tf.Tensor = tf.zeros([B, U]);
      const outs: tf.Tensor[] = [];
      for (const xt of tf.unstack(x, 1)) {
        const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, k), bi), 3, 1);
        const [mz, mr, mh] = tf.split(tf.add(tf.matMul(h, rk), br), 3, 1);
        const z = hard(tf.add(xz, mz)),
          r = hard(tf.add(xr, mr));
        const hh = tf.tanh(tf.add(xh, tf.mul(r, mh)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
        outs.push(h);
      }
      return tf.stack(outs, 1);
    });
    const got = m.predict(x) as tf.Tensor;
    expect(maxRelError(got.dataSync(), want.dataSync())).toBeLessThan(1e-5);
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(saved!.modelTopology)).toContain('"reset_after":true');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[0]).toBeInstanceOf(LanesGRU);
    expect((loaded.layers[0] as LanesGRU).resetAfter).toBe(true);
    const again = loaded.predict(x) as tf.Tensor;
    expect(maxRelError(again.dataSync(), got.dataSync())).toBe(0);
    m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const target = tf.zerosLike(got);
    const l0 = (await m.trainOnBatch(x, target)) as number;
    for (let i = 0; i < 5; i++) await m.trainOnBatch(x, target);
    expect((await m.trainOnBatch(x, target)) as number).toBeLessThan(l0);
    expect(() =>
      gruLayer({ units: 2, resetAfter: true, stateful: true, batchInputShape: [1, 3, 2] }).apply(tf.zeros([1, 3, 2])),
    ).toThrow(/resetAfter/);
    tf.dispose([x, want, got, again, target]);
  });
});

// ---- interchange with stock tfjs-layers, in a separate Node process that has only @tensorflow/tfjs ----

/** Runs an ES module script in a fresh Node process (cwd: this package) and parses its JSON output. */
function runStock(script: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: pkgDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

interface Saved {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: string;
}

function toSaved(a: tf.io.ModelArtifacts): Saved {
  const data = Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData!;
  return {
    modelTopology: a.modelTopology,
    weightSpecs: a.weightSpecs,
    weightData: Buffer.from(data).toString('base64'),
  };
}

function fromSaved(s: Saved): tf.io.ModelArtifacts {
  const buf = Buffer.from(s.weightData, 'base64');
  return {
    modelTopology: s.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: s.weightSpecs as tf.io.WeightsManifestEntry[],
    weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
  };
}

describe(
  'model files interchange with stock tfjs-layers (separate process, no @lanes packages)',
  { timeout: 120_000 },
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'lanes-rnn-'));
      await tf.setBackend('lanes');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const [B, T, F] = [2, 5, 3];
    const input = Array.from(rand(B * T * F, 77));

    for (const kind of ['lstm', 'gru'] as Kind[]) {
      it(`${kind}: a model saved with ours loads in stock tfjs-layers and predicts the same`, async () => {
        const m = tfl.sequential({
          layers: [
            oursFactory[kind]({ units: 6, inputShape: [T, F], returnSequences: true }),
            tfl.layers.dense({ units: 2 }),
          ],
        });
        let artifacts: tf.io.ModelArtifacts | undefined;
        await m.save(
          tf.io.withSaveHandler(async (a) => {
            artifacts = a;
            return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
          }),
        );
        const file = join(dir, `ours-${kind}.json`);
        writeFileSync(file, JSON.stringify({ saved: toSaved(artifacts!), input }));
        const out = runStock(`
        import * as tf from '@tensorflow/tfjs';
        import { readFileSync } from 'node:fs';
        await tf.setBackend('cpu');
        const { saved, input } = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
        const buf = Buffer.from(saved.weightData, 'base64');
        const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs,
          weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) }));
        const y = m.predict(tf.tensor3d(input, [${B}, ${T}, ${F}]));
        console.log(JSON.stringify({ classes: m.layers.map((l) => l.getClassName()), y: Array.from(y.dataSync()) }));
      `) as { classes: string[]; y: number[] };
        expect(out.classes).toEqual([kind.toUpperCase(), 'Dense']);
        const ours = m.predict(tf.tensor3d(input, [B, T, F])) as tf.Tensor;
        expect(maxRelError(ours.dataSync(), out.y)).toBeLessThan(1e-5);
        ours.dispose();
        m.dispose();
      });

      it(`${kind}: a model saved by stock tfjs-layers loads as ours and predicts the same`, async () => {
        const out = runStock(`
        import * as tf from '@tensorflow/tfjs';
        await tf.setBackend('cpu');
        const m = tf.sequential({ layers: [tf.layers.${kind}({ units: 6, inputShape: [${T}, ${F}], returnSequences: true,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          biasInitializer: tf.initializers.randomUniform({ seed: 3 }) }), tf.layers.dense({ units: 2 })] });
        let saved;
        await m.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
        const data = Array.isArray(saved.weightData) ? tf.io.concatenateArrayBuffers(saved.weightData) : saved.weightData;
        const y = m.predict(tf.tensor3d(${JSON.stringify(input)}, [${B}, ${T}, ${F}]));
        console.log(JSON.stringify({ saved: { modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs,
          weightData: Buffer.from(data).toString('base64') }, y: Array.from(y.dataSync()) }));
      `) as { saved: Saved; y: number[] };
        const m = await tfl.loadLayersModel(tf.io.fromMemory(fromSaved(out.saved)));
        expect(m.layers[0]).toBeInstanceOf(kind === 'lstm' ? LanesLSTM : LanesGRU);
        const ours = m.predict(tf.tensor3d(input, [B, T, F])) as tf.Tensor;
        expect(maxRelError(ours.dataSync(), out.y)).toBeLessThan(1e-5);
        ours.dispose();
        m.dispose();
      });
    }
  },
);
