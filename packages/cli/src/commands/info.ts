import * as tf from '@tensorflow/tfjs-core';
import { relaxedSimdNote } from '../relaxed_simd.js';
import type { BackendReport } from '../runtime.js';

/** What `lanes info` reports. */
export interface InfoReport {
  backend: string;
  /** Kernel build ('relaxed-simd' | 'simd' | 'scalar' on lanes), threads, shared memory. */
  lanes: { build: string; threads: number; sharedMemory?: boolean };
  relaxedSimd: string;
  memory: { numTensors: number; numBytes: number; wasmMemoryBytes?: number };
  versions: { node: string; tfjsCore: string; cli: string };
}

/** Describes the runtime of the backend already set up by the global flags. */
export async function info(b: BackendReport, cliVersion: string): Promise<InfoReport> {
  let build: InfoReport['lanes'] = { build: b.build, threads: b.threads };
  if (b.backend === 'lanes') build = (await import('@lanes/core')).getBuildInfo();
  const mem = tf.memory() as tf.MemoryInfo & { wasmMemoryBytes?: number };
  return {
    backend: tf.getBackend(),
    lanes: build,
    relaxedSimd: relaxedSimdNote(),
    memory: { numTensors: mem.numTensors, numBytes: mem.numBytes, wasmMemoryBytes: mem.wasmMemoryBytes },
    versions: { node: process.versions.node, tfjsCore: tf.version_core, cli: cliVersion },
  };
}

/** Human-readable form of the report. */
export function formatInfo(r: InfoReport): string {
  return [
    `backend        ${r.backend}`,
    `build          ${r.lanes.build}`,
    `threads        ${r.lanes.threads}${r.lanes.sharedMemory ? ' (shared memory)' : ''}`,
    `relaxed SIMD   ${r.relaxedSimd}`,
    ...(r.memory.wasmMemoryBytes !== undefined
      ? [`wasm memory    ${(r.memory.wasmMemoryBytes / 2 ** 20).toFixed(1)} MiB`]
      : []),
    `node           ${r.versions.node}`,
    `tfjs-core      ${r.versions.tfjsCore}`,
    `@lanes/cli     ${r.versions.cli}`,
  ].join('\n');
}
