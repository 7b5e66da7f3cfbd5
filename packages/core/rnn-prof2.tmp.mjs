import * as tf from '@tensorflow/tfjs';
import { lstm, gru, setThreadsCount } from '@lanes/core';
const B = 32, T = 50, F = 32, U = 128;
const kind = process.argv[2] ?? 'lstm';
await tf.setBackend('lanes'); await setThreadsCount(Number(process.argv[3] ?? 1));
const G = kind === 'lstm' ? 4 : 3;
const x = tf.randomNormal([B, T, F]);
const vs = [tf.variable(tf.randomNormal([F, G * U], 0, 0.1)), tf.variable(tf.randomNormal([U, G * U], 0, 0.1)), tf.variable(tf.zeros([G * U])), tf.variable(tf.randomNormal([U, 10], 0, 0.1)), tf.variable(tf.zeros([10]))];
const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
const opt = tf.train.adam();
const f = kind === 'lstm' ? lstm : gru;
const step = () => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output, vs[3]), vs[4])), true); l.dataSync(); l.dispose(); };
step();
const best = {};
for (let r = 0; r < 10; r++) {
  const info = await tf.profile(step);
  const agg = {};
  for (const k of info.kernels) { agg[k.name] = (agg[k.name] ?? 0) + k.kernelTimeMs; }
  for (const [k, v] of Object.entries(agg)) best[k] = Math.min(best[k] ?? Infinity, v);
}
console.log(Object.entries(best).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k}: ${v.toFixed(2)} ms`).join(', '));
