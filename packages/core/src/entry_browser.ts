/**
 * `@lanes/core` for bundlers (the `browser` export condition): tfjs-core's gradient and chained-op
 * registrations are imported from the app's own tfjs-core, as tfjs-layers does; the bundler resolves
 * them to the same module instances the app uses, so nothing is loaded twice.
 * @packageDocumentation
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
export * from './index.js';
