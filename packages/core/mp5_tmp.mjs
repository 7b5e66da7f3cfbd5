import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
const res = {};
const xs = {};
for (const b of ['l1', 'wasm']) { await tf.setBackend(b); xs[b] = tf.randomUniform([64, 28, 28, 32], -1, 1); res[b] = { op: [], read: [], f: [] }; }
for (let r = 0; r < 30; r++) for (const b of ['l1', 'wasm']) {
  await tf.setBackend(b);
  if (process.argv[2] !== 'nogc') globalThis.gc();
  const f0 = process.resourceUsage().minorPageFault;
  let t = performance.now(); const y = tf.maxPool(xs[b], 2, 2, 'valid'); const t1 = performance.now(); await y.data(); const t2 = performance.now(); y.dispose();
  if (r >= 5) { res[b].op.push(t1 - t); res[b].read.push(t2 - t1); res[b].f.push(process.resourceUsage().minorPageFault - f0); }
}
for (const b of ['l1', 'wasm']) console.log(b, 'op', med(res[b].op), 'read', med(res[b].read), 'faults', med(res[b].f));
