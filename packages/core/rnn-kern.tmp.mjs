import * as tf from '@tensorflow/tfjs';
import '@lanes/core';
import { setThreadsCount } from '@lanes/core';
const B = 32, T = 50, F = 32, U = 128;
await tf.setBackend('lanes'); await setThreadsCount(Number(process.argv[2] ?? 1));
const E = tf.engine();
function cpuMin(f, n = 12) { let r = f(); tf.dispose(r); let m = Infinity; for (let i = 0; i < n; i++) { const c0 = process.cpuUsage(); r = f(); const c = process.cpuUsage(c0); tf.dispose(r); m = Math.min(m, (c.user + c.system) / 1000); } return m.toFixed(2); }
const x = tf.randomNormal([B, T, F]);
for (const kind of ['lstm', 'gru', 'gruA']) {
  const G = kind === 'lstm' ? 4 : 3;
  const k = tf.randomNormal([F, G * U], 0, 0.1), rk = tf.randomNormal([U, G * U], 0, 0.1);
  const h0 = tf.zeros([B, U]), c0 = tf.zeros([B, U]);
  const resetAfter = kind === 'gruA';
  const b = resetAfter ? tf.zeros([2, G * U]) : tf.zeros([G * U]);
  const attrs = { activation: 'tanh', recurrentActivation: 'hardSigmoid', goBackwards: false, saveSequence: false, saveGates: false, resetAfter };
  const name = kind === 'lstm' ? 'LanesLSTM' : 'LanesGRU';
  const inputs = kind === 'lstm' ? { x, kernel: k, recurrentKernel: rk, bias: b, h0, c0 } : { x, kernel: k, recurrentKernel: rk, bias: b, h0 };
  const inf = cpuMin(() => E.runKernel(name, inputs, attrs));
  const tr = cpuMin(() => E.runKernel(name, inputs, { ...attrs, saveGates: true }));
  const outs = E.runKernel(name, inputs, { ...attrs, saveGates: true });
  let grad;
  if (kind === 'lstm') {
    const [hT, cT, hSeq, gates, cells] = outs;
    const gin = { recurrentKernel: rk, h0, c0, hSeq, gates, cells, dhT: tf.onesLike(hT), dcT: tf.zerosLike(cT), dhSeq: tf.zerosLike(hSeq), dGates: tf.zerosLike(gates), dCells: tf.zerosLike(cells) };
    grad = cpuMin(() => E.runKernel('LanesLSTMGrad', gin, attrs));
  } else {
    const [hT, hSeq, gates, mh] = outs;
    const gin = { recurrentKernel: rk, h0, hSeq, gates, dhT: tf.onesLike(hT), dhSeq: tf.zerosLike(hSeq), dGates: tf.zerosLike(gates) };
    if (resetAfter) gin.mh = mh;
    grad = cpuMin(() => E.runKernel('LanesGRUGrad', gin, attrs));
  }
  const proj = cpuMin(() => tf.matMul(tf.reshape(x, [B * T, F]), k));
  const dz = tf.randomNormal([B * T, G * U]), hp = tf.randomNormal([B * T, U]);
  const dU = cpuMin(() => tf.matMul(hp, dz, true, false));
  const dW = cpuMin(() => tf.matMul(tf.reshape(x, [B * T, F]), dz, true, false));
  const dx = cpuMin(() => tf.matMul(dz, k, false, true));
  console.log(`${kind}: fwd ${inf} | fwd+save ${tr} | bptt ${grad} | proj GEMM ${proj} | dU ${dU} dW ${dW} dx ${dx} (cpu ms)`);
}
