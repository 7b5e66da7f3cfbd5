// The benchmark cases of issues 4 and 20. Each case draws its numbers once (`data`, seeded, so
// every contender sees the same inputs and weights), makes its inputs on the current tfjs backend
// (`setup`), then `run(inputs)` does the work and returns a tensor (or a promise of numbers) whose
// values the timer reads back, so every timing includes finishing the work and a readback. A case
// with `onnx` also runs on onnxruntime-web: the same graph and weights as an ONNX model, whose
// output must agree with 'lanes' before anything is timed.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { transpose, uniform } from './data.mjs';
import { model, node, tensor } from './onnx.mjs';
import { networkCases } from './nets.mjs';
import { recurrentCases } from './recurrent.mjs';

const conv = (n, h, w, c, k, oc) => 2 * n * h * w * k * k * c * oc;
const NCHW = [0, 3, 1, 2];
const NHWC = [0, 2, 3, 1];
const nchw = ([n, h, w, c]) => [n, c, h, w];

/** MNIST CNN of the issue: conv 32 3×3, conv 64 3×3, max-pool 2×2, dense 128, dense 10. */
function mnistCnn() {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

// Forward flops of the CNN at batch 64; a training step is forward + both gradients of every
// layer except the first convolution's input gradient.
const cnnForward = [conv(64, 26, 26, 1, 3, 32), conv(64, 24, 24, 32, 3, 64), 2 * 64 * 9216 * 128, 2 * 64 * 128 * 10];
const cnnStepFlops = 3 * cnnForward.reduce((a, b) => a + b) - cnnForward[0];

/**
 * @typedef {object} OnnxSpec
 * @property {Uint8Array} model ONNX model bytes (onnx.mjs)
 * @property {Record<string, { data: Float32Array | Int32Array, dims: number[] }>} feeds
 * @property {string} output the output to read back
 * @property {{ dims: number[], perm: number[] }} [layout] turns the ONNX output (of `dims`) into
 *   the tfjs output's layout for the comparison (NCHW → NHWC)
 */

/**
 * @typedef {object} BenchCase
 * @property {string} id short name for `--cases`
 * @property {string} name
 * @property {number} [flops] floating-point operations per run (GFLOP/s and % of peak use it)
 * @property {number} [bytes] least bytes a run must read and write, for memory-bound cases (GB/s)
 * @property {'op' | 'recurrent' | 'network' | 'training'} kind which targets apply
 * @property {string[]} [skip] contender ids that do not run this case (too slow to be worth it)
 * @property {() => any} [data] seeded inputs and weights, drawn once per process
 * @property {(data: any) => unknown} setup
 * @property {(inputs: any) => tf.Tensor | Promise<unknown>} run
 * @property {(inputs: any) => void} [teardown]
 * @property {(data: any) => OnnxSpec} [onnx] the same graph for onnxruntime-web
 * @property {number} [tolerance] largest error relative to the output's magnitude (default 1e-4)
 */

/** A one-node ONNX model: `feeds` are graph inputs, `weights` initializers. */
function oneNode(op, { feeds = {}, weights = {}, out, attrs = {}, extra = [] }) {
  const inputs = Object.entries(feeds).map(([name, { dims }]) => ({ name, dims }));
  const nodes = [node(op, [...Object.keys(feeds), ...Object.keys(weights)], extra.length ? ['t'] : ['y'], attrs)];
  for (const [i, [op2, attrs2]] of extra.entries())
    nodes.push(node(op2, [i === 0 ? 't' : `t${i}`], [i === extra.length - 1 ? 'y' : `t${i + 1}`], attrs2));
  const initializers = Object.entries(weights).map(([name, { dims, data }]) => tensor(name, dims, data));
  return { model: model({ inputs, outputs: [{ name: 'y', dims: out }], nodes, initializers }), feeds, output: 'y' };
}

/**
 * A dense layer at batch 1, [1, k]·[k, n] + bias: the matrix-vector product that ends MobileNetV2
 * (1280→1000) and the MNIST CNN (1024→128); it must read the k·n weights once.
 */
function denseCase(k, n) {
  return {
    id: `dense-${k}-${n}`,
    name: `dense [1,${k}]→${n} (batch-1 matmul + bias)`,
    kind: 'op',
    flops: 2 * k * n,
    bytes: 4 * (k * n + k + 2 * n),
    data: () => ({ a: uniform([1, k], -1, 1, 15), b: uniform([k, n], -1, 1, 16), bias: uniform([n], -1, 1, 17) }),
    setup: (d) => [tf.tensor(d.a, [1, k]), tf.tensor(d.b, [k, n]), tf.tensor(d.bias, [n])],
    run: ([a, b, bias]) => tf.fused.matMul({ a, b, bias }),
    onnx: (d) =>
      oneNode('Gemm', {
        feeds: { a: { data: d.a, dims: [1, k] } },
        weights: { b: { data: d.b, dims: [k, n] }, c: { data: d.bias, dims: [n] } },
        out: [1, n],
      }),
  };
}

function matmulCase(n) {
  return {
    id: `matmul-${n}`,
    name: `matmul ${n}³`,
    kind: 'op',
    flops: 2 * n ** 3,
    data: () => ({ a: uniform([n, n], -1, 1, 1), b: uniform([n, n], -1, 1, 2) }),
    setup: (d) => [tf.tensor(d.a, [n, n]), tf.tensor(d.b, [n, n])],
    run: ([a, b]) => tf.matMul(a, b),
    // b is the weight: an initializer, as in a model.
    onnx: (d) =>
      oneNode('MatMul', {
        feeds: { a: { data: d.a, dims: [n, n] } },
        weights: { b: { data: d.b, dims: [n, n] } },
        out: [n, n],
      }),
  };
}

/** An NHWC convolution case ('same', stride 1) and its NCHW ONNX twin; `depthwise` uses group = channels. */
function convCase({ id, name, x: xs, k, oc, depthwise = false, bias = false, relu = false }) {
  const [n, h, w, c] = xs;
  const ws = depthwise ? [k, k, c, 1] : [k, k, c, oc];
  const outC = depthwise ? c : oc;
  const pad = (k - 1) >> 1;
  return {
    id,
    name,
    kind: 'op',
    flops: depthwise ? 2 * n * h * w * c * k * k : conv(n, h, w, c, k, oc),
    // Least traffic: read x once, write y once (weights are small).
    bytes: 4 * n * h * w * (c + outC),
    data: () => ({ x: uniform(xs, -1, 1, 3), w: uniform(ws, -1, 1, 4), b: uniform([outC], -1, 1, 5) }),
    setup: (d) => [tf.tensor(d.x, xs), tf.tensor(d.w, ws), ...(bias ? [tf.tensor(d.b, [outC])] : [])],
    run: ([x, f, b]) =>
      depthwise
        ? bias || relu
          ? tf.fused.depthwiseConv2d({
              x,
              filter: f,
              strides: 1,
              pad: 'same',
              bias: b,
              activation: relu ? 'relu' : 'linear',
            })
          : tf.depthwiseConv2d(x, f, 1, 'same')
        : bias || relu
          ? tf.fused.conv2d({ x, filter: f, strides: 1, pad: 'same', bias: b, activation: relu ? 'relu' : 'linear' })
          : tf.conv2d(x, f, 1, 'same'),
    onnx: (d) => ({
      ...oneNode('Conv', {
        feeds: { x: { data: transpose(d.x, xs, NCHW), dims: nchw(xs) } },
        weights: {
          // HWIO → OIHW; depthwise [k,k,c,1] → [c,1,k,k]
          w: { data: transpose(d.w, ws, [3, 2, 0, 1]), dims: depthwise ? [c, 1, k, k] : [oc, c, k, k] },
          ...(bias ? { b: { data: d.b, dims: [outC] } } : {}),
        },
        out: [n, outC, h, w],
        attrs: {
          kernel_shape: [k, k],
          pads: [pad, pad, pad, pad],
          strides: [1, 1],
          ...(depthwise ? { group: c } : {}),
        },
        extra: relu ? [['Relu', {}]] : [],
      }),
      layout: { dims: [n, outC, h, w], perm: NHWC },
    }),
  };
}

const bnShape = [64, 28, 28, 32];
const poolShape = [64, 28, 28, 32];
const ADD = 4 * 2 ** 20;

/** @type {BenchCase[]} */
const opCases = [
  matmulCase(512),
  matmulCase(1024),
  denseCase(1280, 1000),
  convCase({
    id: 'conv3x3',
    name: 'conv2d 3×3+bias+relu [64,28,28,32]→64',
    x: [64, 28, 28, 32],
    k: 3,
    oc: 64,
    bias: true,
    relu: true,
  }),
  convCase({ id: 'conv1x1', name: 'conv2d 1×1 [16,28,28,128]→128', x: [16, 28, 28, 128], k: 1, oc: 128 }),
  convCase({ id: 'depthwise', name: 'depthwise 3×3 [8,56,56,96]', x: [8, 56, 56, 96], k: 3, depthwise: true }),
  {
    id: 'batchnorm',
    name: 'batchNorm [64,28,28,32]',
    kind: 'op',
    bytes: 2 * 4 * 64 * 28 * 28 * 32,
    data: () => ({ x: uniform(bnShape, 0, 1, 6), p: [0, 1, 2, 3].map((i) => uniform([32], 0.5, 1.5, 7 + i)) }),
    setup: (d) => [tf.tensor(d.x, bnShape), ...d.p.map((v) => tf.tensor(v, [32]))],
    run: ([x, mean, variance, offset, scale]) => tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
    onnx: (d) => ({
      ...oneNode('BatchNormalization', {
        feeds: { x: { data: transpose(d.x, bnShape, NCHW), dims: nchw(bnShape) } },
        // ONNX order: scale, bias (offset), mean, variance
        weights: Object.fromEntries(
          ['scale', 'offset', 'mean', 'variance'].map((k, i) => [k, { data: d.p[[3, 2, 0, 1][i]], dims: [32] }]),
        ),
        out: nchw(bnShape),
        attrs: { epsilon: 1e-3 },
      }),
      layout: { dims: nchw(bnShape), perm: NHWC },
    }),
  },
  {
    id: 'maxpool',
    name: 'maxPool 2×2 [64,28,28,32]',
    kind: 'op',
    bytes: 4 * 64 * 28 * 28 * 32 * 1.25,
    data: () => ({ x: uniform(poolShape, 0, 1, 11) }),
    setup: (d) => [tf.tensor(d.x, poolShape)],
    run: ([x]) => tf.maxPool(x, 2, 2, 'valid'),
    onnx: (d) => ({
      ...oneNode('MaxPool', {
        feeds: { x: { data: transpose(d.x, poolShape, NCHW), dims: nchw(poolShape) } },
        out: [64, 32, 14, 14],
        attrs: { kernel_shape: [2, 2], strides: [2, 2] },
      }),
      layout: { dims: [64, 32, 14, 14], perm: NHWC },
    }),
  },
  {
    id: 'add-relu',
    name: 'add+relu 4M floats',
    kind: 'op',
    bytes: 3 * 4 * ADD,
    data: () => ({ a: uniform([ADD], -1, 1, 12), b: uniform([ADD], -1, 1, 13) }),
    setup: (d) => [tf.tensor(d.a), tf.tensor(d.b)],
    run: ([a, b]) => tf.tidy(() => tf.relu(tf.add(a, b))),
    onnx: (d) =>
      oneNode('Add', {
        feeds: { a: { data: d.a, dims: [ADD] }, b: { data: d.b, dims: [ADD] } },
        out: [ADD],
        extra: [['Relu', {}]],
      }),
  },
  {
    id: 'softmax',
    name: 'softmax [256,1000]',
    kind: 'op',
    bytes: 2 * 4 * 256 * 1000,
    data: () => ({ x: uniform([256, 1000], -4, 4, 14) }),
    setup: (d) => [tf.tensor(d.x, [256, 1000])],
    run: ([x]) => tf.softmax(x),
    onnx: (d) =>
      oneNode('Softmax', { feeds: { x: { data: d.x, dims: [256, 1000] } }, out: [256, 1000], attrs: { axis: -1 } }),
  },
];

/** @type {BenchCase[]} */
export const cases = [
  ...opCases,
  {
    id: 'cnn-train',
    name: 'MNIST CNN train step (batch 64)',
    kind: 'training',
    // tfjs-cpu: one step took 147 s on 2026-11-27.
    skip: ['tfjs-cpu'],
    flops: cnnStepFlops,
    setup: () => ({
      model: mnistCnn(),
      x: tf.randomUniform([64, 28, 28, 1]),
      y: tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10).asType('float32'),
    }),
    // trainOnBatch resolves with the loss: the step's readback.
    run: ({ model, x, y }) => model.trainOnBatch(x, y),
    teardown: ({ model, x, y }) => {
      model.dispose();
      tf.dispose([x, y]);
    },
  },
  ...recurrentCases,
  ...networkCases,
];
