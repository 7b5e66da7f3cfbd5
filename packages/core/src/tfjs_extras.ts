// Gradients and chained ops (`x.sum()`) belong to tfjs-core, which registers them only from its ES module
// files (`dist/register_all_gradients.js`, `dist/public/chained_ops/register_all_chained_ops.js`).
// `@tensorflow/tfjs` and tfjs-layers import those files; an app on bare tfjs-core may have neither.
// We never bundle them (the app would hold two copies, and ours would replace the app's own version):
// each entry point says how to load the app's own files, and the backend loads them, only when they
// are missing, before it starts.
import { getGradient, Tensor } from '@tensorflow/tfjs-core';

let loader: (() => Promise<void>) | undefined;
let loading: Promise<void> | undefined;

/** Sets how this entry point loads tfjs-core's gradient and chained-op registrations. */
export function setTfjsExtrasLoader(load: () => Promise<void>): void {
  loader = load;
}

/** Whether tfjs-core's gradients and chained ops are registered (by anyone). */
function hasTfjsExtras(): boolean {
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  return getGradient('Conv2D') !== undefined && typeof proto['sum'] === 'function';
}

/** Loads the app's own tfjs-core gradients and chained ops if nobody registered them yet. */
export function ensureTfjsExtras(): Promise<void> {
  if (hasTfjsExtras() || !loader) return Promise.resolve();
  loading ??= loader();
  return loading;
}
