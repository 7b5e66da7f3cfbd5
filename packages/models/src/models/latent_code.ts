/**
 * A categorical code carried by a standard-normal latent: InfoGAN's c (Chen et al., 2016) without
 * a second input. The first coordinate z₀ falls in one of `codes` equally likely intervals of the
 * normal distribution; that interval is the code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../random.js';
import { checkCount, InvalidInputError } from '../validate.js';

/** Φ⁻¹(p) for p ∈ (0, 1): Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** The `codes − 1` boundaries Φ⁻¹(i / codes), ascending. */
export function codeThresholds(codes: number): number[] {
  if (!Number.isInteger(codes) || codes < 2)
    throw new RangeError(`codeThresholds: codes must be an integer ≥ 2, got ${codes}`);
  return Array.from({ length: codes - 1 }, (_, i) => normalQuantile((i + 1) / codes));
}

/** The code (0 … thresholds.length) of a latent whose first coordinate is `z0`. */
export function latentCodeOf(z0: number, thresholds: readonly number[]): number {
  let code = 0;
  while (code < thresholds.length && z0 >= thresholds[code]) code++;
  return code;
}

/** Slope of the steps: a latent lands within 5/STEEPNESS of a boundary, half-coded, with probability < 1e-4. */
const STEEPNESS = 1e5;

/**
 * A frozen Dense layer from the latent to its code in thermometer form: unit i is 1 when
 * z₀ ≥ threshold i, else 0 (hard-sigmoid steps). A stock layer, so the generator still loads with
 * plain `tf.loadLayersModel`; a dense layer after it can learn one embedding per code.
 */
export function latentCodeSteps(latentDim: number, codes: number, name = 'latent_code'): tfl.layers.Layer {
  const thresholds = codeThresholds(codes);
  const kernel = new Float32Array(latentDim * (codes - 1));
  kernel.fill(STEEPNESS, 0, codes - 1);
  // hardSigmoid(x) = clip(0.2 x + 0.5, 0, 1): centre each step on its threshold.
  const bias = thresholds.map((t) => -STEEPNESS * t);
  return tfl.layers.dense({
    units: codes - 1,
    activation: 'hardSigmoid',
    trainable: false,
    name,
    weights: [tf.tensor2d(kernel, [latentDim, codes - 1]), tf.tensor1d(bias)],
  });
}

/**
 * `n` standard-normal latent vectors `[n, latentDim]` whose first coordinate carries `code`
 * (z₀ drawn from the normal distribution restricted to that code's interval), reproducible from
 * `seed`: the samples of one mode of an InfoGAN generator, or of one class of an AC-GAN.
 */
export function sampleLatentWithCode(
  n: number,
  latentDim: number,
  codes: number,
  code: number,
  seed: number,
): tf.Tensor2D {
  checkCount('sampleLatentWithCode', 'n', n);
  checkCount('sampleLatentWithCode', 'latentDim', latentDim);
  checkCodes('sampleLatentWithCode', codes);
  if (!Number.isInteger(code) || code < 0 || code >= codes)
    throw new InvalidInputError(`sampleLatentWithCode: code must be an integer in [0, ${codes - 1}], got ${code}`);
  const rng = new Rng(seed);
  const z = rng.normals(n * latentDim);
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    z[i * latentDim] = normalQuantile((code + u) / codes);
  }
  return tf.tensor2d(z, [n, latentDim]);
}

/**
 * `perCode` latents of each code in turn, `[codes × perCode, latentDim]` (code c's from
 * {@link sampleLatentWithCode} with seed `seed + c`): one row of samples per code.
 */
export function sampleLatentPerCode(perCode: number, latentDim: number, codes: number, seed: number): tf.Tensor2D {
  checkCodes('sampleLatentPerCode', codes);
  const parts = Array.from({ length: codes }, (_, c) => sampleLatentWithCode(perCode, latentDim, codes, c, seed + c));
  const z = tf.concat(parts) as tf.Tensor2D;
  tf.dispose(parts);
  return z;
}

function checkCodes(fn: string, codes: number): void {
  if (!Number.isInteger(codes) || codes < 2)
    throw new InvalidInputError(`${fn}: codes must be an integer ≥ 2, got ${codes}`);
}
