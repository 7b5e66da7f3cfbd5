/** `lanes generate`: a GAN sample grid, latent interpolations, one row per latent code, or one digit, as a PNG. */
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../errors.js';
import { loadModel } from '../model_files.js';
import { gridPng, writeAtomic } from '../png.js';
import type { CommandContext } from './context.js';

export interface GenerateFlags {
  model?: string;
  n: number;
  cols?: number;
  interpolate?: number;
  byCode?: boolean;
  digit?: string;
  scale: number;
}

export async function generate(ctx: CommandContext, flags: GenerateFlags): Promise<void> {
  const g = ctx.globals();
  await ctx.setup();
  const models = await import('@lanes/models');
  const { model, path } = await loadModel(
    flags.model,
    'mnist-dcgan-generator',
    'lanes train mnist-dcgan-generator --out DIR',
  );
  const outShape = model.outputs[0].shape;
  if (outShape.length !== 4)
    throw new CliError(
      `wrong model: ${path} outputs [${outShape.join(', ')}], not images`,
      'pass a generator saved by `lanes train mnist-dcgan-generator`',
    );
  let latentDim: number;
  try {
    latentDim = models.latentDimOf(model);
  } catch (e) {
    throw new CliError(
      `wrong input shape: ${(e as Error).message}`,
      'pass a generator saved by `lanes train mnist-dcgan-generator`',
    );
  }
  const modes = [
    flags.interpolate && '--interpolate',
    flags.byCode && '--by-code',
    flags.digit !== undefined && '--digit',
  ].filter(Boolean);
  if (modes.length > 1) throw new CliError(`${modes.join(' and ')} draw different pictures`, 'pass one of them');
  const { codes, codeClasses } = models.generatorCodesOf(model);
  let images: tf.Tensor4D;
  let rows = 1,
    cols: number;
  if (flags.digit !== undefined) {
    // A generator whose codes were trained on labels draws class codeClasses[c] from code c.
    if (!codeClasses)
      throw new CliError(
        `${path} cannot draw a chosen digit: its latent codes were not trained on labels`,
        'pass a generator trained with labelled codes (the shipped one, or `lanes train mnist-dcgan-generator`)',
      );
    const code = codeClasses.indexOf(flags.digit);
    if (code < 0)
      throw new CliError(
        `--digit must be one of ${codeClasses.join(', ')}, got '${flags.digit}'`,
        `pass a class of ${path}`,
      );
    cols = flags.cols ?? Math.ceil(Math.sqrt(flags.n));
    const z = models.sampleLatentWithCode(flags.n, latentDim, codes, code, g.seed);
    images = model.predict(z) as tf.Tensor4D;
    z.dispose();
  } else if (flags.byCode) {
    // One row per code: the modes an InfoGAN found without labels, or the classes they were trained on.
    if (!codes)
      throw new CliError(
        `${path} has no latent codes`,
        'pass a generator trained with codes (the shipped one, or `lanes train mnist-dcgan-generator`)',
      );
    rows = codes;
    cols = flags.cols ?? 10;
    const z = models.sampleLatentPerCode(cols, latentDim, codes, g.seed);
    images = model.predict(z) as tf.Tensor4D;
    z.dispose();
  } else if (flags.interpolate) {
    // One row per pair of seeded latent points, `interpolate` steps from one to the other.
    rows = Math.max(1, Math.ceil(flags.n / flags.interpolate));
    cols = flags.interpolate;
    const ends = models.sampleLatent(2 * rows, latentDim, g.seed);
    const e = ends.arraySync();
    // With latent codes, z₀ (the code) stays the start's, so each walk stays within one mode.
    const paths = Array.from({ length: rows }, (_, r) =>
      models.interpolateLatent(e[2 * r], e[2 * r + 1], cols, codes > 0 ? 1 : 0),
    );
    const z = tf.concat(paths);
    images = model.predict(z) as tf.Tensor4D;
    tf.dispose([ends, z, ...paths]);
  } else {
    cols = flags.cols ?? Math.ceil(Math.sqrt(flags.n));
    images = models.generateImages(model, flags.n, g.seed);
  }
  const [count, height, width, channels] = images.shape;
  const data = (await images.data()) as Float32Array;
  images.dispose();
  const name =
    flags.digit !== undefined
      ? `digit-${flags.digit}`
      : flags.byCode
        ? 'codes'
        : flags.interpolate
          ? 'interpolation'
          : 'samples';
  const file = join(resolve(g.out ?? '.'), `${name}.png`);
  await writeAtomic(file, gridPng({ data, count, height, width, channels }, cols, flags.scale));
  const report = { picture: file, images: count, rows: Math.ceil(count / cols), cols, model: path, seed: g.seed };
  if (g.json) console.log(JSON.stringify(report));
  else console.log(`wrote ${file} (${count} images, ${report.rows}×${cols})`);
}
