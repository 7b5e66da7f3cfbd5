// `pnpm bench`: 'lanes' (one thread, all threads, and plain SIMD on one thread) beside
// tfjs-backend-wasm, tfjs-backend-cpu and onnxruntime-web (1 and all threads), each case in
// fresh processes, on the cases of bench/cases.mjs (ops, recurrent layers, whole networks), plus
// the f32x4 peak and the memory bandwidth of this machine as the limits. Prints a table, writes
// bench/results.json and refreshes the performance table in the root README.md (between
// <!-- bench:start/end -->); a partial run (--cases, --only, --backends) writes neither.
//
//   node bench/run.mjs [--cases matmul-512,mobilenetv2,...] [--only <text>] [--no-write] [--list]
//                      [--report: re-render the README table and targets from results.json]
//                      [--backends lanes-1t,lanes-nt,lanes-simd-1t,tfjs-wasm,tfjs-cpu,ort-1t,ort-nt]
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
