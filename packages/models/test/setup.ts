// Every test file runs on the backend named by LANES_TEST_BACKEND (default 'lanes').
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index.js';

const backend = process.env.LANES_TEST_BACKEND ?? 'lanes';
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
