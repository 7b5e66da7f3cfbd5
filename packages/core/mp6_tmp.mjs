import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
await tf.setBackend('l1');
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
const x = tf.randomUniform([64, 28, 28, 32], -1, 1);
const junk = new Float32Array(16 << 20);
const junk2 = new Float32Array(16 << 20);
for (const mode of ['plain', 'gc', 'fill', 'read', 'sum-then']) {
  const op = [];
  for (let r = 0; r < 30; r++) {
    if (mode === 'gc') globalThis.gc();
    if (mode === 'fill') junk.fill(r);
    if (mode === 'read') junk2.set(junk);
    if (mode === 'sum-then') { junk.fill(r); tf.sum(x).dispose(); }
    const t = performance.now(); const y = process.argv[2] === 'sum' ? tf.sum(x) : process.argv[2] === 'relu' ? tf.relu(x) : tf.maxPool(x, 2, 2, 'valid'); op.push(performance.now() - t); y.dispose();
  }
  console.log(mode.padEnd(9), med(op.slice(5)));
}
