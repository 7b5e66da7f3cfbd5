import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { CliError, nonNegativeInt, positiveInt } from './errors.js';
import { reexecWithRelaxedSimd } from './relaxed_simd.js';
import { BACKENDS, setupBackend, type GlobalOptions } from './runtime.js';
import { registerCommands } from './commands/index.js';

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

if (!reexecWithRelaxedSimd()) await main(process.argv);

async function main(argv: string[]): Promise<void> {
  const program = new Command('lanes')
    .description('Train, evaluate, attack and benchmark neural networks on the Lanes WebAssembly SIMD backend')
    .version(VERSION)
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKENDS).default('lanes'))
    .option('--threads <n>', 'threads for lanes/wasm kernels (default: available cores)', positiveInt('--threads'))
    .option('--seed <n>', 'seed of everything random', nonNegativeInt('--seed'), 0)
    .option('--json', 'machine-readable results on stdout')
    .option('--out <dir>', 'directory for output files (models, pictures)')
    .option('--verbose', 'show stack traces on errors')
    .exitOverride()
    // One line: what is wrong (commander's message) and where the usage is.
    .configureOutput({
      outputError: (s, write) =>
        write(s.startsWith('error: ') ? `lanes: ${s.slice(7).trimEnd()} — see lanes --help\n` : s),
    });

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerCommands(program, { globals, setup: () => setupBackend(globals()), version: VERSION });

  let code = 0;
  try {
    await program.parseAsync(argv);
  } catch (err) {
    code = report(err, argv.includes('--verbose'));
  }
  // Worker threads of the lanes/wasm backends would keep Node alive: leave explicitly.
  process.exit(code);
}

/** Prints an error as one line (plus the stack with --verbose) and returns the exit code. */
function report(err: unknown, verbose: boolean): number {
  // Commander already printed it. A value outside an option's fixed set is bad input (1); other usage errors 2.
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : err.code === 'commander.invalidArgument' ? 1 : 2;
  if (err instanceof CliError) {
    console.error(`lanes: ${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
    if (verbose) console.error(err.stack);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`lanes: ${e.message.split('\n')[0]}${verbose ? '' : ' (run with --verbose for details)'}`);
  if (verbose) console.error(e.stack);
  return 1;
}
