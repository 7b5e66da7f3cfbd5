/** Registers every command on the program. Each command imports its heavy modules lazily. */
import type { Command } from 'commander';
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
    .command('bench')
    .description('speed of lanes against tfjs-backend-wasm and tfjs-backend-cpu (the core benchmark)')
    .allowUnknownOption()
    .argument('[args...]', 'arguments passed to the benchmark')
    .action(async (args: string[]) => {
      const { bench } = await import('./bench.js');
      await bench(ctx, args);
    });
}
