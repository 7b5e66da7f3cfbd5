/**
 * `@lanes/core`: importing it registers the 'lanes' TensorFlow.js backend.
 *
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { getBuildInfo } from '@lanes/core';
 * await tf.setBackend('lanes');
 * console.log(getBuildInfo()); // { build: 'simd', threads: 2, sharedMemory: true }
 * ```
 * @packageDocumentation
 */
import { engine, findBackend, registerBackend } from '@tensorflow/tfjs-core';
import { canShareMemory, LanesBackend, type BuildInfo, type LanesBackendOptions } from './backend.js';
import { registerLanesKernels } from './kernels/registry.js';
import { defaultThreads } from './threads/platform.js';
import { ensureTfjsExtras } from './tfjs_extras.js';

export { version } from './version.js';
export { LanesBackend, MAX_PAGES } from './backend.js';
export type { BuildInfo, LanesBackendOptions } from './backend.js';
export type { PoolOptions, WorkerFault, ThreadPool } from './threads/pool.js';
export type { Storage } from './storage.js';
export type { TensorData, NumericArray } from './tensor_data.js';
export { LanesOutOfMemoryError } from './storage.js';
export { lstm } from './ops/lstm.js';
export type { LSTMOptions, LSTMResult } from './ops/lstm.js';
export { gru } from './ops/gru.js';
export type { GRUOptions, GRUResult } from './ops/gru.js';
export { RNN_ACTIVATIONS } from './ops/recurrent.js';
export type { RnnActivation, RecurrentOptions, TensorArg } from './ops/recurrent.js';
export { LSTM_KERNEL, LSTM_GRAD_KERNEL } from './kernels/lstm.js';
export { GRU_KERNEL, GRU_GRAD_KERNEL } from './kernels/gru.js';

/** The name the backend is registered under. */
export const BACKEND_NAME = 'lanes';

let options: LanesBackendOptions = {};

/**
 * The priority 'lanes' registers with: above tfjs-backend-cpu (1), below webgl, wasm (2) and webgpu (3), so
 * importing Lanes never moves an app off an accelerated backend; `tf.setBackend('lanes')` chooses it.
 */
export const LANES_PRIORITY = 1.5;

/** Registers (or re-registers with new options) the 'lanes' backend; importing the package calls it. */
export function registerLanesBackend(opts: LanesBackendOptions = {}, priority = LANES_PRIORITY): boolean {
  options = opts;
  return registerBackend(
    BACKEND_NAME,
    async () => {
      await ensureTfjsExtras();
      return LanesBackend.create(options);
    },
    priority,
  );
}

registerLanesBackend();
registerLanesKernels(BACKEND_NAME);

/**
 * The build and thread count of the initialised 'lanes' backend.
 * @throws if the backend has not been initialised yet (`await tf.setBackend('lanes')` first).
 */
export function getBuildInfo(): BuildInfo {
  const backend = findBackend(BACKEND_NAME) as LanesBackend | null;
  if (!backend)
    throw new Error(
      "The 'lanes' backend is not initialised yet: call `await tf.setBackend('lanes')` (or `await tf.ready()`) first.",
    );
  return backend.buildInfo();
}

/** The 'lanes' backend if it has been initialised, without starting its initialisation. */
function initialisedBackend(): LanesBackend | undefined {
  const registry = (engine() as unknown as { registry: Record<string, unknown> }).registry;
  const b = registry[BACKEND_NAME];
  return b instanceof LanesBackend ? b : undefined;
}

/**
 * Sets how many threads 'lanes' kernels use: the calling thread plus `n - 1` workers over the
 * shared memory (default: available cores). Before the backend starts, this is the count it
 * starts with. Lowering takes effect at once; raising starts workers, and the promise resolves
 * with the thread count actually reached (lower if a worker failed to start, 1 without shared memory).
 */
export async function setThreadsCount(n: number): Promise<number> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setThreadsCount: expected a positive integer, got ${n}`);
  options = { ...options, threads: n };
  const backend = initialisedBackend();
  return backend ? backend.setThreads(n) : n;
}

/**
 * Threads 'lanes' kernels run on: the live count once the backend is initialised, otherwise the
 * count it will start with.
 */
export function getThreadsCount(): number {
  const backend = initialisedBackend();
  if (backend) return backend.buildInfo().threads;
  return options.sharedMemory !== false && canShareMemory() ? (options.threads ?? defaultThreads()) : 1;
}
