import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
const B = process.argv[2] ?? 'l1';
await tf.setBackend(B);
const n = 4 << 20;
const a = tf.randomUniform([n], -1, 1), b = tf.randomUniform([n], -1, 1);
const T = { add: [], relu: [], read: [] };
for (let r = 0; r < 20; r++) {
  globalThis.gc();
  let t = performance.now(); const s = tf.add(a, b); const t1 = performance.now(); const y = tf.relu(s); const t2 = performance.now(); await y.data(); const t3 = performance.now();
  tf.dispose([s, y]);
  if (r >= 4) { T.add.push(t1 - t); T.relu.push(t2 - t1); T.read.push(t3 - t2); }
}
console.log(B, Object.fromEntries(Object.entries(T).map(([k, v]) => [k, med(v)])));
