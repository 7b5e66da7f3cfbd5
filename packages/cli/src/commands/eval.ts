/**
 * `lanes eval [model-dir]`: accuracy and confusion matrix on the MNIST test digits; the classes of
 * pictures (--image); or robust accuracy against ε with a chart (--robust).
 */
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadClassifier, probabilities, readPictures, rows } from '../classifier.js';
import { CliError } from '../errors.js';
import { chartPng, writeAtomic } from '../png.js';
import { progress } from '../progress.js';
import type { BackendReport } from '../runtime.js';
import type { CommandContext } from './context.js';

/** ε values of the robust curve unless --eps says otherwise. */
const DEFAULT_EPS_LIST = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

export interface EvalFlags {
  n?: number;
  image?: string[];
  probabilities?: boolean;
  robust?: boolean;
  robustModel?: boolean;
  eps?: number[];
  attack?: string;
  steps?: number;
  /** A second model on the same robust curve. */
  compare?: string;
}

export async function evaluate(ctx: CommandContext, dir: string | undefined, flags: EvalFlags): Promise<void> {
  if (flags.image && flags.robust)
    throw new CliError('--image and --robust do not go together', 'run them as two commands', 2);
  if (flags.eps && !flags.robust)
    throw new CliError('--eps needs --robust', 'e.g. lanes eval --robust --eps 0,0.1,0.2,0.3', 2);
  if (flags.compare && !flags.robust)
    throw new CliError('--compare needs --robust', 'e.g. lanes eval --robust --compare mnist-cnn-robust', 2);
  const backend = await ctx.setup();
  // Pictures first: a bad picture is reported whatever the model.
  const pictures = flags.image && (await readPictures(flags.image));
  const { model, path } = await loadClassifier(dir, flags.robustModel);
  if (pictures) return classifyPictures(ctx, model, path, backend, pictures);
  if (flags.robust) {
    const other = flags.compare === undefined ? undefined : await loadClassifier(flags.compare, false);
    return robustCurve(ctx, [{ model, path }, ...(other ? [other] : [])], backend, flags);
  }

  const g = ctx.globals();
  const models = await import('@lanes/models');
  const node = await import('@lanes/models/node');
  const test = (await node.loadMnist()).test;
  const set = flags.n ? models.headImages(test, flags.n) : test;
  const t0 = performance.now();
  const r = await models.evaluateClassifier(model, set);
  const seconds = (performance.now() - t0) / 1000;
  let probs: number[][] | undefined;
  if (flags.probabilities) {
    const x = models.imagesToTensor(set);
    const { p, classes } = await probabilities(model, x);
    x.dispose();
    probs = rows(p, classes);
  }
  const report = {
    model: path,
    backend: backend.backend,
    n: set.count,
    accuracy: r.accuracy,
    perClassAccuracy: r.perClassAccuracy,
    confusion: r.confusion,
    probabilities: probs,
    seconds,
  };
  if (g.json) console.log(JSON.stringify(report));
  else {
    console.log(`${path}: ${(100 * r.accuracy).toFixed(2)} % of ${set.count} MNIST test digits`);
    console.log('confusion (rows: true class, columns: predicted)');
    for (const [i, row] of r.confusion.entries())
      console.log(`  ${i}  ${row.map((v: number) => String(v).padStart(5)).join('')}`);
    if (probs)
      for (const [i, row] of probs.entries()) console.log(`  digit ${i}: ${row.map((v) => v.toFixed(4)).join(' ')}`);
  }
}

/** The classifier's answer for each picture. */
async function classifyPictures(
  ctx: CommandContext,
  model: tfl.LayersModel,
  path: string,
  backend: BackendReport,
  { pictures, x }: Awaited<ReturnType<typeof readPictures>>,
): Promise<void> {
  const { p, classes } = await probabilities(model, x);
  x.dispose();
  const { argmaxRows } = await import('@lanes/models');
  const pred = argmaxRows(p, classes);
  const probs = rows(p, classes);
  const report = {
    model: path,
    backend: backend.backend,
    images: pictures.map((pic, i) => ({
      image: pic.path,
      width: pic.width,
      height: pic.height,
      inverted: pic.inverted,
      prediction: pred[i],
      confidence: probs[i][pred[i]],
      probabilities: probs[i],
    })),
  };
  if (ctx.globals().json) console.log(JSON.stringify(report));
  else {
    for (const r of report.images) {
      console.log(
        `${r.image}: ${r.prediction} (${(100 * r.confidence).toFixed(1)} %)${r.inverted ? " — dark on light, inverted to MNIST's light on dark" : ''}`,
      );
    }
  }
}

/** One model's robust accuracy at each ε. */
interface Curve {
  model: string;
  cleanAccuracy: number;
  curve: { eps: number; robustAccuracy: number; successRate: number }[];
}

/** Robust accuracy of the first `n` test digits against FGSM or PGD at each ε, per model, and their chart. */
async function robustCurve(
  ctx: CommandContext,
  classifiers: { model: tfl.LayersModel; path: string }[],
  backend: BackendReport,
  flags: EvalFlags,
): Promise<void> {
  const g = ctx.globals();
  const models = await import('@lanes/models');
  const node = await import('@lanes/models/node');
  const test = (await node.loadMnist()).test;
  const n = Math.min(flags.n ?? 500, test.count);
  const epsilons = flags.eps ?? DEFAULT_EPS_LIST;
  const steps = flags.steps ?? 10;
  const x = models.imagesToTensor(test, models.range(n));
  const labels = Int32Array.from(test.labels.subarray(0, n));
  const attack = flags.attack ?? 'pgd';
  const entry = models.attackEntry(attack);
  // Iterative attacks are named with their steps, as in the suite (PGD-10).
  const name = 'steps' in entry.defaults ? `${entry.title}-${steps}` : entry.title;
  const bar = progress(`eval ${name}`, g.json);
  const t0 = performance.now();
  const curves: Curve[] = [];
  let done = 0;
  try {
    for (const { model, path } of classifiers) {
      const spec = {
        name,
        kind: 'budget' as const,
        norm: 'linf' as const,
        run: (xb: tf.Tensor, yb: Int32Array, eps: number) =>
          models.runAttack(attack, model, xb, yb, { eps, norm: 'linf', steps, seed: g.seed }),
      };
      const r = await models.evaluateRobustness(model, x, labels, [spec], {
        epsilons,
        batchSize: 100,
        onProgress: (p) => {
          done += 1;
          bar.update(done, classifiers.length * epsilons.length * Math.ceil(p.total / 100), NaN, { eps: p.eps });
        },
      });
      curves.push({
        model: path,
        cleanAccuracy: r.cleanAccuracy,
        curve: r.rows.map((row) => ({
          eps: row.eps ?? 0,
          robustAccuracy: row.robustAccuracy,
          successRate: row.successRate,
        })),
      });
    }
  } finally {
    bar.stop();
    x.dispose();
  }
  const picture = join(resolve(g.out ?? '.'), `robust-accuracy-${attack}.png`);
  await writeAtomic(
    picture,
    chartPng(
      curves.map((c) => ({
        name: curves.length > 1 ? basename(c.model) : name.toLowerCase(),
        x: c.curve.map((p) => p.eps),
        y: c.curve.map((p) => p.robustAccuracy),
      })),
      {
        title: `${name.toLowerCase()} accuracy, ${n} mnist test digits`,
        xLabel: 'eps (linf)',
        yLabel: 'accuracy',
        yRange: [0, 1],
        points: true,
        xTicks: epsilons.length <= 8 ? epsilons : undefined,
      },
    ),
  );
  const [first, second] = curves;
  const report = {
    ...first,
    backend: backend.backend,
    n,
    attack: name,
    seed: g.seed,
    picture,
    compare: second,
    seconds: (performance.now() - t0) / 1000,
  };
  if (g.json) console.log(JSON.stringify(report));
  else {
    console.log(`accuracy under ${name} (L∞) on ${n} MNIST test digits`);
    console.log(`  ε       ${curves.map((c) => basename(c.model).padStart(18)).join('')}`);
    first.curve.forEach((p, i) =>
      console.log(
        `  ${p.eps.toFixed(3).padEnd(6)}  ${curves.map((c) => `${(100 * c.curve[i].robustAccuracy).toFixed(1)} %`.padStart(18)).join('')}`,
      ),
    );
    console.log(`  chart  ${picture}`);
  }
}
