/** Registers every command on the program. Each command imports its heavy modules lazily. */
import type { Command } from 'commander';
import { finiteNumber, positiveInt } from '../errors.js';
import type { BackendReport, GlobalOptions } from '../runtime.js';

/** What commands get from main.ts. */
export interface CommandContext {
  /** The parsed global flags (valid once parsing reached the action). */
  globals(): GlobalOptions;
  /** Loads and selects the backend chosen by --backend / --threads. */
  setup(): Promise<BackendReport>;
  version: string;
}

/** Prints a result: JSON on stdout with --json, else the human-readable text. */
export function emit(ctx: CommandContext, json: unknown, text: () => string): void {
  console.log(ctx.globals().json ? JSON.stringify(json) : text());
}

export function registerCommands(program: Command, ctx: CommandContext): void {
  program
    .command('info')
    .description('backend, kernel build, threads, memory and versions')
    .action(async () => {
      const { info, formatInfo } = await import('./info.js');
      const report = await info(await ctx.setup(), ctx.version);
      emit(ctx, report, () => formatInfo(report));
    });

  program
    .command('train')
    .description('train a model (cnn, cnn-bn, gan, spam-lstm, names-lstm, stocks-gru) into --out DIR')
    .argument('<model>', 'cnn | cnn-bn | gan | spam-lstm | names-lstm | stocks-gru')
    .option('--epochs <n>', 'epochs (recipe default otherwise)', positiveInt('--epochs'))
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'))
    .option('--limit <n>', 'train on a seeded subset of n samples (quick runs)', positiveInt('--limit'))
    .option('--minutes <m>', 'stop at this wall time and keep the model', finiteNumber('--minutes'))
    .option('--checkpoint-every <n>', 'epochs between checkpoints in DIR/checkpoint', positiveInt('--checkpoint-every'))
    .action(async (model: string, flags) => {
      const { train } = await import('./train.js');
      await train(ctx, model, flags);
    });

  program
    .command('attack')
    .description('attack a classifier on MNIST test digits and report the accuracy drop (picture with --out)')
    .argument('<method>', 'fgsm | bim | pgd | mi-fgsm | cw-l2 | deepfool | jsma | simba | square | hop-skip-jump')
    .option('--model <dir>', 'model directory (default: the shipped mnist-cnn)')
    .option('--eps <x>', 'perturbation budget', finiteNumber('--eps'), 0.2)
    .option('--norm <norm>', 'linf or l2', 'linf')
    .option('--steps <n>', 'iterations of iterative attacks', positiveInt('--steps'))
    .option('--target <class>', 'targeted attack towards this class (default: untargeted)', finiteNumber('--target'))
    .option('--n <n>', 'number of test digits', positiveInt('--n'), 100)
    .option('--max-queries <n>', 'query budget of black-box attacks', positiveInt('--max-queries'))
    .action(async (method: string, flags) => {
      const { attack } = await import('./attack.js');
      await attack(ctx, method, flags);
    });

  program
    .command('eval')
    .description('accuracy and confusion matrix of an MNIST classifier on the test digits')
    .argument('[model-dir]', 'model directory (default: the shipped mnist-cnn)')
    .option('--n <n>', 'evaluate on the first n test digits', positiveInt('--n'))
    .action(async (dir: string | undefined, flags) => {
      const { evaluate } = await import('./eval.js');
      await evaluate(ctx, dir, flags);
    });

  program
    .command('generate')
    .description('GAN samples as a PNG grid, or latent interpolations (--interpolate STEPS), into --out DIR')
    .option('--model <dir>', 'generator directory (default: the shipped mnist-dcgan-generator)')
    .option('--n <n>', 'number of images', positiveInt('--n'), 64)
    .option('--cols <n>', 'grid columns', positiveInt('--cols'))
    .option('--interpolate <steps>', 'rows of STEPS images walking between two latent points', positiveInt('--interpolate'))
    .option('--scale <n>', 'pixel magnification', positiveInt('--scale'), 2)
    .action(async (flags) => {
      const { generate } = await import('./generate.js');
      await generate(ctx, flags);
    });

  program
    .command('bench')
    .description('speed of lanes against tfjs-backend-wasm and tfjs-backend-cpu (the core benchmark)')
    .allowUnknownOption()
    .argument('[args...]', 'benchmark arguments: --only TEXT, --backends IDS, --no-write')
    .action(async (args: string[]) => {
      const { bench } = await import('./bench.js');
      await bench(ctx, args);
    });
}
