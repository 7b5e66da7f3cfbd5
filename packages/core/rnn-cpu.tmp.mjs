import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { lstm, gru, setThreadsCount, getBuildInfo } from '@lanes/core';
const B = 32, T = 50, F = 32, U = 128;
const [threads, what = 'ours', kinds = 'lstm,gru'] = [Number(process.argv[2] ?? 1), process.argv[3], process.argv[4]];
// CPU time of the process (all threads), min over n runs: robust to a loaded machine.
function cpuMin(f, n = 10) { f(); let m = Infinity, w = Infinity; for (let i = 0; i < n; i++) { const c0 = process.cpuUsage(); const t0 = performance.now(); f(); const c = process.cpuUsage(c0); w = Math.min(w, performance.now() - t0); m = Math.min(m, (c.user + c.system) / 1000); } return [m, w]; }
async function cpuMinA(f, n = 5) { await f(); let m = Infinity, w = Infinity; for (let i = 0; i < n; i++) { const c0 = process.cpuUsage(); const t0 = performance.now(); await f(); const c = process.cpuUsage(c0); w = Math.min(w, performance.now() - t0); m = Math.min(m, (c.user + c.system) / 1000); } return [m, w]; }
const fmt = ([c, w]) => `cpu ${c.toFixed(1)} ms / wall ${w.toFixed(1)} ms`;
for (const kind of kinds.split(',')) {
  const G = kind === 'lstm' ? 4 : 3;
  if (what === 'ours') {
    await tf.setBackend('lanes'); await setThreadsCount(threads);
    const x = tf.randomNormal([B, T, F]);
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }); m.dispose();
    const { lstmLayer, gruLayer } = await import('../models/dist/index.js').catch(() => ({}));
    const vs = [tf.variable(tf.randomNormal([F, G * U], 0, 0.1)), tf.variable(tf.randomNormal([U, G * U], 0, 0.1)), tf.variable(tf.zeros([G * U])), tf.variable(tf.randomNormal([U, 10], 0, 0.1)), tf.variable(tf.zeros([10]))];
    const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
    const opt = tf.train.adam();
    const f = kind === 'lstm' ? lstm : gru;
    const pred = cpuMin(() => { const r = f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }); r.output.dataSync(); r.output.dispose(); });
    const step = cpuMin(() => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(f(x, vs[0], vs[1], vs[2], { recurrentActivation: 'hardSigmoid' }).output, vs[3]), vs[4])), true); l.dataSync(); l.dispose(); }, 6);
    console.log(`${kind} lanes op (${JSON.stringify(getBuildInfo())}): predict ${fmt(pred)}; train step ${fmt(step)}`);
  } else {
    await tf.setBackend(what);
    const mk = (head) => { const m = tf.sequential({ layers: [tf.layers[kind]({ units: U, inputShape: [T, F], recurrentInitializer: 'glorotUniform' }), ...(head ? [tf.layers.dense({ units: 10, activation: 'softmax' })] : [])] }); if (head) m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' }); return m; };
    const m = mk(false), mt = mk(true);
    const x = tf.randomNormal([B, T, F]); const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
    const pred = cpuMin(() => { const r = m.predict(x); r.dataSync(); r.dispose(); }, what === 'cpu' ? 2 : 8);
    const step = what === 'cpu' ? [NaN, NaN] : await cpuMinA(() => mt.trainOnBatch(x, y), 4);
    console.log(`${kind} tfjs-layers on ${what}: predict ${fmt(pred)}; train step ${fmt(step)}`);
  }
}
