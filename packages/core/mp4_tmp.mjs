import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LanesBackend } from '@lanes/core';
tf.registerBackend('l1', () => LanesBackend.create({ threads: 1 }), -1);
for (const k of tf.getKernelsForBackend('lanes')) tf.registerKernel({ ...k, backendName: 'l1' });
await tf.setBackend('l1');
const be = tf.backend();
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1].toFixed(3);
const x = tf.randomUniform([64, 28, 28, 32], -1, 1);
const kernel = tf.getKernel('MaxPool', 'l1').kernelFunc;
const T = { op: [], kernelFn: [], parallel: [], raw: [] };
for (let r = 0; r < 40; r++) {
  let t = performance.now(); const y = tf.maxPool(x, 2, 2, 'valid'); T.op.push(performance.now() - t); y.dispose();
  t = performance.now(); const info = kernel({ inputs: { x }, backend: be, attrs: { filterSize: 2, strides: 2, pad: 'valid' } }); T.kernelFn.push(performance.now() - t); be.disposeData(info.dataId);
  const out = be.makeOutputInfo([64, 14, 14, 32], 'float32');
  const g = [64, 28, 28, 32, 14, 14, 2, 2, 2, 2, 0, 0, 14, 14];
  t = performance.now(); be.parallel('max_pool_f32', [be.ptr(x), be.ptr(out), be.attrs(g)], 64 * 14, 14 * 32 * 4); T.parallel.push(performance.now() - t);
  t = performance.now(); be.wasm.max_pool_f32(be.ptr(x), be.ptr(out), be.attrs(g), 0, 64 * 14); T.raw.push(performance.now() - t);
  be.disposeData(out.dataId);
}
console.log(Object.fromEntries(Object.entries(T).map(([k, v]) => [k, med(v.slice(10))])));
