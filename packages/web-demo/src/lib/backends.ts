// The four backends the demo can run on, and switching between them. 'lanes' is this project's
// WebAssembly SIMD backend; 'wasm' (tfjs-backend-wasm), 'cpu' (plain JS) and 'webgl' are the
// reference points. A backend that cannot start here (webgl without a GPU) is reported, not fatal.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { getBuildInfo, type BuildInfo } from '@lanes/core';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** Backends offered by the switcher, fastest first. */
export const BACKENDS = ['lanes', 'wasm', 'cpu', 'webgl'] as const;
/** One of {@link BACKENDS}. */
export type BackendName = (typeof BACKENDS)[number];

const failures = new Map<BackendName, string>();
const listeners = new Set<(name: BackendName) => void>();

/** Why `name` could not start here, or undefined if it started (or was never tried). */
export function backendFailure(name: BackendName): string | undefined {
  return failures.get(name);
}

/**
 * Makes `name` the active backend. Returns false (and remembers why) if it cannot start here;
 * the previous backend then stays active.
 */
export async function useBackend(name: BackendName): Promise<boolean> {
  if (failures.has(name)) return false;
  const previous = tf.getBackend();
  let ok = false;
  let reason = 'failed to initialise';
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  if (!ok) {
    failures.set(
      name,
      name === 'webgl'
        ? `WebGL is not available in this browser (${reason}; headless Chromium with --disable-gpu has none)`
        : reason,
    );
    if (previous && previous !== name) await tf.setBackend(previous);
    return false;
  }
  await tf.ready();
  for (const l of listeners) l(name);
  return true;
}

/** The active backend's name. */
export function currentBackend(): BackendName {
  return tf.getBackend() as BackendName;
}

/** Calls `f` whenever the active backend changes (returns the unsubscribe function). */
export function onBackendChange(f: (name: BackendName) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** 'lanes' build (relaxed-simd / simd / scalar) and thread count; starts 'lanes' if needed. */
export async function lanesInfo(): Promise<BuildInfo> {
  const previous = tf.getBackend();
  if (previous !== 'lanes') {
    await tf.setBackend('lanes');
    const info = getBuildInfo();
    await tf.setBackend(previous);
    return info;
  }
  return getBuildInfo();
}

/** Which tfjs-backend-wasm build this browser gets: SIMD, and threads (needs cross-origin isolation). */
export async function wasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  const env = tf.env();
  return {
    simd: Boolean(await env.getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}
