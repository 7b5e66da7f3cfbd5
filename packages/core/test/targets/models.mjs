// @lanes/models from the installed tarballs: the shipped mnist-cnn and the MNIST test set travel
// inside the packages; prints {accuracy, n} of the first 200 test digits on 'lanes'.
import * as tf from '@tensorflow/tfjs-core';
import * as models from '@lanes/models';
import { loadMnist, loadPretrained } from '@lanes/models/node';

await tf.setBackend('lanes');
const model = await loadPretrained('mnist-cnn');
const mnist = await loadMnist();
const n = 200;
const idx = Array.from({ length: n }, (_, i) => i);
const x = models.imagesToTensor(mnist.test, idx);
const predicted = await model.predict(x).argMax(-1).data();
let right = 0;
for (let i = 0; i < n; i++) if (predicted[i] === mnist.test.labels[i]) right++;
console.log(JSON.stringify({ backend: tf.getBackend(), n, accuracy: right / n }));
