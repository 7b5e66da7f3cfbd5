/** Small dense float64 linear algebra for feature statistics (d up to a few hundred). */

/** Mean `[d]` and unbiased covariance `[d × d]` of `n × d` row-major samples. */
export function meanAndCovariance(samples: ArrayLike<number>, d: number): { mean: Float64Array; cov: Float64Array } {
  const n = samples.length / d;
  if (!Number.isInteger(n) || n < 2) throw new Error(`meanAndCovariance: need at least 2 samples of ${d} values`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += samples[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = samples[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { mean, cov };
}

/**
 * Eigen-decomposition of a symmetric `d × d` matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and the eigenvectors as the columns of `vectors` (row-major d × d).
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0,
      total = 0;
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        const x = a[p * d + q] * a[p * d + q];
        total += x;
        if (p !== q) off += x;
      }
    }
    if (off <= 1e-24 * total || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // columns p, q
          const akp = a[k * d + p],
            akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          // rows p, q
          const apk = a[p * d + k],
            aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p],
            vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}

/** Square root of a symmetric positive semi-definite matrix (negative eigenvalues clamp to 0). */
export function sqrtPsd(matrix: ArrayLike<number>, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = Math.sqrt(Math.max(0, values[k]));
    if (s === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k] * s;
      if (vik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += vik * vectors[j * d + k];
    }
  }
  return out;
}

/** `a × b` for row-major `d × d` matrices. */
export function matmulSquare(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}
