/** Fréchet distance between Gaussians fitted to two feature sets (the "FID" recipe, any features). */
import { matmulSquare, meanAndCovariance, sqrtPsd, symmetricEigen } from './linalg.js';

/**
 * ‖μa − μb‖² + tr(Σa) + tr(Σb) − 2·tr((Σa^½ Σb Σa^½)^½), with mean and covariance estimated
 * from `a` and `b` (row-major, `d` values per sample).
 */
export function frechetDistance(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  const A = meanAndCovariance(a, d);
  const B = meanAndCovariance(b, d);
  let meanTerm = 0,
    trace = 0;
  for (let i = 0; i < d; i++) {
    meanTerm += (A.mean[i] - B.mean[i]) ** 2;
    trace += A.cov[i * d + i] + B.cov[i * d + i];
  }
  const rootA = sqrtPsd(A.cov, d);
  const m = matmulSquare(matmulSquare(rootA, B.cov, d), rootA, d);
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = (m[i * d + j] + m[j * d + i]) / 2; // remove rounding asymmetry
      m[i * d + j] = s;
      m[j * d + i] = s;
    }
  }
  const { values } = symmetricEigen(m, d);
  let cross = 0;
  for (const v of values) cross += Math.sqrt(Math.max(0, v));
  return Math.max(0, meanTerm + trace - 2 * cross);
}
