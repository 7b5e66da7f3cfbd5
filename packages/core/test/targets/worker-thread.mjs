// The check inside a Node worker_thread (the backend then starts its own workers from a worker).
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.once('message', async (r) => {
    console.log(JSON.stringify({ ...r, inWorker: true }));
    await worker.terminate();
  });
  worker.once('error', (e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const lanes = await import('@lanes/core');
  const { check } = await import('./check.mjs');
  parentPort.postMessage(await check(tf, lanes));
}
