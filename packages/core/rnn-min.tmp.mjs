import * as tf from '@tensorflow/tfjs';
import { lstm, gru, setThreadsCount, getBuildInfo } from '@lanes/core';
const B = 32, T = 50, F = 32, U = 128;
await tf.setBackend('lanes'); await setThreadsCount(Number(process.argv[2] ?? 2)); console.log(getBuildInfo());
function minTime(f, n = 15) { f(); let m = Infinity; for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); m = Math.min(m, performance.now() - t0); } return m; }
for (const kind of ['lstm', 'gru']) {
  const G = kind === 'lstm' ? 4 : 3;
  const x = tf.randomNormal([B, T, F]);
  const vs = [tf.variable(tf.randomNormal([F, G * U], 0, 0.1)), tf.variable(tf.randomNormal([U, G * U], 0, 0.1)), tf.variable(tf.zeros([G * U])), tf.variable(tf.randomNormal([U, 10], 0, 0.1)), tf.variable(tf.zeros([10]))];
  const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
  const opt = tf.train.adam();
  const f = kind === 'lstm' ? lstm : gru;
  const pred = minTime(() => { const r = f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }); r.output.dataSync(); r.output.dispose(); });
  const step = minTime(() => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output, vs[3]), vs[4])), true); l.dataSync(); l.dispose(); }, 8);
  const gOnly = minTime(() => { const g = tf.grads((k) => tf.sum(f(x, k, vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output))([vs[0]]); g[0].dataSync(); g[0].dispose(); }, 8);
  const a = tf.randomNormal([1600, 128]), bm = tf.randomNormal([1600, 512]);
  const mm = minTime(() => { const c = tf.matMul(a, bm, true, false); c.dataSync(); c.dispose(); });
  const a2 = tf.randomNormal([1600, 32]), b2 = tf.randomNormal([32, 512]);
  const mm2 = minTime(() => { const c = tf.matMul(a2, b2); c.dataSync(); c.dispose(); });
  console.log(`${kind}: predict ${pred.toFixed(2)} ms, train step ${step.toFixed(2)} ms, grad(kernel) ${gOnly.toFixed(2)} ms | matmul 128x1600x512 (tA) ${mm.toFixed(2)} ms, proj 1600x32x512 ${mm2.toFixed(2)} ms`);
}
