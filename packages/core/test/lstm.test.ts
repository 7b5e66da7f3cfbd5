import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { lanes, maxRelError, randomFloats } from './helpers.js';
import { lstm, setThreadsCount, type LSTMOptions } from '../src/index.js';
import { BUILD_ORDER, supportsBuild } from '@lanes/kernels-wasm';
import { LanesBackend } from '../src/backend.js';
import { registerLanesKernels } from '../src/kernels/registry.js';
import { dot, numericGrad, refLSTM, type Act, type RefArrays } from './lstm_reference.js';

interface Case {
  B: number;
  T: number;
  F: number;
  U: number;
  activation: Act;
  recurrentActivation: Act;
  goBackwards?: boolean;
  bias?: boolean;
  initial?: boolean;
  returnSequences?: boolean;
  gatesInLoss?: boolean;
  /** Call without returnGates (the kernel then knows the gates' gradients are zero). */
  hideGates?: boolean;
}

interface Data {
  x: Float32Array;
  kernel: Float32Array;
  rk: Float32Array;
  bias: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
}

function makeData(c: Case, seed: number): Data {
  const { B, T, F, U } = c;
  // Weights of moderate size (shrinking with the fan-in, as Glorot's) keep every activation in its
  // interesting range, and a long recurrence from turning chaotic.
  const scaled = (n: number, s: number, k: number) => randomFloats(n, s).map((v) => v * k);
  return {
    x: scaled(B * T * F, seed, 1),
    kernel: scaled(F * 4 * U, seed + 1, Math.min(0.6, 1.5 / Math.sqrt(F))),
    rk: scaled(U * 4 * U, seed + 2, Math.min(0.5, 1.5 / Math.sqrt(U))),
    bias: scaled(4 * U, seed + 3, 0.3),
    h0: scaled(B * U, seed + 4, 0.5),
    c0: scaled(B * U, seed + 5, 0.5),
  };
}

/** Loss weights for output, h, c, gates, cells (fixed per case so both backends see the same loss). */
function lossWeights(c: Case): Float32Array[] {
  const { B, T, U } = c;
  const outSize = c.returnSequences ? B * T * U : B * U;
  return [
    randomFloats(outSize, 91),
    randomFloats(B * U, 92),
    randomFloats(B * U, 93),
    randomFloats(B * T * 4 * U, 94),
    randomFloats(B * T * U, 95),
  ];
}

interface Run {
  outs: Float32Array[];
  grads: Float32Array[];
}

async function runOn(backend: string, c: Case, d: Data): Promise<Run> {
  await tf.setBackend(backend);
  const { B, T, F, U } = c;
  const x = tf.tensor3d(d.x, [B, T, F]),
    k = tf.tensor2d(d.kernel, [F, 4 * U]),
    rk = tf.tensor2d(d.rk, [U, 4 * U]);
  const b = tf.tensor1d(d.bias),
    h0 = tf.tensor2d(d.h0, [B, U]),
    c0 = tf.tensor2d(d.c0, [B, U]);
  const w = lossWeights(c);
  const opts = (h: tf.Tensor, cc: tf.Tensor): LSTMOptions => ({
    activation: c.activation,
    recurrentActivation: c.recurrentActivation,
    goBackwards: c.goBackwards,
    returnSequences: c.returnSequences,
    returnState: true,
    returnGates: !c.hideGates,
    initialState: c.initial ? [h, cc] : undefined,
  });
  const r = lstm(x, k, rk, c.bias ? b : null, opts(h0, c0));
  const outs = [r.output, r.state![0], r.state![1], r.gates, r.cells].map((t) =>
    t ? (t.dataSync() as Float32Array) : new Float32Array(0),
  );
  tf.dispose([r.output, ...r.state!, ...(r.gates ? [r.gates, r.cells!] : [])]);
  const loss = (xx: tf.Tensor, kk: tf.Tensor, rr: tf.Tensor, bb: tf.Tensor, hh: tf.Tensor, ccc: tf.Tensor) => {
    const o = lstm(xx, kk, rr, c.bias ? bb : null, opts(hh, ccc));
    const terms = [
      tf.sum(tf.mul(o.output, tf.tensor(w[0], o.output.shape))),
      tf.sum(tf.mul(o.state![0], tf.tensor(w[1], [B, U]))),
      tf.sum(tf.mul(o.state![1], tf.tensor(w[2], [B, U]))),
    ];
    if (c.gatesInLoss && !c.hideGates) {
      terms.push(
        tf.sum(tf.mul(o.gates!, tf.tensor(w[3], o.gates!.shape))),
        tf.sum(tf.mul(o.cells!, tf.tensor(w[4], o.cells!.shape))),
      );
    }
    return tf.addN(terms) as tf.Scalar;
  };
  // Only inputs the loss depends on (tf.grads rejects the others): empty results for the rest.
  const used = [true, true, true, c.bias ?? false, c.initial ?? false, c.initial ?? false];
  const all = [x, k, rk, b, h0, c0];
  const grads = tf.grads((...xs: tf.Tensor[]) => {
    const full = all.map((t, i) => (used[i] ? xs[used.slice(0, i).filter(Boolean).length] : t));
    return loss(full[0], full[1], full[2], full[3], full[4], full[5]);
  })(all.filter((_, i) => used[i]));
  const gradData = all.map((_, i) =>
    used[i] ? (grads[used.slice(0, i).filter(Boolean).length].dataSync() as Float32Array) : new Float32Array(0),
  );
  tf.dispose([...all, ...grads]);
  return { outs, grads: gradData };
}

const names = ['output', 'h', 'c', 'gates', 'cells'];
const gradNames = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'];

function expectClose(got: Run, want: Run, tol: number, what: string): void {
  got.outs.forEach((o, i) => expect(maxRelError(o, want.outs[i]), `${what}: ${names[i]}`).toBeLessThan(tol));
  got.grads.forEach((g, i) => expect(maxRelError(g, want.grads[i]), `${what}: d${gradNames[i]}`).toBeLessThan(tol));
}

// Unit counts cover every remainder of the 4-lane vector and of the 8-unit panel; batches every
// remainder of the 4-row tile.
const cases: Case[] = [
  { B: 1, T: 1, F: 1, U: 1, activation: 'tanh', recurrentActivation: 'sigmoid', bias: true },
  {
    B: 2,
    T: 3,
    F: 3,
    U: 3,
    activation: 'tanh',
    recurrentActivation: 'hardSigmoid',
    bias: true,
    initial: true,
    returnSequences: true,
  },
  {
    B: 3,
    T: 4,
    F: 2,
    U: 4,
    activation: 'relu',
    recurrentActivation: 'sigmoid',
    goBackwards: true,
    initial: true,
    gatesInLoss: true,
  },
  {
    B: 4,
    T: 2,
    F: 5,
    U: 5,
    activation: 'linear',
    recurrentActivation: 'hardSigmoid',
    bias: true,
    returnSequences: true,
    gatesInLoss: true,
  },
  {
    B: 5,
    T: 5,
    F: 3,
    U: 7,
    activation: 'sigmoid',
    recurrentActivation: 'tanh',
    bias: true,
    initial: true,
    goBackwards: true,
    returnSequences: true,
  },
  {
    B: 7,
    T: 3,
    F: 4,
    U: 8,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    bias: true,
    initial: true,
    gatesInLoss: true,
  },
  { B: 8, T: 4, F: 2, U: 9, activation: 'hardSigmoid', recurrentActivation: 'relu', bias: true, returnSequences: true },
  {
    B: 9,
    T: 6,
    F: 3,
    U: 13,
    activation: 'tanh',
    recurrentActivation: 'hardSigmoid',
    bias: true,
    initial: true,
    goBackwards: true,
    gatesInLoss: true,
  },
  { B: 6, T: 3, F: 7, U: 16, activation: 'tanh', recurrentActivation: 'sigmoid', initial: true, returnSequences: true },
  {
    B: 5,
    T: 7,
    F: 6,
    U: 17,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    bias: true,
    initial: true,
    returnSequences: true,
    gatesInLoss: true,
  },
  { B: 4, T: 2, F: 4, U: 2, activation: 'tanh', recurrentActivation: 'linear', bias: true, goBackwards: true },
  {
    B: 3,
    T: 2,
    F: 3,
    U: 6,
    activation: 'relu',
    recurrentActivation: 'sigmoid',
    initial: true,
    returnSequences: true,
    gatesInLoss: true,
  },
  {
    B: 5,
    T: 4,
    F: 3,
    U: 10,
    activation: 'tanh',
    recurrentActivation: 'hardSigmoid',
    bias: true,
    initial: true,
    hideGates: true,
  },
  {
    B: 4,
    T: 3,
    F: 2,
    U: 12,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    bias: true,
    goBackwards: true,
    returnSequences: true,
    hideGates: true,
  },
];

function label(c: Case): string {
  const flags = ['goBackwards', 'bias', 'initial', 'returnSequences', 'gatesInLoss', 'hideGates'].filter(
    (f) => c[f as keyof Case],
  );
  return `B=${c.B} T=${c.T} F=${c.F} U=${c.U} ${c.activation}/${c.recurrentActivation} ${flags.join(' ')}`;
}

function toF64(d: Data, c: Case): RefArrays {
  return {
    x: Float64Array.from(d.x),
    kernel: Float64Array.from(d.kernel),
    recurrentKernel: Float64Array.from(d.rk),
    bias: c.bias ? Float64Array.from(d.bias) : null,
    h0: c.initial ? Float64Array.from(d.h0) : new Float64Array(c.B * c.U),
    c0: c.initial ? Float64Array.from(d.c0) : new Float64Array(c.B * c.U),
  };
}

// 'lanes' runs the best build this runtime validates; every other one (the scalar build has its
// own code paths) gets a backend of its own.
const otherBuilds = BUILD_ORDER.filter((b) => supportsBuild(b, true)).slice(1);

describe('lstm op', () => {
  beforeAll(async () => {
    await lanes();
    for (const build of otherBuilds) {
      tf.registerBackend(`lanes-${build}`, () => LanesBackend.create({ build }));
      registerLanesKernels(`lanes-${build}`);
    }
  });

  it('uses the fused kernel on lanes and the composite elsewhere', async () => {
    await tf.setBackend('lanes');
    const x = tf.ones([2, 3, 2]),
      k = tf.ones([2, 8]),
      rk = tf.ones([2, 8]);
    const before = tf.memory().numTensors;
    const r = lstm(x, k, rk, null);
    expect(r.output.shape).toEqual([2, 2]);
    r.output.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, k, rk]);
    expect(tf.getKernel('LanesLSTM', 'lanes')).toBeDefined();
    expect(tf.getKernel('LanesLSTM', 'cpu')).toBeUndefined();
  });

  for (const c of cases) {
    it(`composite on cpu matches the float64 reference: ${label(c)}`, async () => {
      const d = makeData(c, c.B * 7 + c.U);
      const cpu = await runOn('cpu', c, d);
      const ref = refLSTM(toF64(d, c), c.B, c.T, c.F, c.U, {
        activation: c.activation,
        recurrentActivation: c.recurrentActivation,
        goBackwards: c.goBackwards ?? false,
      });
      const lastH = ref.h;
      expect(maxRelError(cpu.outs[0], c.returnSequences ? ref.hs : lastH)).toBeLessThan(1e-5);
      expect(maxRelError(cpu.outs[1], ref.h)).toBeLessThan(1e-5);
      expect(maxRelError(cpu.outs[2], ref.c)).toBeLessThan(1e-5);
      if (!c.hideGates) {
        expect(maxRelError(cpu.outs[3], ref.gates)).toBeLessThan(1e-5);
        expect(maxRelError(cpu.outs[4], ref.cells)).toBeLessThan(1e-5);
      }
    });

    for (const backend of ['lanes', ...otherBuilds.map((b) => `lanes-${b}`)]) {
      it(`fused kernel on ${backend} matches the composite on cpu (outputs and all gradients): ${label(c)}`, async () => {
        const d = makeData(c, c.B * 7 + c.U);
        const cpu = await runOn('cpu', c, d);
        const fused = await runOn(backend, c, d);
        expectClose(fused, cpu, 1e-4, backend);
      });
    }
  }

  it('gradients match central differences of the float64 reference', async () => {
    for (const c of [cases[2], cases[4], cases[9]]) {
      const d = makeData(c, 5);
      const w = lossWeights(c);
      const f64 = toF64(d, c);
      const opts = {
        activation: c.activation,
        recurrentActivation: c.recurrentActivation,
        goBackwards: c.goBackwards ?? false,
      };
      const loss = (a: RefArrays) => {
        const r = refLSTM(a, c.B, c.T, c.F, c.U, opts);
        let l = dot(w[0], c.returnSequences ? r.hs : r.h) + dot(w[1], r.h) + dot(w[2], r.c);
        if (c.gatesInLoss) l += dot(w[3], r.gates) + dot(w[4], r.cells);
        return l;
      };
      const keys: Array<keyof RefArrays> = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'];
      for (const backend of ['lanes', 'cpu']) {
        const got = await runOn(backend, c, d);
        keys.forEach((key, i) => {
          if (f64[key] === null || (!c.initial && (key === 'h0' || key === 'c0'))) return;
          const want = numericGrad(f64, key, loss);
          expect(maxRelError(got.grads[i], want), `${backend} d${key} ${label(c)}`).toBeLessThan(2e-3);
        });
      }
    }
  });

  it('gives bit-identical outputs and gradients on 1 and 2 threads (the step kernels split units)', async () => {
    // Large enough that every step kernel splits: 8 octets of 32 rows x 64 inputs each.
    const c: Case = {
      B: 32,
      T: 4,
      F: 8,
      U: 61,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      bias: true,
      initial: true,
      returnSequences: true,
      gatesInLoss: true,
    };
    const d = makeData(c, 17);
    await setThreadsCount(1);
    const one = await runOn('lanes', c, d);
    await setThreadsCount(2);
    const two = await runOn('lanes', c, d);
    one.outs.forEach((o, i) => expect(Array.from(two.outs[i])).toEqual(Array.from(o)));
    one.grads.forEach((g, i) => expect(Array.from(two.grads[i])).toEqual(Array.from(g)));
  });

  // Long sequences at the benchmark widths; sigmoid gates, whose derivative has no kinks for
  // rounding to cross. Batch 4 runs the step's 4-row tile; batch 1 its matrix-vector row (the
  // text classifier's shape); batch 7 a tile and three rows, with 100 units ending in a half octet.
  for (const [B, T, F, U] of [
    [4, 50, 32, 128],
    [1, 100, 64, 128],
    [7, 20, 16, 100],
  ]) {
    it(`agrees with the composite over a long sequence (B=${B}, T=${T}, ${U} units)`, async () => {
      const c: Case = {
        B,
        T,
        F,
        U,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        bias: true,
        initial: true,
        returnSequences: true,
        gatesInLoss: true,
      };
      const d = makeData(c, 23);
      expectClose(await runOn('lanes', c, d), await runOn('cpu', c, d), 1e-4, `B=${B} T=${T}`);
    });
  }

  it('keeps tensors and wasm bytes steady over repeated training steps', async () => {
    await tf.setBackend('lanes');
    const x = tf.randomNormal([6, 5, 3]);
    const vars = [
      tf.variable(tf.randomNormal([3, 28], 0, 0.3)),
      tf.variable(tf.randomNormal([7, 28], 0, 0.3)),
      tf.variable(tf.zeros([28])),
    ];
    const opt = tf.train.sgd(0.1);
    const step = () =>
      opt.minimize(() => tf.mean(tf.square(lstm(x, vars[0], vars[1], vars[2], { returnSequences: true }).output)));
    for (let i = 0; i < 3; i++) step();
    const tensors = tf.memory().numTensors,
      bytes = (tf.memory() as { numBytesInWasm?: number }).numBytesInWasm;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect((tf.memory() as { numBytesInWasm?: number }).numBytesInWasm).toBe(bytes);
    tf.dispose([x, ...vars]);
  });

  it('zero-sized batch, time and units give empty or initial-state results on every backend', async () => {
    for (const backend of ['lanes', 'cpu']) {
      await tf.setBackend(backend);
      for (const [B, T, U] of [
        [0, 3, 4],
        [2, 0, 4],
        [2, 3, 0],
      ]) {
        const x = tf.ones([B, T, 2]),
          k = tf.ones([2, 4 * U]),
          rk = tf.ones([U, 4 * U]);
        const h0 = tf.fill([B, U], 0.5),
          c0 = tf.fill([B, U], 0.25);
        const r = lstm(x, k, rk, null, { returnSequences: true, returnState: true, initialState: [h0, c0] });
        expect(r.output.shape).toEqual([B, T, U]);
        expect(Array.from(r.state![0].dataSync())).toEqual(new Array(B * U).fill(0.5));
        expect(Array.from(r.state![1].dataSync())).toEqual(new Array(B * U).fill(0.25));
        tf.dispose([x, k, rk, h0, c0, r.output, ...r.state!]);
      }
    }
  });

  it('rejects wrong shapes and unknown activations', async () => {
    await tf.setBackend('lanes');
    const x = tf.ones([2, 3, 2]);
    expect(() => lstm(x, tf.ones([2, 7]), tf.ones([2, 8]), null)).toThrow(/kernel/);
    expect(() => lstm(x, tf.ones([2, 8]), tf.ones([2, 8]), tf.ones([7]))).toThrow(/bias/);
    expect(() => lstm(tf.ones([2, 3]), tf.ones([2, 8]), tf.ones([2, 8]), null)).toThrow(/x/);
    expect(() => lstm(x, tf.ones([2, 8]), tf.ones([2, 8]), null, { activation: 'elu' as Act })).toThrow(/elu/);
  });
});

describe('lstm op against tf.layers.lstm on cpu', () => {
  for (const c of [cases[1], cases[2], cases[7], cases[9]]) {
    it(`same outputs and gradients: ${label(c)}`, async () => {
      const d = makeData(c, 3);
      const ours = await runOn('cpu', { ...c, gatesInLoss: false }, d);
      const { B, T, F, U } = c;
      const x = tf.tensor3d(d.x, [B, T, F]);
      const layer = tfl.layers.lstm({
        units: U,
        returnSequences: c.returnSequences ?? false,
        returnState: true,
        goBackwards: c.goBackwards ?? false,
        activation: c.activation,
        recurrentActivation: c.recurrentActivation,
        useBias: c.bias ?? false,
      });
      const h0 = tf.tensor2d(c.initial ? d.h0 : new Float32Array(B * U), [B, U]);
      const c0 = tf.tensor2d(c.initial ? d.c0 : new Float32Array(B * U), [B, U]);
      layer.apply(x, { initialState: [h0, c0] });
      const weights: tf.Tensor[] = [tf.tensor2d(d.kernel, [F, 4 * U]), tf.tensor2d(d.rk, [U, 4 * U])];
      if (c.bias) weights.push(tf.tensor1d(d.bias));
      layer.setWeights(weights);
      const w = lossWeights(c);
      const xv = tf.variable(x),
        hv = tf.variable(h0),
        cv = tf.variable(c0);
      const outs: Float32Array[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const [o, h, cc] = layer.apply(xv, { initialState: [hv, cv] }) as tf.Tensor[];
        outs.push(...[o, h, cc].map((t) => t.dataSync() as Float32Array));
        return tf.addN([
          tf.sum(tf.mul(o, tf.tensor(w[0], o.shape))),
          tf.sum(tf.mul(h, tf.tensor(w[1], [B, U]))),
          tf.sum(tf.mul(cc, tf.tensor(w[2], [B, U]))),
        ]) as tf.Scalar;
      }, [xv, hv, cv, ...layer.trainableWeights.map((v) => (v as unknown as { read(): tf.Variable }).read())]);
      value.dispose();
      for (let i = 0; i < 3; i++) expect(maxRelError(ours.outs[i], outs[i]), names[i]).toBeLessThan(1e-5);
      const byName = (n: string) => grads[Object.keys(grads).find((key) => key.includes(n))!];
      expect(maxRelError(ours.grads[0], grads[xv.name].dataSync()), 'dx').toBeLessThan(1e-4);
      expect(maxRelError(ours.grads[1], byName('/kernel').dataSync()), 'dkernel').toBeLessThan(1e-4);
      expect(maxRelError(ours.grads[2], byName('recurrent_kernel').dataSync()), 'drecurrent').toBeLessThan(1e-4);
      if (c.bias) expect(maxRelError(ours.grads[3], byName('bias').dataSync()), 'dbias').toBeLessThan(1e-4);
      if (c.initial) {
        expect(maxRelError(ours.grads[4], grads[hv.name].dataSync()), 'dh0').toBeLessThan(1e-4);
        expect(maxRelError(ours.grads[5], grads[cv.name].dataSync()), 'dc0').toBeLessThan(1e-4);
      }
      tf.dispose([x, h0, c0, xv, hv, cv, ...weights, ...Object.values(grads)]);
      layer.dispose();
    });
  }
});
