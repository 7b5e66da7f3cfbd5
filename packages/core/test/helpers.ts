import * as tf from '@tensorflow/tfjs-core';
import '../src/index.js';
import type { LanesBackend } from '../src/backend.js';

/** Initialises 'lanes' (once) and returns the backend instance. */
export async function lanes(): Promise<LanesBackend> {
  await tf.setBackend('lanes');
  return tf.backend() as LanesBackend;
}

/** Deterministic pseudo-random floats in [-1, 1) (xorshift), so failures reproduce. */
export function randomFloats(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** Largest |a-b| / max(1, |b|) over two arrays; Infinity when lengths differ or NaN patterns differ. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
      continue;
    }
    if (a[i] === b[i]) continue;
    m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  }
  return m;
}
