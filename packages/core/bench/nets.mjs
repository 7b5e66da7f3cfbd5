// Whole networks for the bench (issue 20), each described once as a list of layers with seeded
// weights, then run as tfjs ops (the fused ops a converted graph model uses: FusedConv2D,
// FusedDepthwiseConv2D, _FusedMatMul) and exported as the same ONNX graph for onnxruntime-web
// (NCHW, as ONNX models are). Batch normalisation is taken as folded into the convolutions'
// weights and biases, as converters do for inference.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { he, integers, transpose, uniform } from './data.mjs';
import { model, node, tensor } from './onnx.mjs';
import { onnxRecurrentNode, onnxRecurrentWeights } from './onnx_recurrent.mjs';
import { recurrentLayer, recurrentWeights, setRecurrentWeights } from './recurrent.mjs';

/** TF 'same' / 'valid' padding of one dimension: [before, after, out]. */
function padding(size, k, stride, pad) {
  if (pad === 'valid') return [0, 0, Math.floor((size - k) / stride) + 1];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return [total >> 1, total - (total >> 1), out];
}

/**
 * Records a network: every method takes and returns value ids, with shapes NHWC (or [N, C] after
 * pooling / flattening), and draws its weights from a seed that advances per layer.
 */
class Net {
  constructor(name, inputShape) {
    this.name = name;
    this.layers = [];
    this.shapes = [inputShape];
    this.flops = 0;
    this.seed = 100;
  }
  push(layer, shape) {
    this.layers.push({ ...layer, out: this.shapes.length });
    this.shapes.push(shape);
    return this.shapes.length - 1;
  }
  /** Convolution (k×k, `out` filters) with bias; `depthwise` keeps the channels. */
  conv(x, { k, out, stride = 1, pad = 'same', act = 'linear', depthwise = false, gain = 1 }) {
    const [n, h, w, c] = this.shapes[x];
    const [pt, pb, oh] = padding(h, k, stride, pad);
    const [pl, pr, ow] = padding(w, k, stride, pad);
    const oc = depthwise ? c : out;
    const fanIn = depthwise ? k * k : k * k * c;
    const wShape = depthwise ? [k, k, c, 1] : [k, k, c, oc];
    const weights = he(wShape, fanIn, this.seed++).map((v) => v * gain);
    const bias = uniform([oc], -0.1, 0.1, this.seed++);
    this.flops += 2 * n * oh * ow * oc * fanIn;
    return this.push({ op: 'conv', x, k, stride, pad, pads: [pt, pl, pb, pr], act, depthwise, weights, wShape, bias }, [
      n,
      oh,
      ow,
      oc,
    ]);
  }
  depthwise(x, opts) {
    return this.conv(x, { ...opts, depthwise: true });
  }
  add(a, b, act = 'linear') {
    return this.push({ op: 'add', a, b, act }, this.shapes[a]);
  }
  concat(xs) {
    const s = this.shapes[xs[0]];
    return this.push({ op: 'concat', xs }, [...s.slice(0, 3), xs.reduce((t, x) => t + this.shapes[x][3], 0)]);
  }
  pool(x, { op, k, stride, pad = 'valid' }) {
    const [n, h, w, c] = this.shapes[x];
    const [pt, pb, oh] = padding(h, k, stride, pad);
    const [pl, pr, ow] = padding(w, k, stride, pad);
    return this.push({ op, x, k, stride, pad, pads: [pt, pl, pb, pr] }, [n, oh, ow, c]);
  }
  maxPool(x, o) {
    return this.pool(x, { ...o, op: 'maxPool' });
  }
  avgPool(x, o) {
    return this.pool(x, { ...o, op: 'avgPool' });
  }
  globalAvg(x) {
    const [n, , , c] = this.shapes[x];
    return this.push({ op: 'globalAvg', x }, [n, c]);
  }
  /** NHWC flattening, as tf.layers' flatten. */
  flatten(x) {
    const s = this.shapes[x];
    return this.push({ op: 'flatten', x, from: s }, [s[0], s[1] * s[2] * s[3]]);
  }
  dense(x, { out, act = 'linear' }) {
    const [n, f] = this.shapes[x];
    this.flops += 2 * n * f * out;
    const weights = he([f, out], f, this.seed++);
    const bias = uniform([out], -0.1, 0.1, this.seed++);
    return this.push({ op: 'dense', x, f, units: out, act, weights, bias }, [n, out]);
  }
}

/** Runs the recorded layers as tfjs ops on `x`, with the weight tensors of {@link tfWeights}. */
function runTf(net, x, w) {
  const v = [x];
  for (const l of net.layers) {
    const fusedAct = l.act === 'softmax' ? 'linear' : l.act;
    let y;
    switch (l.op) {
      case 'conv': {
        const args = {
          x: v[l.x],
          filter: w[l.out].filter,
          strides: l.stride,
          pad: l.pad,
          bias: w[l.out].bias,
          activation: fusedAct,
        };
        y = l.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
        break;
      }
      case 'add':
        y = l.act === 'relu' ? tf.relu(tf.add(v[l.a], v[l.b])) : tf.add(v[l.a], v[l.b]);
        break;
      case 'concat':
        y = tf.concat(
          l.xs.map((i) => v[i]),
          3,
        );
        break;
      case 'maxPool':
        y = tf.maxPool(v[l.x], l.k, l.stride, l.pad);
        break;
      case 'avgPool':
        y = tf.avgPool(v[l.x], l.k, l.stride, l.pad);
        break;
      case 'globalAvg':
        y = tf.mean(v[l.x], [1, 2]);
        break;
      case 'flatten':
        y = tf.reshape(v[l.x], [l.from[0], -1]);
        break;
      case 'dense':
        y = tf.fused.matMul({ a: v[l.x], b: w[l.out].filter, bias: w[l.out].bias, activation: fusedAct });
        if (l.act === 'softmax') y = tf.softmax(y);
        break;
      default:
        throw new Error(`nets: unknown layer ${l.op}`);
    }
    v[l.out] = y;
  }
  return v[v.length - 1];
}

function tfWeights(net) {
  const w = {};
  for (const l of net.layers)
    if (l.weights)
      w[l.out] = {
        filter: tf.tensor(l.weights, l.op === 'dense' ? [l.f, l.units] : l.wShape),
        bias: tf.tensor(l.bias),
      };
  return w;
}

/** The network as an ONNX model with NCHW input `x` and output `y`. */
function toOnnx(net) {
  const nodes = [],
    inits = [];
  const name = (i) => (i === 0 ? 'x' : i === net.shapes.length - 1 ? 'y' : `v${i}`);
  let relu6 = false;
  const act = (l, pre) => {
    // the layer's pre-activation value, then its activation node
    if ((l.act ?? 'linear') === 'linear') return;
    if (l.act === 'relu') nodes.push(node('Relu', [pre], [name(l.out)]));
    else if (l.act === 'relu6') {
      relu6 = true;
      nodes.push(node('Clip', [pre, 'zero', 'six'], [name(l.out)]));
    } else if (l.act === 'softmax') nodes.push(node('Softmax', [pre], [name(l.out)], { axis: -1 }));
    else throw new Error(`nets: no ONNX activation ${l.act}`);
  };
  const target = (l) => ((l.act ?? 'linear') === 'linear' ? name(l.out) : `${name(l.out)}_pre`);
  for (const l of net.layers) {
    const o = target(l);
    switch (l.op) {
      case 'conv': {
        const [k, , c, oc] = l.wShape;
        const w = transpose(l.weights, l.wShape, [3, 2, 0, 1]); // HWIO → OIHW ([c,1,k,k] for depthwise)
        inits.push(tensor(`w${l.out}`, l.depthwise ? [c, 1, k, k] : [oc, c, k, k], w));
        inits.push(tensor(`b${l.out}`, [l.bias.length], l.bias));
        nodes.push(
          node('Conv', [name(l.x), `w${l.out}`, `b${l.out}`], [o], {
            kernel_shape: [k, k],
            strides: [l.stride, l.stride],
            pads: l.pads,
            ...(l.depthwise ? { group: c } : {}),
          }),
        );
        break;
      }
      case 'add':
        nodes.push(node('Add', [name(l.a), name(l.b)], [o]));
        break;
      case 'concat':
        nodes.push(node('Concat', l.xs.map(name), [o], { axis: 1 }));
        break;
      case 'maxPool':
      case 'avgPool':
        nodes.push(
          node(l.op === 'maxPool' ? 'MaxPool' : 'AveragePool', [name(l.x)], [o], {
            kernel_shape: [l.k, l.k],
            strides: [l.stride, l.stride],
            pads: l.pads,
            // TF's average pool leaves the padding out of the count
            ...(l.op === 'avgPool' ? { count_include_pad: 0 } : {}),
          }),
        );
        break;
      case 'globalAvg':
        nodes.push(node('GlobalAveragePool', [name(l.x)], [`${o}_4d`]));
        nodes.push(node('Flatten', [`${o}_4d`], [o], { axis: 1 }));
        break;
      case 'flatten':
        // NCHW back to NHWC first, so the flattened order (and the next dense weights) match tfjs'.
        nodes.push(node('Transpose', [name(l.x)], [`${o}_nhwc`], { perm: [0, 2, 3, 1] }));
        nodes.push(node('Flatten', [`${o}_nhwc`], [o], { axis: 1 }));
        break;
      case 'dense':
        inits.push(tensor(`w${l.out}`, [l.f, l.units], l.weights));
        inits.push(tensor(`b${l.out}`, [l.units], l.bias));
        nodes.push(node('Gemm', [name(l.x), `w${l.out}`, `b${l.out}`], [o]));
        break;
      default:
        throw new Error(`nets: unknown layer ${l.op}`);
    }
    act(l, o);
  }
  if (relu6) inits.push(tensor('zero', [], new Float32Array([0])), tensor('six', [], new Float32Array([6])));
  const [n, h, w, c] = net.shapes[0];
  const out = net.shapes[net.shapes.length - 1];
  const outDims = out.length === 4 ? [out[0], out[3], out[1], out[2]] : out;
  return {
    bytes: model({
      name: net.name,
      inputs: [{ name: 'x', dims: [n, c, h, w] }],
      outputs: [{ name: 'y', dims: outDims }],
      nodes,
      initializers: inits,
    }),
    outDims,
  };
}

/** MobileNetV2 1.0 (Sandler et al. 2018): inverted residual blocks with relu6, 1000 classes. */
function mobileNetV2(batch = 1, size = 224) {
  const net = new Net('mobilenetv2', [batch, size, size, 3]);
  let x = net.conv(0, { k: 3, out: 32, stride: 2, act: 'relu6' });
  let c = 32;
  for (const [t, out, n, s] of [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ])
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      let y = t === 1 ? x : net.conv(x, { k: 1, out: c * t, act: 'relu6' });
      y = net.depthwise(y, { k: 3, stride, act: 'relu6' });
      y = net.conv(y, { k: 1, out });
      x = stride === 1 && c === out ? net.add(x, y) : y;
      c = out;
    }
  x = net.conv(x, { k: 1, out: 1280, act: 'relu6' });
  x = net.globalAvg(x);
  net.dense(x, { out: 1000, act: 'softmax' });
  return net;
}

/**
 * A ResNet-style 150 px net like face-recognition embedders: 7×7 stem, max pool, two basic
 * residual blocks (3×3, 3×3) per stage at 32, 64, 128, 256 channels, a 128-d embedding.
 */
function resNet150(batch = 1) {
  const net = new Net('resnet150', [batch, 150, 150, 3]);
  let x = net.conv(0, { k: 7, out: 32, stride: 2, act: 'relu' });
  x = net.maxPool(x, { k: 3, stride: 2, pad: 'same' });
  let c = 32;
  for (const out of [32, 64, 128, 256])
    for (let i = 0; i < 2; i++) {
      const stride = i === 0 && out !== c ? 2 : 1;
      const skip = stride === 1 ? x : net.conv(x, { k: 1, out, stride });
      let y = net.conv(x, { k: 3, out, stride, act: 'relu' });
      y = net.conv(y, { k: 3, out, gain: 0.5 });
      x = net.add(skip, y, 'relu');
      c = out;
    }
  x = net.globalAvg(x);
  net.dense(x, { out: 128 });
  return net;
}

/** InceptionV3's first mixed block (35×35×192 → 256): 1×1, 5×5, double 3×3 and pooled branches. */
function inceptionBlock(batch = 1) {
  const net = new Net('inception', [batch, 35, 35, 192]);
  const b1 = net.conv(0, { k: 1, out: 64, act: 'relu' });
  const b5 = net.conv(net.conv(0, { k: 1, out: 48, act: 'relu' }), { k: 5, out: 64, act: 'relu' });
  let b3 = net.conv(0, { k: 1, out: 64, act: 'relu' });
  b3 = net.conv(net.conv(b3, { k: 3, out: 96, act: 'relu' }), { k: 3, out: 96, act: 'relu' });
  const bp = net.conv(net.avgPool(0, { k: 3, stride: 1, pad: 'same' }), { k: 1, out: 32, act: 'relu' });
  net.concat([b1, b5, b3, bp]);
  return net;
}

/** The MNIST CNN of @lanes/models (buildCnn's defaults; dropout is the identity when predicting). */
function mnistCnn(batch) {
  const net = new Net(`mnist-cnn-${batch}`, [batch, 28, 28, 1]);
  let x = net.conv(0, { k: 5, out: 32, pad: 'valid', act: 'relu' });
  x = net.maxPool(x, { k: 2, stride: 2 });
  x = net.conv(x, { k: 5, out: 64, pad: 'valid', act: 'relu' });
  x = net.maxPool(x, { k: 2, stride: 2 });
  x = net.dense(net.flatten(x), { out: 128, act: 'relu' });
  net.dense(x, { out: 10, act: 'softmax' });
  return net;
}

/** A bench case running `build()`'s network forward on seeded input in [0, 1). */
function netCase(id, name, build, { skip, tolerance = 1e-3 } = {}) {
  // Built on first use: drawing every network's weights in every case's process would be waste.
  let built;
  const net = () => (built ??= build());
  const inShape = () => net().shapes[0];
  return {
    id,
    name,
    kind: 'network',
    get flops() {
      return net().flops;
    },
    skip,
    tolerance,
    data: () => ({ x: uniform(inShape(), 0, 1, 99) }),
    setup: (d) => ({ x: tf.tensor(d.x, inShape()), w: tfWeights(net()) }),
    run: ({ x, w }) => tf.tidy(() => runTf(net(), x, w)),
    teardown: ({ x, w }) => tf.dispose([x, ...Object.values(w).flatMap((t) => [t.filter, t.bias])]),
    onnx: (d) => {
      const [n, h, w, c] = inShape();
      const { bytes, outDims } = toOnnx(net());
      return {
        model: bytes,
        feeds: { x: { data: transpose(d.x, [n, h, w, c], [0, 3, 1, 2]), dims: [n, c, h, w] } },
        output: 'y',
        ...(outDims.length === 4 ? { layout: { dims: outDims, perm: [0, 2, 3, 1] } } : {}),
      };
    },
  };
}

const TEXT = { vocab: 10000, embed: 64, steps: 100, units: 128 };

/**
 * An LSTM text classifier at batch 1: embedding 10000×64, LSTM 128 over 100 tokens, sigmoid
 * output. tf.layers (the fused LSTM on 'lanes'); ONNX Gather, LSTM, Gemm.
 */
function textClassifierCase() {
  const { vocab, embed, steps, units } = TEXT;
  return {
    id: 'text-lstm',
    name: `LSTM text classifier (batch 1, ${steps} tokens, ${units} units)`,
    kind: 'network',
    flops: 2 * steps * (embed + units) * 4 * units,
    tolerance: 1e-4,
    data: () => ({
      ids: integers(steps, vocab, 31),
      emb: uniform([vocab, embed], -1, 1, 32),
      w: recurrentWeights(4, embed, units, 33),
      dense: uniform([units], -0.3, 0.3, 36),
    }),
    setup: (d) => {
      const emb = tfl.layers.embedding({ inputDim: vocab, outputDim: embed, inputLength: steps });
      const lstm = recurrentLayer('lstm', { units });
      const out = tfl.layers.dense({ units: 1, activation: 'sigmoid' });
      const m = tfl.sequential({
        layers: [tfl.layers.inputLayer({ inputShape: [steps], dtype: 'int32' }), emb, lstm, out],
      });
      emb.setWeights([tf.tensor(d.emb, [vocab, embed])]);
      setRecurrentWeights(lstm, d.w, embed, units);
      out.setWeights([tf.tensor(d.dense, [units, 1]), tf.tensor([0.05])]);
      return { model: m, ids: tf.tensor(d.ids, [1, steps], 'int32') };
    },
    run: ({ model: m, ids }) => m.predict(ids),
    teardown: ({ model: m, ids }) => {
      m.dispose();
      ids.dispose();
    },
    onnx: (d) => ({
      model: model({
        name: 'text-lstm',
        inputs: [{ name: 'ids', dims: [1, steps], type: 6 }],
        outputs: [{ name: 'y', dims: [1, 1] }],
        nodes: [
          node('Gather', ['emb', 'ids'], ['e']),
          node('Transpose', ['e'], ['et'], { perm: [1, 0, 2] }),
          onnxRecurrentNode('lstm', 'et', 'h', units),
          node('Reshape', ['h', 'hshape'], ['h2']),
          node('Gemm', ['h2', 'wd', 'bd'], ['logit']),
          node('Sigmoid', ['logit'], ['y']),
        ],
        initializers: [
          tensor('emb', [vocab, embed], d.emb),
          ...onnxRecurrentWeights('lstm', d.w, embed, units),
          tensor('hshape', [2], new BigInt64Array([1n, BigInt(units)])),
          tensor('wd', [units, 1], d.dense),
          tensor('bd', [1], new Float32Array([0.05])),
        ],
      }),
      feeds: { ids: { data: d.ids, dims: [1, steps] } },
      output: 'y',
    }),
  };
}

/** @type {import('./cases.mjs').BenchCase[]} */
export const networkCases = [
  netCase('mobilenetv2', 'MobileNetV2 1.0 224 px (batch 1)', () => mobileNetV2()),
  netCase('resnet150', 'ResNet-style 150 px, 32–256 channels (batch 1)', () => resNet150()),
  netCase('inception', 'Inception block 35×35×192→256 (batch 1)', () => inceptionBlock()),
  netCase('mnist-b1', 'MNIST CNN predict (batch 1)', () => mnistCnn(1)),
  netCase('mnist-b256', 'MNIST CNN predict (batch 256)', () => mnistCnn(256), { skip: ['tfjs-cpu'] }),
  textClassifierCase(),
];
