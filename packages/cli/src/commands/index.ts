/** Registers every command on the program. Each command imports its heavy modules lazily. */
import { Argument, Option, type Command } from 'commander';
import { ATTACK_NAMES, CATALOG, flagOf, RECIPE_NAMES } from '../catalog.js';
import { CliError, finiteNumber, nonNegativeInt, positiveInt } from '../errors.js';
import type { CommandContext } from './context.js';

/** Prints a result: JSON on stdout with --json, else the human-readable text. */
function emit(ctx: CommandContext, json: unknown, text: () => string): void {
  console.log(ctx.globals().json ? JSON.stringify(json) : text());
}

/** Parses `0,0.05,0.1` into budgets ≥ 0. */
function epsList(value: string): number[] {
  const eps = value.split(',').map((v) => Number(v.trim()));
  if (!value.trim() || eps.some((e) => !Number.isFinite(e) || e < 0)) {
    throw new CliError(`--eps expects comma-separated budgets ≥ 0, got '${value}'`, 'e.g. --eps 0,0.1,0.2,0.3', 2);
  }
  return eps;
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

  const train = program
    .command('train')
    .description("train a model of the registry (the shipped models' recipes) into --out DIR")
    .addArgument(new Argument('<model>', 'the model to train').choices(RECIPE_NAMES))
    .option('--epochs <n>', 'epochs (recipe default otherwise)', positiveInt('--epochs'))
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'))
    .option('--learning-rate <x>', '(peak) learning rate (recipe default otherwise)', finiteNumber('--learning-rate'))
    .option('--limit <n>', 'train on a seeded subset of n samples (quick runs)', positiveInt('--limit'))
    .option('--minutes <m>', 'stop at this wall time and keep the model', finiteNumber('--minutes'))
    .option(
      '--checkpoint-every <n>',
      'epochs between checkpoints in DIR/checkpoint',
      positiveInt('--checkpoint-every'),
    );
  // Each recipe's own settings, typed by the registry (a setting of another recipe is refused in train.ts).
  const seen = new Set<string>();
  for (const recipe of CATALOG.recipes) {
    for (const [key, spec] of Object.entries(recipe.settings)) {
      if (seen.has(key)) continue;
      seen.add(key);
      // One line per distinct meaning: recipes may document (and default) a shared setting differently.
      const meanings = new Map<string, string[]>();
      for (const r of CATALOG.recipes.filter((r) => key in r.settings)) {
        const s = r.settings[key];
        const text = `${s.description}${s.default !== undefined && s.type !== 'boolean' ? ` (default ${s.default})` : ''}`;
        meanings.set(text, [...(meanings.get(text) ?? []), r.name]);
      }
      const help = [...meanings].map(([text, owners]) => `${owners.join(', ')}: ${text}`).join('; ');
      const flag = flagOf(key);
      const option =
        spec.type === 'boolean'
          ? new Option(flag, help)
          : spec.type === 'choice'
            ? new Option(`${flag} <name>`, help).choices(spec.choices ?? [])
            : new Option(`${flag} <${spec.type === 'integer' ? 'n' : 'x'}>`, help).argParser(
                spec.type === 'integer'
                  ? spec.min === 0
                    ? nonNegativeInt(flag)
                    : positiveInt(flag)
                  : finiteNumber(flag),
              );
      train.addOption(option);
    }
  }
  train.action(async (model: string, flags) => {
    const { train: run } = await import('./train.js');
    await run(ctx, model, flags);
  });

  program
    .command('attack')
    .description('attack a classifier on MNIST test digits and report the accuracy drop (picture with --out)')
    .addArgument(
      new Argument(
        '<method>',
        CATALOG.attacks.map((a) => `${a.name}: ${a.title} (${a.access}) — ${a.summary}`).join('\n'),
      ).choices(ATTACK_NAMES),
    )
    .option(
      '--model <dir>',
      'model directory, Keras .keras/.h5 file or shipped name, e.g. mnist-cnn-robust (default: the shipped mnist-cnn)',
    )
    .option('--eps <x>', `${CATALOG.attackParams.eps.description} (default 0.2)`, finiteNumber('--eps'))
    .addOption(
      new Option('--norm <norm>', `${CATALOG.attackParams.norm.description} (default: the attack's first)`).choices(
        CATALOG.attackParams.norm.choices ?? [],
      ),
    )
    .option('--steps <n>', CATALOG.attackParams.steps.description, positiveInt('--steps'))
    .option('--target <class>', 'targeted attack towards this class (default: untargeted)', finiteNumber('--target'))
    .option('--n <n>', 'number of test digits', positiveInt('--n'), 100)
    .option('--max-queries <n>', CATALOG.attackParams.maxQueries.description, positiveInt('--max-queries'))
    .option('--image <file...>', 'attack these pictures (PNG, JPEG or WebP of a digit) instead of test digits')
    .option(
      '--label <class>',
      "true class of the --image pictures (default: the model's prediction)",
      finiteNumber('--label'),
    )
    .option('--robust-model', 'attack the shipped mnist-cnn-robust instead of mnist-cnn')
    .action(async (method: string, flags) => {
      const { attack } = await import('./attack.js');
      await attack(ctx, method, flags);
    });

  program
    .command('eval')
    .description(
      'accuracy and confusion matrix of an MNIST classifier on the test digits; classes of pictures (--image); robust accuracy vs ε with a chart (--robust)',
    )
    .argument('[model-dir]', 'model directory, Keras .keras/.h5 file or shipped name (default: the shipped mnist-cnn)')
    .option('--n <n>', 'evaluate on the first n test digits (default: all; 500 with --robust)', positiveInt('--n'))
    .option('--probabilities', "also print each digit's class probabilities")
    .option(
      '--image <file...>',
      'classify these pictures (PNG, JPEG or WebP of a digit; inverted if dark on light, centred by mass in 28×28)',
    )
    .option('--robust', 'robust accuracy against an attack at each --eps, charted in --out DIR (default .)')
    .option('--eps <list>', 'comma-separated L∞ budgets for --robust (default 0,0.05,0.1,0.15,0.2,0.25,0.3)', epsList)
    .addOption(
      new Option('--attack <name>', 'white-box budget attack of the --robust curve')
        .choices(CATALOG.attacks.filter((a) => a.kind === 'budget' && a.access === 'white-box').map((a) => a.name))
        .default('pgd'),
    )
    .option('--steps <n>', 'PGD steps of the --robust curve', positiveInt('--steps'), 10)
    .option('--robust-model', 'evaluate the shipped mnist-cnn-robust instead of mnist-cnn')
    .option(
      '--compare <model>',
      'with --robust: a second model (directory, .keras/.h5 file or shipped name) on the same chart',
    )
    .action(async (dir: string | undefined, flags) => {
      const { evaluate } = await import('./eval.js');
      await evaluate(ctx, dir, flags);
    });

  program
    .command('generate')
    .description(
      'GAN samples as a PNG grid, latent interpolations (--interpolate STEPS), one row per latent code (--by-code) or --n samples of one digit (--digit D), into --out DIR',
    )
    .option(
      '--model <dir>',
      'generator directory or Keras .keras/.h5 file (default: the shipped mnist-dcgan-generator)',
    )
    .option('--n <n>', 'number of images', positiveInt('--n'), 64)
    .option('--cols <n>', 'grid columns', positiveInt('--cols'))
    .option(
      '--interpolate <steps>',
      'rows of STEPS images walking between two latent points',
      positiveInt('--interpolate'),
    )
    .option('--by-code', 'one row of --cols (default 10) images per latent code')
    .option('--digit <class>', 'only this digit (a generator whose codes were trained on labels, like the shipped one)')
    .option('--scale <n>', 'pixel magnification', positiveInt('--scale'), 2)
    .action(async (flags) => {
      const { generate } = await import('./generate.js');
      await generate(ctx, flags);
    });

  program
    .command('poison')
    .description(
      'train the mnist-cnn recipe on poisoned data (BadNets backdoor or flipped labels) into --out DIR; clean accuracy, attack success, picture',
    )
    .addArgument(new Argument('<kind>', 'the poisoning').choices(['backdoor', 'label-flip']))
    .option(
      '--fraction <x>',
      'share of the training digits poisoned (backdoor: default 0.05; label-flip: of the --source class or of all, default 0.3)',
      finiteNumber('--fraction'),
    )
    .option(
      '--target <class>',
      'class the poisoning aims at (backdoor default 0; label-flip default: random wrong classes)',
      finiteNumber('--target'),
    )
    .option('--source <class>', 'label-flip: flip only digits of this class', finiteNumber('--source'))
    .option('--limit <n>', 'train on a seeded class-balanced subset of n digits', positiveInt('--limit'), 10000)
    .option('--epochs <n>', 'epochs', positiveInt('--epochs'), 3)
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'))
    .option('--n <n>', 'test digits measured', positiveInt('--n'), 2000)
    .option(
      '--trigger-size <n>',
      'backdoor: side of the white square in the bottom-right corner',
      positiveInt('--trigger-size'),
      4,
    )
    .option('--no-baseline', 'skip measuring the shipped clean mnist-cnn the same way')
    .action(async (kind: string, flags) => {
      const { poison } = await import('./poison.js');
      await poison(ctx, kind, flags);
    });

  program
    .command('convert')
    .description(
      'convert a model between Keras (.keras, .h5) and tfjs (model.json + weights.bin); --json reports its layers and shapes',
    )
    .argument('<in>', 'a .keras or .h5 file (told by its bytes), a tfjs model directory or a shipped model name')
    .argument(
      '<out>',
      'NAME.keras writes a Keras 3 file (for keras.saving.load_model); any other name a tfjs directory',
    )
    .action(async (input: string, output: string) => {
      const { convert } = await import('./convert.js');
      await convert(ctx, input, output);
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
