/**
 * Seeded pseudo-random numbers (mulberry32), so every attack reproduces bit for bit on every backend:
 * random tensors are drawn here in JS and uploaded, never from a backend's own generator.
 */
export class Rng {
  private s: number;

  /** Starts the stream at `seed` (any integer). */
  constructor(seed: number) {
    this.s = (seed | 0) ^ 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** `n` uniforms in [lo, hi). */
  uniforms(n: number, lo: number, hi: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }

  /** `n` standard normals. */
  normals(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/**
 * `n` points drawn uniformly from the `norm` ball of radius `eps` in `d` dimensions, row-major `[n, d]`.
 * L2 uses a Gaussian direction and radius `eps·u^(1/d)`, the uniform-volume law.
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
