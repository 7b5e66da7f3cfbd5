import { Command, CommanderError } from 'commander';
import { reexecWithRelaxedSimd } from './relaxed_simd.js';

if (!reexecWithRelaxedSimd()) await main(process.argv);

async function main(argv: string[]): Promise<void> {
  const program = new Command('lanes')
    .description('Train, evaluate, attack and benchmark neural networks on the Lanes WebAssembly SIMD backend')
    .option('--json', 'machine-readable results on stdout')
    .option('--verbose', 'show stack traces on errors')
    .exitOverride();

  program
    .command('info')
    .description('backend, kernel build, threads, memory and versions')
    .action(async () => {
      const { info, formatInfo } = await import('./commands/info.js');
      const report = await info();
      console.log(program.opts().json ? JSON.stringify(report) : formatInfo(report));
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    const e = err as Error;
    console.error(`lanes: ${e.message}`);
    if (program.opts().verbose) console.error(e.stack);
    process.exit(1);
  }
}
