/** `lanes bench`: runs the benchmark this package ships (bench/run.mjs, a copy of @lanes/core's). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import type { CommandContext } from './context.js';

/** This package's bench/run.mjs (dist/main.js sits one folder below the package root). */
function benchScript(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'run.mjs');
}

/**
 * Spawns the benchmark with the same Node flags and the arguments after `bench` (its own:
 * --only TEXT, --backends IDS, --no-write). It measures fixed thread counts and prints a table,
 * so the global --json/--threads/--backend do not apply: say so rather than ignore them.
 */
export async function bench(ctx: CommandContext, args: string[]): Promise<void> {
  const script = benchScript();
  if (!existsSync(script)) {
    throw new CliError(
      `this @lanes/cli has no benchmark (${script} is missing)`,
      'reinstall @lanes/cli, or in the repository run `pnpm build`',
    );
  }
  const g = ctx.globals();
  if (g.json || g.threads || g.backend !== 'lanes') {
    throw new CliError(
      'bench compares every backend at fixed thread counts and prints a table: --json, --threads and --backend do not apply',
      'use `lanes bench [--only TEXT] [--backends lanes-1t,tfjs-wasm,...] [--no-write]`; it prints its table (in the repository, `pnpm bench` also writes packages/core/bench/results.json)',
      2,
    );
  }
  const r = spawnSync(process.execPath, [...process.execArgv, script, ...args], { stdio: 'inherit' });
  if (r.status !== 0)
    throw new CliError(
      `the benchmark failed (exit ${r.status ?? r.signal})`,
      'run it with --verbose, or directly: node ' + script,
    );
}
