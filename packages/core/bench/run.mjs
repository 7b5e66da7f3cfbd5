// `pnpm bench`: 'lanes' (one thread, all threads, and plain SIMD on one thread) beside
// tfjs-backend-wasm and tfjs-backend-cpu, in one process, on the cases of bench/cases.mjs, plus
// the f32x4 peak of this machine as the limit. Prints a table, writes bench/results.json and
// refreshes the performance table in the root README.md (between <!-- bench:start/end -->).
//
//   node bench/run.mjs [--only <text>] [--backends lanes-1t,tfjs-wasm,...] [--no-write]
//
// Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd: without it the
// script re-runs itself with the flag (tfjs-backend-wasm does not use relaxed SIMD either way).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measurePeak, peakModuleBytes } from './peak.mjs';

const FLAG = '--experimental-wasm-relaxed-simd';
if (!WebAssembly.validate(peakModuleBytes(true)) && !process.execArgv.includes(FLAG)) {
  const r = spawnSync(
    process.execPath,
    [FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

const { main } = await import('./main.mjs');
await main(process.argv.slice(2), { measurePeak });
