/**
 * Keras model files in and out: {@link loadKerasModel} reads `.keras` and `.h5` files,
 * {@link saveKerasModel} writes Keras 3 `.keras` files. Their HDF5 and zip libraries load on first use.
 */
export { loadKerasModel } from './load.js';
export type { LoadKerasOptions } from './load.js';
export type { KerasSource } from './source.js';
export { KERAS_FORMAT_VERSION, saveKerasModel } from './save.js';
