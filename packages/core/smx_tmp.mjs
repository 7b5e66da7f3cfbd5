import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
const res = {}, xs = {};
const bs = ['l1', 'wasm'];
for (const b of bs) { await tf.setBackend(b); xs[b] = tf.randomUniform([256, 1000], -1, 1); res[b] = { op: [], read: [] }; }
for (let r = 0; r < 40; r++) for (const b of bs) {
  await tf.setBackend(b);
  globalThis.gc();
  let t = performance.now(); const y = tf.softmax(xs[b]); const t1 = performance.now(); await y.data(); const t2 = performance.now(); y.dispose();
  if (r >= 5) { res[b].op.push(t1 - t); res[b].read.push(t2 - t1); }
}
for (const b of bs) console.log(b, 'op', med(res[b].op), 'read', med(res[b].read));
