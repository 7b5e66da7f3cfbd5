import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@lanes/core';
await tf.setBackend('cpu');
for (const be of ['lanes1', 'lanes2', 'wasm', 'lanes1', 'lanes2', 'wasm']) {
  await tf.setBackend(be.replace(/\d/, '')); await tf.ready();
  if (be.startsWith('lanes')) await tf.backend().setThreads(Number(be.slice(5)));
  const x4 = tf.ones([1, 8, 8, 16]), f4 = tf.ones([3, 3, 16, 16]);
  const x5 = tf.ones([1, 14, 14, 64]), f5 = tf.ones([3, 3, 64, 64]);
  const x6 = tf.ones([1, 7, 7, 160]), f6 = tf.ones([1, 1, 160, 960]);
  const ops = { conv8: () => tf.conv2d(x4, f4, 1, 'same'), conv14: () => tf.conv2d(x5, f5, 1, 'same'), pw7: () => tf.conv2d(x6, f6, 1, 'same') };
  const out = [];
  for (const [n, f] of Object.entries(ops)) {
    for (let i = 0; i < 200; i++) f().dispose();
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) f().dispose();
    out.push(`${n} ${((performance.now() - t0) / 2).toFixed(2)}us`);
  }
  console.log(be.padEnd(6), out.join('  '));
}
