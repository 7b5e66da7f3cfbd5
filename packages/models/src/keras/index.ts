/**
 * Keras model files in and out: {@link loadKerasModel} reads `.keras` and `.h5` files,
 * {@link saveKerasModel} writes Keras 3 `.keras` files. Their HDF5 and zip libraries load on first use.
 */
export { loadKerasModel } from './load.js';
export type { LoadKerasOptions } from './load.js';
export type { KerasSource } from './source.js';
export { KERAS_FORMAT_VERSION, saveKerasModel } from './save.js';
export { kerasContainerOf } from './source.js';
export type { KerasContainer } from './source.js';
export { SUPPORTED_CLASSES as KERAS_LAYER_CLASSES } from './layer_table.js';
