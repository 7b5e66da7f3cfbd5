/**
 * `lanes poison <kind>`: trains the mnist-cnn recipe on a poisoned training set (a BadNets backdoor
 * or flipped labels) and reports clean accuracy and the poisoning's success, beside the shipped
 * clean mnist-cnn's, with a picture of test digits and their predictions.
 */
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CliError, requireClass } from '../errors.js';
import { listenForInterrupt } from '../interrupt.js';
import { shippedDir } from '../model_files.js';
import { labelledColumnsPng, writeAtomic } from '../png.js';
import { progress } from '../progress.js';
import type { CommandContext } from './context.js';

export interface PoisonFlags {
  fraction?: number;
  target?: number;
  source?: number;
  limit: number;
  epochs: number;
  batchSize?: number;
  n: number;
  triggerSize: number;
  baseline: boolean;
}

/** What a poisoned (or clean) model does on the test digits. */
interface Outcome {
  cleanAccuracy: number;
  /** Backdoor: non-target digits sent to the target once triggered. Label flip: source (or non-target) digits classified as the target. */
  attackSuccessRate: number | null;
  attacked: number;
}

export async function poison(ctx: CommandContext, kind: string, flags: PoisonFlags): Promise<void> {
  const backdoor = kind === 'backdoor';
  requireClass('--target', flags.target);
  requireClass('--source', flags.source);
  if (backdoor && flags.source !== undefined)
    throw new CliError(
      '--source is an option of label-flip',
      'a backdoor poisons digits of every class but the target',
      2,
    );
  if (flags.source !== undefined && flags.source === flags.target)
    throw new CliError(
      '--source and --target are the same class',
      'flip one class to another, e.g. --source 7 --target 1',
      2,
    );
  const fraction = flags.fraction ?? (backdoor ? 0.05 : 0.3);
  if (!(fraction >= 0 && fraction <= 1))
    throw new CliError(`--fraction must be in [0, 1], got ${fraction}`, 'e.g. --fraction 0.05', 2);
  const target = backdoor ? (flags.target ?? 0) : flags.target;

  const g = ctx.globals();
  const backend = await ctx.setup();
  const models = await import('@lanes/models');
  const node = await import('@lanes/models/node');
  const mnist = await node.loadMnist();
  const train = models.takeImages(
    mnist.train,
    models.balancedSample(
      mnist.train.labels.subarray(0, mnist.train.count),
      Math.min(flags.limit, mnist.train.count),
      g.seed,
    ),
  );
  const test = models.headImages(mnist.test, flags.n);
  const trigger = { size: flags.triggerSize };

  let set = train,
    poisonedCount: number;
  if (backdoor) {
    const r = models.plantBackdoorInImageSet(train, { fraction, targetLabel: target as number, trigger, seed: g.seed });
    set = r.set;
    poisonedCount = r.poisoned.length;
  } else {
    const r = await models.flipLabels(train.labels, { fraction, source: flags.source, target, seed: g.seed });
    set = { ...train, labels: Uint8Array.from(r.labels) };
    poisonedCount = r.flipped.length;
  }

  const stop = listenForInterrupt();
  const bar = progress(`poison ${kind}`, g.json);
  const t0 = performance.now();
  let trained;
  try {
    // The mnist-cnn recipe of the registry, fed the poisoned training set.
    const poisoned: import('@lanes/models').RecipeInputLoader = async (name) =>
      name === 'mnist' ? ({ train: set, test } as never) : node.loadRecipeInput(name);
    trained = await models.runRecipe('mnist-cnn', poisoned, {
      seed: g.seed,
      epochs: flags.epochs,
      batchSize: flags.batchSize,
      signal: stop.signal,
      onBatchEnd: (p) => bar.update(p.step, p.totalSteps, p.etaMs, p.logs),
      onEpochEnd: (p) => {
        if (!g.json)
          bar.log(
            `epoch ${p.epoch + 1}/${p.epochs}  ${Object.entries(p.logs)
              .map(([k, v]) => `${k} ${v.toFixed(4)}`)
              .join('  ')}`,
          );
      },
    });
  } finally {
    bar.stop();
  }
  if (stop.interrupted)
    throw new CliError(
      `interrupted after ${trained.run.epochsCompleted} epoch(s); nothing was saved`,
      'run the command again (fewer --epochs or a smaller --limit for a quicker run)',
      130,
    );

  const x = models.imagesToTensor(test);
  const labels = Int32Array.from(test.labels.subarray(0, test.count));
  const measure = async (model: tfl.LayersModel): Promise<Outcome> => {
    if (backdoor) return models.backdoorReport(model, x, labels, { targetLabel: target as number, trigger });
    if (flags.source !== undefined && target !== undefined)
      return models.labelFlipReport(model, x, labels, { source: flags.source, target });
    const pred = await models.predictClasses(model, x);
    let correct = 0,
      attacked = 0,
      hit = 0;
    labels.forEach((y, i) => {
      if (pred[i] === y) correct++;
      if (target === undefined || y === target) return;
      attacked++;
      if (pred[i] === target) hit++;
    });
    return {
      cleanAccuracy: correct / labels.length,
      attackSuccessRate: target === undefined ? null : hit / Math.max(1, attacked),
      attacked,
    };
  };
  const poisoned = await measure(trained.model);
  let baseline: (Outcome & { model: string }) | undefined;
  const cleanDir = await shippedDir('mnist-cnn');
  if (flags.baseline && (await import('node:fs')).existsSync(join(cleanDir, 'model.json'))) {
    baseline = { model: cleanDir, ...(await measure(await node.loadModelFromDir(cleanDir))) };
  }

  const out = resolve(g.out ?? join('lanes-out', `poison-${kind}`));
  await trained.model.save(node.fileSystemHandler(out));
  const picture = join(out, `${kind}.png`);
  await writeAtomic(picture, await drawExamples(trained.model, x, labels, backdoor, target, flags.source, trigger));
  x.dispose();

  const report = {
    kind,
    out,
    picture,
    backend: backend.backend,
    seed: g.seed,
    fraction,
    target: target ?? null,
    source: flags.source ?? null,
    trigger: backdoor ? { size: flags.triggerSize, pattern: 'square', corner: 'bottom-right' } : undefined,
    trainImages: set.count,
    poisonedImages: poisonedCount,
    epochs: trained.run.epochsCompleted,
    testDigits: test.count,
    ...poisoned,
    baseline,
    seconds: (performance.now() - t0) / 1000,
  };
  await writeAtomic(join(out, 'poison.json'), JSON.stringify(report, null, 2));
  if (g.json) console.log(JSON.stringify(report));
  else {
    const what = backdoor
      ? `trigger → ${target}`
      : flags.source !== undefined
        ? `${flags.source} → ${target}`
        : target !== undefined
          ? `any → ${target}`
          : 'random wrong labels';
    console.log(
      `${kind} (${what}): ${poisonedCount} of ${set.count} training digits poisoned (${(100 * fraction).toFixed(1)} %${!backdoor && flags.source !== undefined ? ` of class ${flags.source}` : ''})`,
    );
    const line = (name: string, o: Outcome) =>
      `  ${name.padEnd(16)} clean accuracy ${(100 * o.cleanAccuracy).toFixed(1).padStart(5)} %` +
      (o.attackSuccessRate === null
        ? ''
        : `   attack success ${(100 * o.attackSuccessRate).toFixed(1).padStart(5)} % of ${o.attacked}`);
    console.log(line('poisoned model', poisoned));
    if (baseline) console.log(line('shipped clean', baseline));
    console.log(`  saved ${out} (model.json, weights.bin, ${kind}.png, poison.json)`);
  }
}

/** Eight test digits with the poisoned model's predictions (backdoor: clean beside triggered). */
async function drawExamples(
  model: tfl.LayersModel,
  x: tf.Tensor4D,
  labels: Int32Array,
  backdoor: boolean,
  target: number | undefined,
  source: number | undefined,
  trigger: { size: number },
): Promise<Buffer> {
  const models = await import('@lanes/models');
  const want = (y: number) => (backdoor ? y !== target : source === undefined || y === source);
  const picked = Array.from(labels.keys())
    .filter((i) => want(labels[i]))
    .slice(0, 8);
  const xs = tf.gather(x, picked);
  const images = (t: tf.Tensor) => ({
    data: t.dataSync() as Float32Array,
    count: picked.length,
    height: 28,
    width: 28,
    channels: 1,
  });
  const clean = await models.predictClasses(model, xs);
  const cleanLabels = Array.from(clean, (p) => `p ${p}`);
  const wrong = Array.from(clean, (p, k) => p !== labels[picked[k]]);
  if (!backdoor) {
    const png = labelledColumnsPng([images(xs)], [cleanLabels], [wrong], ['digits']);
    xs.dispose();
    return png;
  }
  const stamped = models.stampTrigger(xs, trigger);
  const dirty = await models.predictClasses(model, stamped);
  const png = labelledColumnsPng(
    [images(xs), images(stamped)],
    [cleanLabels, Array.from(dirty, (p) => `p ${p}`)],
    [wrong, Array.from(dirty, (p) => p === target)],
    ['clean', 'trigger'],
  );
  tf.dispose([xs, stamped]);
  return png;
}
