// The same check inside a module Web Worker.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as lanes from '@lanes/core';
import { check } from '../check.mjs';

check(tf, lanes).then(
  (r) => postMessage({ ...r, inWorker: true }),
  (e) => postMessage({ error: String(e && e.stack ? e.stack : e) }),
);
