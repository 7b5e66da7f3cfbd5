import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
await tf.setBackend('l1');
const x = tf.randomUniform([64, 28, 28, 32], -1, 1);
const junk = new Float32Array(16 << 20);
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
for (const [name, f] of [['maxPool', () => tf.maxPool(x, 2, 2, 'valid')], ['sum', () => tf.sum(x)], ['max', () => tf.max(x)], ['relu', () => tf.relu(x)], ['neg', () => tf.neg(x)]]) {
  const hot = [], cold = [];
  for (let r = 0; r < 25; r++) { const y = f(); y.dispose(); let t = performance.now(); const z = f(); hot.push(performance.now() - t); z.dispose(); junk.fill(r); t = performance.now(); const w = f(); cold.push(performance.now() - t); w.dispose(); }
  console.log(name.padEnd(8), 'hot', med(hot), 'cold', med(cold));
}
