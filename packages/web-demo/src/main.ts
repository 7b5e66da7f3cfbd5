import './style.css';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getBuildInfo } from '@lanes/core';

async function showBackend(page: HTMLElement): Promise<void> {
  await tf.setBackend('lanes');
  const info = getBuildInfo();
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const product = (await tf.matMul(a, a).data()).join(', ');
  page.innerHTML = `
    <h1>Backends</h1>
    <dl>
      <dt>backend</dt><dd id="backend">${tf.getBackend()}</dd>
      <dt>build</dt><dd id="build">${info.build}</dd>
      <dt>threads</dt><dd id="threads">${info.threads}</dd>
      <dt>cross-origin isolated</dt><dd id="isolated">${String(globalThis.crossOriginIsolated)}</dd>
      <dt>[[1,2],[3,4]]²</dt><dd id="matmul">${product}</dd>
    </dl>`;
}

const nav = document.getElementById('nav')!;
nav.innerHTML = '<a href="#backends">Backends</a>';
void showBackend(document.getElementById('page')!);
