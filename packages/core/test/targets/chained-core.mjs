// An app on bare tfjs-core alone (no tfjs-layers, no @tensorflow/tfjs): after setBackend('lanes'),
// gradients and chained ops come from its own tfjs-core; prints what it saw as JSON.
import * as tf from '@tensorflow/tfjs-core';
import '@lanes/core';

const before = {
  gradient: tf.getGradient('Conv2D') !== undefined,
  chained: typeof tf.Tensor.prototype.sum === 'function',
};
await tf.setBackend('lanes');
const dx = tf.grad((x) => x.square().sum())(tf.tensor1d([1, 2, 3]));
console.log(JSON.stringify({ before, backend: tf.getBackend(), grad: Array.from(await dx.data()) }));
process.exit(0);
