import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { lstm, gru, getBuildInfo } from '@lanes/core';
const B = 32, T = 50, F = 32, U = 128;
const which = process.argv[2] ?? 'all';
function time(f, n = 5) { f(); const ts = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); } ts.sort((a, b) => a - b); return ts[Math.floor(n / 2)]; }
async function layersPredict(backend, kind) {
  await tf.setBackend(backend);
  const m = tf.sequential({ layers: [tf.layers[kind]({ units: U, inputShape: [T, F] })] });
  const x = tf.randomNormal([B, T, F]);
  const ms = time(() => { const y = m.predict(x); y.dataSync(); y.dispose(); }, backend === 'cpu' ? 2 : 5);
  x.dispose(); m.dispose();
  return ms;
}
async function layersTrain(backend, kind) {
  await tf.setBackend(backend);
  const m = tf.sequential({ layers: [tf.layers[kind]({ units: U, inputShape: [T, F] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([B, T, F]); const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
  const ms = time(() => { const h = m.trainOnBatch(x, y); }, 3);
  return ms;
}
async function opPredict(kind) {
  await tf.setBackend('lanes');
  const G = kind === 'lstm' ? 4 : 3;
  const x = tf.randomNormal([B, T, F]), k = tf.randomNormal([F, G * U], 0, 0.1), rk = tf.randomNormal([U, G * U], 0, 0.1), b = tf.zeros([G * U]);
  const f = kind === 'lstm' ? lstm : gru;
  return time(() => { const r = f(x, k, rk, b, { recurrentActivation: 'hardSigmoid' }); r.output.dataSync(); r.output.dispose(); }, 10);
}
async function opTrain(kind) {
  await tf.setBackend('lanes');
  const G = kind === 'lstm' ? 4 : 3;
  const x = tf.randomNormal([B, T, F]);
  const vs = [tf.variable(tf.randomNormal([F, G * U], 0, 0.1)), tf.variable(tf.randomNormal([U, G * U], 0, 0.1)), tf.variable(tf.zeros([G * U])), tf.variable(tf.randomNormal([U, 10], 0, 0.1)), tf.variable(tf.zeros([10]))];
  const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
  const opt = tf.train.adam();
  const f = kind === 'lstm' ? lstm : gru;
  return time(() => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output, vs[3]), vs[4])), true); l.dataSync(); l.dispose(); }, 5);
}
await tf.setBackend('lanes'); console.log(getBuildInfo());
for (const kind of ['lstm', 'gru']) {
  if (which !== 'all' && which !== kind) continue;
  const ours = await opPredict(kind), oursT = await opTrain(kind);
  console.log(`${kind} lanes op: predict ${ours.toFixed(2)} ms, train step ${oursT.toFixed(2)} ms`);
  if (process.argv[3] === 'ref') {
    const w = await layersPredict('wasm', kind), wt = await layersTrain('wasm', kind);
    console.log(`${kind} tfjs-layers wasm: predict ${w.toFixed(2)} ms (${(w / ours).toFixed(1)}x), train ${wt.toFixed(1)} ms (${(wt / oursT).toFixed(1)}x)`);
    const c = await layersPredict('cpu', kind);
    console.log(`${kind} tfjs-layers cpu: predict ${c.toFixed(1)} ms (${(c / ours).toFixed(1)}x)`);
  }
}
