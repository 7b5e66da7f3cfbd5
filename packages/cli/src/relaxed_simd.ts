import { spawnSync } from 'node:child_process';

const FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Node 20 validates relaxed SIMD only behind a flag. When it is absent, run this same command
 * again in a child Node with the flag (stdio shared, exit code forwarded) and report whether
 * we did. Returns false in the process that should do the work.
 */
export function reexecWithRelaxedSimd(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20 || process.execArgv.includes(FLAG) || process.env.LANES_NO_REEXEC) return false;
  const r = spawnSync(process.execPath, [FLAG, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LANES_RELAXED_REEXEC: '1' },
  });
  process.exit(r.status ?? (r.signal ? 1 : 0));
}

/** Whether this process was started with relaxed SIMD turned on by the re-exec above. */
export function relaxedSimdNote(): string {
  if (process.env.LANES_RELAXED_REEXEC) return `relaxed SIMD enabled (re-ran Node with ${FLAG})`;
  if (process.execArgv.includes(FLAG)) return `relaxed SIMD enabled (${FLAG} given)`;
  return 'relaxed SIMD not requested';
}
