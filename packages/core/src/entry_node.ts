/**
 * `@lanes/core` for Node (ESM and CommonJS).
 * @packageDocumentation
 */
import { setTfjsExtrasLoader } from './tfjs_extras.js';
import { loadTfjsExtrasFromDisk } from './tfjs_extras_node.js';
setTfjsExtrasLoader(loadTfjsExtrasFromDisk);
export * from './index.js';
