import * as tf from '@tensorflow/tfjs';
import { lstm, gru, setThreadsCount } from '@lanes/core';
await tf.setBackend('lanes');
const B = 32, T = 50, F = 32, U = 128;
function wallMin(f, n = 40) { f(); let m = Infinity; for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); m = Math.min(m, performance.now() - t0); } return m.toFixed(2); }
const x = tf.randomNormal([B, T, F]);
for (const kind of ['lstm', 'gru']) {
  const G = kind === 'lstm' ? 4 : 3, f = kind === 'lstm' ? lstm : gru;
  const k = tf.randomNormal([F, G * U], 0, 0.1), rk = tf.randomNormal([U, G * U], 0, 0.1), b = tf.zeros([G * U]);
  const res = [];
  for (const t of [1, 2, 1, 2]) { await setThreadsCount(t); res.push(`${t}t ${wallMin(() => { const r = f(x, k, rk, b, { recurrentActivation: 'hardSigmoid' }); r.output.dataSync(); r.output.dispose(); })}`); }
  console.log(kind, 'predict wall min:', res.join(', '));
}
