/** `lanes train <model>`: runs the models package's recipe with a progress bar, checkpoints and Ctrl-C. */
import { join, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { listenForInterrupt } from '../interrupt.js';
import { linePlotPng, writeAtomic } from '../png.js';
import { progress } from '../progress.js';
import type { CommandContext } from './context.js';

/** Models `lanes train` knows. */
const TRAINABLE = [
  'cnn',
  'cnn-bn',
  'robust-cnn',
  'gan',
  'spam-lstm',
  'spam-char-lstm',
  'names-lstm',
  'stocks-gru',
] as const;

export interface TrainFlags {
  epochs?: number;
  batchSize?: number;
  limit?: number;
  minutes?: number;
  checkpointEvery?: number;
  /** robust-cnn: attack trained against ('fgsm' = FGSM with random start, or 'pgd'). */
  method?: string;
  /** robust-cnn: L∞ budget. */
  eps?: number;
  /** Test digits the recipe reports on (default: all 10 000; robust-cnn attacks 1000 of them). */
  testN?: number;
}

export async function train(ctx: CommandContext, name: string, flags: TrainFlags): Promise<void> {
  if (!(TRAINABLE as readonly string[]).includes(name)) {
    throw new CliError(`unknown model '${name}'`, `choose one of ${TRAINABLE.join(', ')}`, 2);
  }
  const g = ctx.globals();
  const backend = await ctx.setup();
  const models = await import('@lanes/models');
  const node = await import('@lanes/models/node');
  const out = resolve(g.out ?? join('lanes-out', name));
  const checkpointDir = join(out, 'checkpoint');

  if (name !== 'robust-cnn' && (flags.method !== undefined || flags.eps !== undefined)) {
    throw new CliError('--method and --eps are options of robust-cnn', `drop them, or train robust-cnn`, 2);
  }
  if (flags.method !== undefined && !['fgsm', 'pgd'].includes(flags.method)) {
    throw new CliError(
      `--method must be fgsm or pgd, got '${flags.method}'`,
      'e.g. --method fgsm (fast adversarial training)',
      2,
    );
  }
  if (flags.eps !== undefined && !(flags.eps > 0 && flags.eps <= 1))
    throw new CliError(`--eps must be in (0, 1], got ${flags.eps}`, 'e.g. --eps 0.3', 2);
  const stop = listenForInterrupt();
  const signal = flags.minutes
    ? AbortSignal.any([stop.signal, AbortSignal.timeout(flags.minutes * 60_000)])
    : stop.signal;
  /** MNIST with the test set cut to --test-n digits. */
  const mnist = async () => {
    const data = await node.loadMnist();
    return flags.testN ? { train: data.train, test: models.headImages(data.test, flags.testN) } : data;
  };
  const bar = progress(`train ${name}`, Boolean(process.stdout.isTTY) && !g.json);
  const losses: Record<string, number[]> = {};
  const epochs: Record<string, number>[] = [];
  const common = {
    seed: g.seed,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    limit: flags.limit,
    signal,
    checkpoint: { target: node.fileSystemHandler(checkpointDir), everyEpochs: flags.checkpointEvery ?? 1 },
    onBatchEnd: (p: { step: number; totalSteps: number; etaMs: number; logs: Record<string, number> }) => {
      for (const [k, v] of Object.entries(p.logs)) (losses[k] ??= []).push(v);
      bar.update(p.step, p.totalSteps, p.etaMs, p.logs);
    },
    onEpochEnd: (p: { epoch: number; epochs: number; logs: Record<string, number> }) => {
      epochs.push(p.logs);
      if (!g.json)
        bar.log(
          `epoch ${p.epoch + 1}/${p.epochs}  ${Object.entries(p.logs)
            .map(([k, v]) => `${k} ${v.toFixed(4)}`)
            .join('  ')}`,
        );
    },
  };

  let result: {
    model: import('@tensorflow/tfjs-layers').LayersModel;
    metrics: Record<string, number | string>;
    config: Record<string, unknown>;
    run: { epochsCompleted: number; stopReason: string; elapsedMs: number };
  };
  try {
    switch (name) {
      case 'cnn':
      case 'cnn-bn':
        result = await models.trainMnistCnn(await mnist(), {
          ...common,
          architecture: { ...models.MNIST_CNN_ARCHITECTURE, batchNorm: name === 'cnn-bn' },
        });
        break;
      case 'robust-cnn':
        result = await models.trainMnistCnnRobust(await mnist(), {
          ...common,
          method: flags.method === 'pgd' ? 'pgd' : 'fgsm-rs',
          eps: flags.eps,
          evalExamples: flags.testN,
        });
        break;
      case 'gan':
        result = await models.trainMnistDcgan((await node.loadMnist()).train, common);
        break;
      case 'spam-lstm':
        result = await models.trainSpamLstm(node.loadSpamAssassin(), common);
        break;
      case 'spam-char-lstm':
        result = await models.trainSpamCharLstm(node.loadSpamAssassin(), common);
        break;
      case 'names-lstm': {
        const r = await models.trainNamesLstm(node.loadFirstNames(), common);
        result = { ...r, metrics: { ...r.metrics, examples: r.samples.slice(0, 10).join(', ') } };
        break;
      }
      default:
        result = await models.trainStocksGru((await node.loadSp500Daily()).prices, common);
    }
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
  await writeAtomic(join(out, 'training.json'), JSON.stringify({ ...report, config: result.config }, null, 2));
  if (g.json) console.log(JSON.stringify(report));
  else {
    console.log(`saved ${out} (model.json, weights.bin, training-curve.png, training.json)`);
    for (const [k, v] of Object.entries(result.metrics))
      console.log(`  ${k.padEnd(22)} ${typeof v === 'number' ? v.toFixed(4) : v}`);
  }
}

/** Moving average over a window of ~1/50 of the run, so the curve shows the trend. */
function smooth(v: number[]): number[] {
  const w = Math.max(1, Math.floor(v.length / 50));
  const out: number[] = [];
  for (let i = 0; i + w <= v.length; i += w) out.push(v.slice(i, i + w).reduce((a, b) => a + b, 0) / w);
  return out;
}
