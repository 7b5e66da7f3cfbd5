import * as tf from '@tensorflow/tfjs-core';
import { getBuildInfo, type BuildInfo } from '@lanes/core';
import { relaxedSimdNote } from '../relaxed_simd.js';

/** What `lanes info` reports. */
export interface InfoReport {
  backend: string;
  lanes: BuildInfo;
  relaxedSimd: string;
  memory: { numTensors: number; numBytes: number; wasmMemoryBytes?: number };
  versions: { node: string; tfjsCore: string };
}

/** Initialises 'lanes' and describes the runtime. */
export async function info(): Promise<InfoReport> {
  await tf.setBackend('lanes');
  const mem = tf.memory() as tf.MemoryInfo & { wasmMemoryBytes?: number };
  return {
    backend: tf.getBackend(),
    lanes: getBuildInfo(),
    relaxedSimd: relaxedSimdNote(),
    memory: { numTensors: mem.numTensors, numBytes: mem.numBytes, wasmMemoryBytes: mem.wasmMemoryBytes },
    versions: { node: process.versions.node, tfjsCore: tf.version_core },
  };
}

/** Human-readable form of the report. */
export function formatInfo(r: InfoReport): string {
  return [
    `backend        ${r.backend}`,
    `build          ${r.lanes.build}`,
    `threads        ${r.lanes.threads}${r.lanes.sharedMemory ? ' (shared memory)' : ''}`,
    `relaxed SIMD   ${r.relaxedSimd}`,
    `wasm memory    ${((r.memory.wasmMemoryBytes ?? 0) / 2 ** 20).toFixed(1)} MiB`,
    `node           ${r.versions.node}`,
    `tfjs-core      ${r.versions.tfjsCore}`,
  ].join('\n');
}
