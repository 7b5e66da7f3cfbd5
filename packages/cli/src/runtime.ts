/** The global flags every command shares, and the tfjs backend they select. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';
import { CliError } from './errors.js';

/** Backends the CLI can run on. */
export const BACKENDS = ['lanes', 'wasm', 'cpu'] as const;
/** One of {@link BACKENDS}. */
type BackendName = (typeof BACKENDS)[number];

/** Options on the `lanes` program, valid before or after the command name. */
export interface GlobalOptions {
  backend: BackendName;
  threads?: number;
  seed: number;
  json?: boolean;
  out?: string;
  verbose?: boolean;
}

/** What {@link setupBackend} reports. */
export interface BackendReport {
  backend: BackendName;
  threads: number;
  /** Kernel build: lanes' chosen wasm build, tfjs-backend-wasm's flavour, or 'js'. */
  build: string;
}

/** Directory holding tfjs-backend-wasm's .wasm files (users should not have to locate them). */
function tfjsWasmDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/** Loads, configures and selects the backend named by the global flags. */
export async function setupBackend(
  opts: Pick<GlobalOptions, 'backend' | 'threads' | 'verbose'>,
): Promise<BackendReport> {
  // Imported here, not at the top: --help and usage errors should not pay for loading tfjs.
  const tf = await import('@tensorflow/tfjs-core');
  // tfjs's console warnings (e.g. the cpu backend's "install tfjs-node" banner) only with --verbose;
  // in tfjs-core 4.22 the PROD flag mutes warnings and changes nothing else.
  if (!opts.verbose) tf.env().set('PROD', true);
  const name = opts.backend;
  if (name === 'lanes') {
    const core = await import('@lanes/core');
    if (opts.threads !== undefined) await core.setThreadsCount(opts.threads);
    await select(tf, name);
    const b = core.getBuildInfo();
    return { backend: name, threads: b.threads, build: b.build };
  }
  if (name === 'wasm') {
    // Importing @lanes/core still registers tfjs-core's gradients and chained ops training needs.
    await import('@lanes/core');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(tfjsWasmDir());
    if (opts.threads !== undefined) wasm.setThreadsCount(opts.threads);
    await select(tf, name);
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return {
      backend: name,
      threads: mt ? wasm.getThreadsCount() : 1,
      build: `${mt ? 'threaded-' : ''}${simd ? 'simd' : 'plain'}`,
    };
  }
  await import('@lanes/core');
  await import('@tensorflow/tfjs-backend-cpu');
  await select(tf, name);
  return { backend: name, threads: 1, build: 'js' };
}

async function select(tf: typeof TF, name: BackendName): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    throw new CliError(
      `the '${name}' backend failed to start: ${(e as Error).message}`,
      'try another --backend (lanes, wasm or cpu)',
    );
  }
  if (!ok)
    throw new CliError(
      `the '${name}' backend failed to start`,
      'try another --backend (lanes, wasm or cpu); --verbose shows why',
    );
}
