/** `lanes attack <method>`: one attack of the toolkit on MNIST test digits (or pictures); accuracy before/after. */
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadClassifier, readPictures } from '../classifier.js';
import type { DigitPicture } from '../image_input.js';
import { CliError, requireClass } from '../errors.js';
import { tripletPng, writeAtomic } from '../png.js';
import type { CommandContext } from './context.js';

export interface AttackFlags {
  model?: string;
  eps?: number;
  steps?: number;
  target?: number;
  n: number;
  norm?: 'linf' | 'l2';
  maxQueries?: number;
  /** Attack these pictures instead of test digits. */
  image?: string[];
  /** True class of the pictures (default: the model's prediction). */
  label?: number;
  robustModel?: boolean;
}

/** Class predictions of a softmax classifier. */
function predict(model: tfl.LayersModel, x: tf.Tensor): Int32Array {
  return tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1)).dataSync() as Int32Array;
}

export async function attack(ctx: CommandContext, method: string, flags: AttackFlags): Promise<void> {
  requireClass('--target', flags.target);
  requireClass('--label', flags.label);
  if (flags.label !== undefined && !flags.image)
    throw new CliError('--label needs --image (test digits bring their labels)', 'e.g. --image seven.png --label 7', 2);
  const g = ctx.globals();
  const backend = await ctx.setup();
  const models = await import('@lanes/models');
  // The registry's settings for this attack (its defaults, a norm it cannot work in refused).
  let params: Partial<import('@lanes/models').AttackParams>;
  try {
    params = models.attackParams(method, {
      eps: flags.eps,
      norm: flags.norm,
      steps: flags.steps,
      maxQueries: flags.maxQueries,
    });
  } catch (e) {
    if (e instanceof models.InvalidInputError) throw new CliError(e.message, 'see lanes attack --help', 1);
    throw e;
  }
  // Pictures first: a bad picture is reported whatever the model.
  const read = flags.image && (await readPictures(flags.image));
  const { model, path } = await loadClassifier(flags.model, flags.robustModel);

  let x: tf.Tensor4D, labels: Int32Array, pictures: DigitPicture[] | undefined;
  if (read) {
    ({ pictures, x } = read);
    // Without a label, the model's own answer is the class to move away from.
    labels = flags.label !== undefined ? new Int32Array(pictures.length).fill(flags.label) : predict(model, x);
  } else {
    const node = await import('@lanes/models/node');
    const test = (await node.loadMnist()).test;
    const count = Math.min(flags.n, test.count);
    x = models.imagesToTensor(test, models.range(count));
    labels = Int32Array.from(test.labels.subarray(0, count));
  }
  const n = labels.length;
  const target = flags.target !== undefined ? new Int32Array(n).fill(flags.target) : undefined;
  const t0 = performance.now();
  const r = await models.runAttack(method, model, x, labels, { ...params, seed: g.seed, target });
  const seconds = (performance.now() - t0) / 1000;
  const clean = predict(model, x);
  const adv = predict(model, r.adversarial);
  const accuracy = (p: Int32Array) => p.reduce((s, v, i) => s + (v === labels[i] ? 1 : 0), 0) / n;
  const norms = await models.perturbationNorms(x, r.adversarial);
  const report = {
    method,
    model: path,
    backend: backend.backend,
    n,
    eps: params.eps ?? null,
    images: pictures?.map((p, i) => ({
      image: p.path,
      label: labels[i],
      cleanPrediction: clean[i],
      adversarialPrediction: adv[i],
      inverted: p.inverted,
    })),
    norm: params.norm ?? null,
    steps: params.steps,
    maxQueries: params.maxQueries,
    target: flags.target ?? null,
    seed: g.seed,
    cleanAccuracy: accuracy(clean),
    adversarialAccuracy: accuracy(adv),
    successRate: r.success.reduce((s, v) => s + v, 0) / n,
    meanLinf: mean(norms.linf),
    meanL2: mean(norms.l2),
    queries: r.queries ? mean(r.queries) : undefined,
    seconds,
    picture: undefined as string | undefined,
  };
  if (g.out) {
    const k = Math.min(n, 8);
    const shape = { count: k, height: 28, width: 28, channels: 1 };
    const picture = join(resolve(g.out), pictures ? `attack-${method}-image.png` : `attack-${method}.png`);
    const [a, b] = [x, r.adversarial].map((t) => ({
      ...shape,
      data: (t.dataSync() as Float32Array).slice(0, k * 784),
    }));
    await writeAtomic(picture, tripletPng(a, b, clean.subarray(0, k), adv.subarray(0, k)));
    report.picture = picture;
  }
  tf.dispose([x, r.adversarial]);
  if (g.json) console.log(JSON.stringify(report));
  else {
    console.log(
      `${method} on ${pictures ? `${n} picture(s)` : `${n} MNIST test digits`} (${flags.target !== undefined ? `targeted → ${flags.target}` : 'untargeted'}${params.eps !== undefined ? `, ε ${params.eps}` : ''}${params.norm ? ` ${params.norm}` : ''})`,
    );
    console.log(
      `  accuracy        ${(100 * report.cleanAccuracy).toFixed(1)} % → ${(100 * report.adversarialAccuracy).toFixed(1)} %`,
    );
    console.log(`  success rate    ${(100 * report.successRate).toFixed(1)} %`);
    console.log(`  mean L∞ / L2    ${report.meanLinf.toFixed(3)} / ${report.meanL2.toFixed(3)}`);
    for (const im of report.images ?? [])
      console.log(
        `  ${im.image}: ${im.cleanPrediction} → ${im.adversarialPrediction}${flags.label === undefined ? ' (label: the clean prediction)' : ''}`,
      );
    if (report.picture) console.log(`  picture         ${report.picture}`);
  }
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return v.length ? s / v.length : 0;
}
