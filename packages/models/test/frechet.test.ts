import { describe, expect, it } from 'vitest';
import { frechetDistance, meanAndCovariance, Rng, sqrtPsd, symmetricEigen } from '../src/index.js';

function gaussian(n: number, means: number[], stds: number[], seed: number): Float32Array {
  const r = new Rng(seed);
  const d = means.length;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = means[j] + stds[j] * r.normal();
  return out;
}

describe('linear algebra', () => {
  it('mean and unbiased covariance', () => {
    const { mean, cov } = meanAndCovariance([1, 2, 3, 6, 5, 10], 2);
    expect([...mean]).toEqual([3, 6]);
    expect([...cov]).toEqual([4, 8, 8, 16]);
  });
  it('Jacobi eigen-decomposition reconstructs the matrix (d = 1, 2, 5, 17)', () => {
    for (const d of [1, 2, 5, 17]) {
      const r = new Rng(d);
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = r.normal();
      const { values, vectors } = symmetricEigen(a, d);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += vectors[i * d + k] * values[k] * vectors[j * d + k];
          expect(s).toBeCloseTo(a[i * d + j], 9);
        }
      }
    }
  });
  it('square root of a PSD matrix squares back', () => {
    const a = [4, 2, 0, 2, 3, 1, 0, 1, 2];
    const s = sqrtPsd(a, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += s[i * 3 + k] * s[k * 3 + j];
        expect(v).toBeCloseTo(a[i * 3 + j], 10);
      }
  });
});

describe('Fréchet distance', () => {
  it('is 0 between a set and itself and symmetric', () => {
    const a = gaussian(500, [0, 1, 2], [1, 2, 0.5], 1);
    const b = gaussian(500, [0.5, 1, 2], [1, 1, 0.5], 2);
    expect(frechetDistance(a, a, 3)).toBeCloseTo(0, 6);
    expect(frechetDistance(a, b, 3)).toBeCloseTo(frechetDistance(b, a, 3), 6);
  });
  it('matches the closed form for diagonal covariances: Σ (μa−μb)² + (σa−σb)²', () => {
    const ma = [0, 1, 2, 3],
      sa = [1, 2, 0.5, 1],
      mb = [1, 1, 0, 3],
      sb = [2, 1, 0.5, 0.25];
    const a = gaussian(40000, ma, sa, 3);
    const b = gaussian(40000, mb, sb, 4);
    const expected = ma.reduce((s, _, i) => s + (ma[i] - mb[i]) ** 2 + (sa[i] - sb[i]) ** 2, 0);
    expect(frechetDistance(a, b, 4)).toBeCloseTo(expected, 1);
  });
  it('handles correlated features (1-D projections agree with the closed form in a rotated basis)', () => {
    // b = rotation of a 2-D Gaussian: same spectrum, so the distance is the mean term plus the
    // covariance term of a rotated ellipse, which the formula gives exactly for population values.
    const n = 40000,
      r = new Rng(5);
    const a = new Float32Array(n * 2),
      b = new Float32Array(n * 2);
    const c = Math.cos(0.7),
      s = Math.sin(0.7);
    for (let i = 0; i < n; i++) {
      const x = 2 * r.normal(),
        y = 0.5 * r.normal();
      a[2 * i] = x;
      a[2 * i + 1] = y;
      const u = 2 * r.normal(),
        v = 0.5 * r.normal();
      b[2 * i] = c * u - s * v;
      b[2 * i + 1] = s * u + c * v;
    }
    // Σa = diag(4, .25); Σb = R Σa Rᵀ. tr(Σa)+tr(Σb) − 2 tr((Σa^½ Σb Σa^½)^½), computed in closed form:
    const sa = [
      [2, 0],
      [0, 0.5],
    ];
    const sb = [
      [4 * c * c + 0.25 * s * s, (4 - 0.25) * c * s],
      [(4 - 0.25) * c * s, 4 * s * s + 0.25 * c * c],
    ];
    const m = [0, 1].map((i) => [0, 1].map((j) => sa[i][i] * sb[i][j] * sa[j][j]));
    const tr = m[0][0] + m[1][1],
      det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const traceSqrt = Math.sqrt(tr + 2 * Math.sqrt(det)); // tr√M for 2×2 PSD M
    expect(frechetDistance(a, b, 2)).toBeCloseTo(4.25 + 4.25 - 2 * traceSqrt, 1);
  });
});
