import * as tf from '@tensorflow/tfjs';
import { lstm, setThreadsCount } from '@lanes/core';
await tf.setBackend('lanes'); await setThreadsCount(1);
const B = 32, T = 50, F = 32, U = 128, G = 4;
const x = tf.randomNormal([B, T, F]);
const vs = [tf.variable(tf.randomNormal([F, G * U], 0, 0.1)), tf.variable(tf.randomNormal([U, G * U], 0, 0.1)), tf.variable(tf.zeros([G * U])), tf.variable(tf.randomNormal([U, 10], 0, 0.1)), tf.variable(tf.zeros([10]))];
const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
const opt = tf.train.adam();
const loss = () => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(lstm(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output, vs[3]), vs[4]));
for (let i = 0; i < 40; i++) { const l = opt.minimize(loss, true); l.dataSync(); l.dispose(); }
