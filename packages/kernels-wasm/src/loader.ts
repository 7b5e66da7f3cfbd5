import { probes } from './generated/probes.js';
import type { KernelExports } from './kernels.js';
import { readWasm, wasmUrl, type WasmKey } from './wasm_files.js';

/** Which instruction set a module was compiled for. */
export type BuildName = 'relaxed-simd' | 'simd' | 'scalar';

/** Build preference, fastest first. */
export const BUILD_ORDER: readonly BuildName[] = ['relaxed-simd', 'simd', 'scalar'];

const probeValid = new Map<string, boolean>();
const bytesCache = new Map<string, Promise<Uint8Array>>();

function decode(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The wasm bytes of one build, for a shared or a plain memory (read or fetched once, on first use). */
export function kernelBytes(build: BuildName, shared: boolean): Promise<Uint8Array> {
  const key: WasmKey = `${build}-${shared ? 'shared' : 'plain'}`;
  let bytes = bytesCache.get(key);
  if (!bytes) {
    bytes = readWasm(wasmUrl(key));
    bytesCache.set(key, bytes);
    bytes.catch(() => bytesCache.delete(key));
  }
  return bytes;
}

/**
 * Whether this runtime can run the given build (shared-memory variants also need threads): validates
 * a probe compiled with the build's flags, so no build is downloaded to be rejected.
 */
export function supportsBuild(build: BuildName, shared: boolean): boolean {
  const key = `${build}-${shared ? 'shared' : 'plain'}` as const;
  let ok = probeValid.get(key);
  if (ok === undefined) {
    try {
      ok = WebAssembly.validate(decode(probes[key]) as BufferSource);
    } catch {
      ok = false;
    }
    probeValid.set(key, ok);
  }
  return ok;
}

/** The fastest build this runtime validates, or `preferred` when given and supported. */
export function pickBuild(shared: boolean, preferred?: BuildName): BuildName {
  if (preferred && supportsBuild(preferred, shared)) return preferred;
  for (const b of BUILD_ORDER) if (supportsBuild(b, shared)) return b;
  throw new Error('This WebAssembly runtime validates none of the Lanes kernel builds (relaxed-simd, simd, scalar).');
}

/** Whether a memory is backed by a SharedArrayBuffer. */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** Compiles a build asynchronously (browsers forbid large synchronous compiles on the main thread). */
export async function compileKernels(build: BuildName, shared: boolean): Promise<WebAssembly.Module> {
  return WebAssembly.compile((await kernelBytes(build, shared)) as BufferSource);
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(_msg: number, _file: number, line: number, col: number): never {
        throw new Error(`Lanes kernel aborted at ${line}:${col}`);
      },
    },
  };
}

/** Instantiates a compiled kernel module on a memory; synchronous, for workers and Node. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, imports(memory)).exports as unknown as KernelExports;
}

/** Picks the fastest supported build for this memory, then compiles and instantiates it asynchronously. */
export async function loadKernels(
  memory: WebAssembly.Memory,
  preferred?: BuildName,
): Promise<{ build: BuildName; module: WebAssembly.Module; exports: KernelExports }> {
  const shared = isSharedMemory(memory);
  const build = pickBuild(shared, preferred);
  const module = await compileKernels(build, shared);
  const instance = await WebAssembly.instantiate(module, imports(memory));
  return { build, module, exports: instance.exports as unknown as KernelExports };
}
