// onnxruntime-web as a bench contender: the wasm execution provider (SIMD, threads through
// worker_threads in Node), loaded from node_modules (no network). ORT fixes its thread pool when
// its wasm starts, so one process runs it at one thread count only.
import * as ort from 'onnxruntime-web';

let threads;

/** Sets ORT's thread count; it must precede the first session and cannot change after it. */
export function useOrtThreads(n) {
  if (threads !== undefined && threads !== n)
    throw new Error(`onnxruntime-web already runs ${threads} threads in this process; ${n} needs a process of its own`);
  threads = n;
  ort.env.wasm.numThreads = n;
}

const ORT_TYPE = { 1: 'float32', 6: 'int32', 7: 'int64' };

/**
 * A session on `spec.model` (bytes from onnx.mjs) with its feeds as ORT tensors:
 * `spec.feeds` maps input names to `{ data, dims }`; `spec.output` names the output to read.
 */
export async function ortSession(spec) {
  if (threads === undefined) throw new Error('ortSession: call useOrtThreads first');
  const session = await ort.InferenceSession.create(spec.model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const [name, { data, dims }] of Object.entries(spec.feeds)) {
    const type = data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : ORT_TYPE[7];
    feeds[name] = new ort.Tensor(type, data, dims);
  }
  return { session, feeds, output: spec.output };
}

/** One inference; resolves with the output's values (ORT copies them out of its wasm memory). */
export async function ortRun(s) {
  const out = await s.session.run(s.feeds, [s.output]);
  return out[s.output].data;
}

/** Frees the session's wasm-side state. */
export async function ortRelease(s) {
  await s.session.release();
}

/** The onnxruntime-web version in use. */
export const ortVersion = () => ort.env.versions.web;
