/** `lanes train <model>`: runs the models package's recipe with a progress bar, checkpoints and Ctrl-C. */
import { join, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { listenForInterrupt } from '../interrupt.js';
import { linePlotPng, writeAtomic } from '../png.js';
import { progress } from '../progress.js';
import { CATALOG, flagOf } from '../catalog.js';
import type { CommandContext } from './context.js';

export interface TrainFlags {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  limit?: number;
  minutes?: number;
  checkpointEvery?: number;
  /** The recipes' own settings (see the registry), by name. */
  [setting: string]: unknown;
}

/** The registry settings among `flags`; a setting of another recipe is a usage error naming its owners. */
function settingsOf(name: string, flags: TrainFlags): Record<string, unknown> {
  const recipe = CATALOG.recipes.find((r) => r.name === name);
  const given: Record<string, unknown> = {};
  const foreign: string[] = [];
  for (const r of CATALOG.recipes) {
    for (const key of Object.keys(r.settings)) {
      if (flags[key] === undefined || key in given) continue;
      if (recipe && key in recipe.settings) given[key] = flags[key];
      else if (!foreign.includes(key)) foreign.push(key);
    }
  }
  if (foreign.length) {
    const owners = [
      ...new Set(foreign.flatMap((k) => CATALOG.recipes.filter((r) => k in r.settings).map((r) => r.name))),
    ];
    throw new CliError(
      `${foreign.map(flagOf).join(' and ')} ${foreign.length > 1 ? 'are settings' : 'is a setting'} of ${owners.join(', ')}, not of ${name}`,
      `drop ${foreign.length > 1 ? 'them' : 'it'}, or train ${owners[0]}`,
      2,
    );
  }
  return given;
}

export async function train(ctx: CommandContext, name: string, flags: TrainFlags): Promise<void> {
  const given = settingsOf(name, flags);
  const g = ctx.globals();
  const backend = await ctx.setup();
  const models = await import('@lanes/models');
  const node = await import('@lanes/models/node');
  let settings: Record<string, string | number | boolean>;
  try {
    settings = models.recipeSettings(name, given);
  } catch (e) {
    if (e instanceof models.InvalidInputError) throw new CliError(e.message, `see lanes train --help`, 1);
    throw e;
  }
  const out = resolve(g.out ?? join('lanes-out', name));
  const checkpointDir = join(out, 'checkpoint');
  const stop = listenForInterrupt();
  const signal = flags.minutes
    ? AbortSignal.any([stop.signal, AbortSignal.timeout(flags.minutes * 60_000)])
    : stop.signal;
  const bar = progress(`train ${name}`, g.json);
  const losses: Record<string, number[]> = {};
  const epochs: Record<string, number>[] = [];
  let result: Awaited<ReturnType<typeof models.runRecipe>>;
  try {
    result = await models.runRecipe(name, node.loadRecipeInput, {
      seed: g.seed,
      epochs: flags.epochs,
      batchSize: flags.batchSize,
      learningRate: flags.learningRate,
      limit: flags.limit,
      signal,
      settings,
      checkpoint: { target: node.fileSystemHandler(checkpointDir), everyEpochs: flags.checkpointEvery ?? 1 },
      onBatchEnd: (p) => {
        for (const [k, v] of Object.entries(p.logs)) (losses[k] ??= []).push(v);
        bar.update(p.step, p.totalSteps, p.etaMs, p.logs);
      },
      onEpochEnd: (p) => {
        epochs.push(p.logs);
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

  if (stop.interrupted) {
    throw new CliError(
      `interrupted after ${result.run.epochsCompleted} epoch(s): the last checkpoint (if any) is in ${checkpointDir}`,
      'run the command again to train to the end',
      130,
    );
  }
  await result.model.save(node.fileSystemHandler(out));
  const curves: Record<string, number[]> = {};
  for (const k of ['loss', 'dLoss', 'gLoss']) if (losses[k]) curves[k] = smooth(losses[k]);
  if (Object.keys(curves).length)
    await writeAtomic(
      join(out, 'training-curve.png'),
      linePlotPng(curves, { title: `train ${name}`, xLabel: 'batches (smoothed)', yLabel: 'loss' }),
    );
  const report = {
    model: name,
    out,
    backend: backend.backend,
    build: backend.build,
    threads: backend.threads,
    seed: g.seed,
    epochsCompleted: result.run.epochsCompleted,
    stopReason: result.run.stopReason,
    seconds: result.run.elapsedMs / 1000,
    metrics: result.metrics,
    history: epochs,
  };
  await writeAtomic(
    join(out, 'training.json'),
    JSON.stringify({ ...report, settings, config: result.config }, null, 2),
  );
  if (g.json) console.log(JSON.stringify(report));
  else {
    console.log(`saved ${out} (model.json, weights.bin, training-curve.png, training.json)`);
    for (const [k, v] of Object.entries(result.metrics))
      console.log(`  ${k.padEnd(22)} ${typeof v === 'number' ? v.toFixed(4) : v}`);
    if (result.note) console.log(`\n${result.note(out)}`);
  }
}

/** Moving average over a window of ~1/50 of the run, so the curve shows the trend. */
function smooth(v: number[]): number[] {
  const w = Math.max(1, Math.floor(v.length / 50));
  const out: number[] = [];
  for (let i = 0; i + w <= v.length; i += w) out.push(v.slice(i, i + w).reduce((a, b) => a + b, 0) / w);
  return out;
}
