import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FLAG = '--experimental-wasm-relaxed-simd';
/** Signals passed on to the re-run Node, so `kill -INT <pid>` reaches the process doing the work. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Node 20 validates relaxed SIMD only behind a flag. When it is absent, run this same command
 * again in a child Node with the flag (stdio shared, signals forwarded, exit code passed back)
 * and report whether we did. Returns false in the process that should do the work.
 */
export function reexecWithRelaxedSimd(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20 || process.execArgv.includes(FLAG) || process.env.LANES_NO_REEXEC) return false;
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LANES_RELAXED_REEXEC: '1' },
  });
  // A Ctrl-C in a terminal reaches both processes (one process group), a `kill` only this one:
  // forward either way; the child treats a second SIGINT within a second as the same one.
  for (const sig of FORWARDED) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    console.error(
      `lanes: cannot re-run Node with ${FLAG}: ${e.message} — set LANES_NO_REEXEC=1 to run without relaxed SIMD`,
    );
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
  return true;
}

/** Whether this process was started with relaxed SIMD turned on by the re-exec above. */
export function relaxedSimdNote(): string {
  if (process.env.LANES_RELAXED_REEXEC) return `relaxed SIMD enabled (re-ran Node with ${FLAG})`;
  if (process.execArgv.includes(FLAG)) return `relaxed SIMD enabled (${FLAG} given)`;
  return 'relaxed SIMD not requested';
}
