import * as tf from '@tensorflow/tfjs';
import { lstm, setThreadsCount } from '@lanes/core';
await tf.setBackend('lanes'); await setThreadsCount(1);
const B = 32, T = 50, F = 32, U = 128, G = 4;
const x = tf.randomNormal([B, T, F]);
const k = tf.randomNormal([F, G * U], 0, 0.1), rk = tf.randomNormal([U, G * U], 0, 0.1), b = tf.zeros([G * U]);
for (let i = 0; i < 300; i++) { const r = lstm(x, k, rk, b, { recurrentActivation: 'hardSigmoid' }); r.output.dataSync(); r.output.dispose(); }
