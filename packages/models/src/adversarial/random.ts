import type { Rng } from '../random.js';

/**
 * `n` points drawn uniformly from the `norm` ball of radius `eps` in `d` dimensions, row-major `[n, d]`.
 * L2 uses a Gaussian direction and radius `eps·u^(1/d)`, the uniform-volume law. The draws come
 * from the package's {@link Rng} in JS, so an attack reproduces bit for bit on every backend.
 */
export function randomInBall(rng: Rng, n: number, d: number, norm: 'linf' | 'l2', eps: number): Float32Array {
  if (norm === 'linf') return rng.uniforms(n * d, -eps, eps);
  const out = rng.normals(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += out[i * d + j] ** 2;
    const scale = (eps * Math.pow(rng.next(), 1 / d)) / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] *= scale;
  }
  return out;
}
