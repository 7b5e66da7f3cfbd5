import * as tf from '@tensorflow/tfjs';
import { lstm, gru } from '@lanes/core';
const B = 32, T = 50, F = 32, U = 128;
const kind = process.argv[2] ?? 'lstm';
await tf.setBackend('lanes');
const G = kind === 'lstm' ? 4 : 3;
const x = tf.randomNormal([B, T, F]);
const vs = [tf.variable(tf.randomNormal([F, G * U], 0, 0.1)), tf.variable(tf.randomNormal([U, G * U], 0, 0.1)), tf.variable(tf.zeros([G * U])), tf.variable(tf.randomNormal([U, 10], 0, 0.1)), tf.variable(tf.zeros([10]))];
const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
const opt = tf.train.adam();
const f = kind === 'lstm' ? lstm : gru;
const step = () => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output, vs[3]), vs[4])), true); l.dataSync(); l.dispose(); };
step(); step();
const info = await tf.profile(step);
const agg = {};
for (const k of info.kernels) { agg[k.name] = agg[k.name] ?? { n: 0, ms: 0 }; agg[k.name].n++; agg[k.name].ms += k.kernelTimeMs; }
console.log(Object.entries(agg).sort((a, b) => b[1].ms - a[1].ms).slice(0, 15).map(([k, v]) => `${k}: ${v.n} calls ${v.ms.toFixed(1)} ms`).join('\n'));
const t0 = performance.now(); step(); console.log('step', performance.now() - t0);
