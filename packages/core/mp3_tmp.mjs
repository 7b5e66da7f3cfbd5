import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
await tf.setBackend('l1');
const be = tf.backend();
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
for (const [N, H, C] of [[64, 28, 32], [16, 28, 128], [256, 28, 8], [64, 28, 33]]) {
  const x = tf.randomUniform([N, H, H, C], -1, 1);
  const c = tf.maxPool(x, 2, 2, 'valid');
  const g = [N, H, H, C, H / 2, H / 2, 2, 2, 2, 2, 0, 0, H / 2, H / 2];
  const f = be.wasm.max_pool_f32; const xp = be.ptr(x), cp = be.ptr(c), ap = be.attrs(g);
  const T = [];
  for (let r = 0; r < 40; r++) { const t = performance.now(); f(xp, cp, ap, 0, N * H / 2); T.push(performance.now() - t); }
  const A = [];
  const fa = be.wasm.avg_pool_f32;
  for (let r = 0; r < 40; r++) { const t = performance.now(); fa(xp, cp, ap, 0, N * H / 2); A.push(performance.now() - t); }
  console.log(N, H, C, 'max', med(T.slice(10)), 'avg', med(A.slice(10)));
  tf.dispose([x, c]);
}
