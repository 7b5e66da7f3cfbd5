// Trains a 2-layer dense network on 'lanes' and prints the loss falling, epoch by epoch.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { getBuildInfo } from '@lanes/core';

await tf.setBackend('lanes');
const info = getBuildInfo();
console.log(`backend: ${tf.getBackend()} (build ${info.build}, ${info.threads} thread${info.threads > 1 ? 's' : ''})`);

// A smooth nonlinear target: y = sin(x0) + x1·x2, 2048 samples, fixed seed.
const x = tf.randomUniform([2048, 3], -2, 2, 'float32', 42);
const [x0, x1, x2] = tf.split(x, 3, 1);
const y = tf.add(tf.sin(x0), tf.mul(x1, x2));

const model = tfl.sequential({
  layers: [
    tfl.layers.dense({
      units: 64,
      activation: 'relu',
      inputShape: [3],
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    }),
    tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
const t0 = performance.now();
await model.fit(x, y, {
  epochs: 30,
  batchSize: 64,
  shuffle: false,
  verbose: 0,
  callbacks: {
    onEpochEnd: (epoch, logs) => console.log(`epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}`),
  },
});
console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
