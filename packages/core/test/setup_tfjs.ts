// Tests import src/, not an entry point: register tfjs-core's gradients and chained ops as the
// browser entry does (vitest inlines these extension-less ES modules, see vitest.config.ts). The
// app's tfjs-core loads first, as in an app, so its engine and Tensor class are the global ones.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
