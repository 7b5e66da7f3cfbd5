// The check in a Vite production bundle, on the page and in a module Web Worker.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as lanes from '@lanes/core';
import { check } from '../check.mjs';

function inWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      worker.terminate();
      if (e.data.error) reject(new Error(e.data.error));
      else resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(e.message));
  });
}

const out = document.getElementById('result');
try {
  const page = await check(tf, lanes);
  const worker = await inWorker();
  const result = { page, worker, isolated: globalThis.crossOriginIsolated === true };
  window.__lanesResult = result;
  out.textContent = JSON.stringify(result, null, 1);
} catch (e) {
  window.__lanesResult = { error: String(e && e.stack ? e.stack : e) };
  out.textContent = window.__lanesResult.error;
}
