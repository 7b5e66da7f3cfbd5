/** Latent vectors for the generator: seeded samples and interpolations. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../random.js';
import { checkCount, checkValues, InvalidInputError } from '../validate.js';

/** `n` standard-normal latent vectors `[n, latentDim]`, reproducible from `seed`. */
export function sampleLatent(n: number, latentDim: number, seed: number): tf.Tensor2D {
  checkCount('sampleLatent', 'n', n);
  checkCount('sampleLatent', 'latentDim', latentDim);
  return tf.tensor2d(new Rng(seed).normals(n * latentDim), [n, latentDim]);
}

/** The latent size a generator expects (its input's last dimension). */
export function latentDimOf(generator: tfl.LayersModel): number {
  const shape = generator.inputs[0].shape;
  const d = shape[shape.length - 1];
  if (typeof d !== 'number') throw new Error('generator input has no fixed latent size');
  return d;
}

/** `n` generated images `[n, 28, 28, 1]` in [0, 1] from seeded latent vectors. */
export function generateImages(generator: tfl.LayersModel, n: number, seed: number): tf.Tensor4D {
  checkCount('generateImages', 'n', n);
  return tf.tidy(() => generator.predict(sampleLatent(n, latentDimOf(generator), seed)) as tf.Tensor4D);
}

/**
 * `steps` latent vectors from `a` to `b` ([latentDim] each) along the great circle (spherical
 * interpolation keeps the norm typical of Gaussian samples; linear paths pass through the
 * low-norm middle the generator rarely saw). Returns `[steps, latentDim]`. The first `hold`
 * coordinates stay `a`'s all the way (default 0; 1 keeps the code z₀ of a generator with latent
 * codes, so the walk stays within one mode or digit).
 */
export function interpolateLatent(a: ArrayLike<number>, b: ArrayLike<number>, steps: number, hold = 0): tf.Tensor2D {
  const d = a.length;
  if (b.length !== d)
    throw new InvalidInputError(
      `interpolateLatent: b has the wrong length: expected ${d} (the length of a), got ${b.length}`,
    );
  checkCount('interpolateLatent', 'a.length', d);
  checkCount('interpolateLatent', 'steps', steps);
  if (!Number.isInteger(hold) || hold < 0 || hold > d)
    throw new InvalidInputError(`interpolateLatent: hold must be an integer in [0, ${d}], got ${hold}`);
  checkValues('interpolateLatent', 'a', a);
  checkValues('interpolateLatent', 'b', b);
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < d; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb || 1))));
  const out = new Float32Array(steps * d);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    const [wa, wb] =
      omega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
    for (let i = 0; i < d; i++) out[s * d + i] = i < hold ? a[i] : wa * a[i] + wb * b[i];
  }
  return tf.tensor2d(out, [steps, d]);
}
