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
import './tfjs_extras.js';
import { findBackend, registerBackend } from '@tensorflow/tfjs-core';
import { LanesBackend, type BuildInfo, type LanesBackendOptions } from './backend.js';
import { registerLanesKernels } from './kernels/registry.js';

export { LanesBackend, MAX_PAGES } from './backend.js';
export type { BuildInfo, LanesBackendOptions } from './backend.js';
export { LanesOutOfMemoryError } from './storage.js';
export { lstm } from './ops/lstm.js';
export type { LSTMOptions, LSTMResult } from './ops/lstm.js';
export { gru } from './ops/gru.js';
export type { GRUOptions, GRUResult } from './ops/gru.js';
export { RNN_ACTIVATIONS } from './ops/recurrent.js';
export type { RnnActivation, RecurrentOptions } from './ops/recurrent.js';
export { LSTM_KERNEL, LSTM_GRAD_KERNEL } from './kernels/lstm.js';
export { GRU_KERNEL, GRU_GRAD_KERNEL } from './kernels/gru.js';

/** The name the backend is registered under. */
export const BACKEND_NAME = 'lanes';

let options: LanesBackendOptions = {};

/** Registers (or re-registers with new options) the 'lanes' backend; importing the package calls it. */
export function registerLanesBackend(opts: LanesBackendOptions = {}, priority = 3): boolean {
  options = opts;
  return registerBackend(BACKEND_NAME, () => LanesBackend.create(options), priority);
}

registerLanesBackend();
registerLanesKernels(BACKEND_NAME);

/**
 * The build and thread count of the initialised 'lanes' backend.
 * @throws if the backend has not been initialised yet (`await tf.setBackend('lanes')` first).
 */
export function getBuildInfo(): BuildInfo {
  const backend = findBackend(BACKEND_NAME) as LanesBackend | null;
  if (!backend) throw new Error("The 'lanes' backend is not initialised yet: call `await tf.setBackend('lanes')` (or `await tf.ready()`) first.");
  return backend.buildInfo();
}
