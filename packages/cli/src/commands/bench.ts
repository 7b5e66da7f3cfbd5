/** `lanes bench`: runs @lanes/core's benchmark entry (bench/run.mjs) when the package ships one. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import type { CommandContext } from './context.js';

function corePackageRoot(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@lanes/core'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * Spawns the benchmark with the same Node flags and the arguments after `bench` (its own:
 * --only TEXT, --backends IDS, --no-write). It measures fixed thread counts and prints a table,
 * so the global --json/--threads/--backend do not apply: say so rather than ignore them.
 */
export async function bench(ctx: CommandContext, args: string[]): Promise<void> {
  const script = join(corePackageRoot(), 'bench', 'run.mjs');
  if (!existsSync(script)) {
    throw new CliError(
      'this @lanes/core has no runnable benchmark (bench/run.mjs is missing)',
      'update the repository (the speed work adds it), then run `lanes bench` again',
    );
  }
  const g = ctx.globals();
  if (g.json || g.threads || g.backend !== 'lanes') {
    throw new CliError(
      'bench compares every backend at fixed thread counts and prints a table: --json, --threads and --backend do not apply',
      'use `lanes bench [--only TEXT] [--backends lanes-1t,tfjs-wasm,...] [--no-write]`; results land in packages/core/bench/results.json',
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
