// What differs between Node and browsers: how a worker starts, how many cores there are, and
// whether this thread may block in Atomics.wait (a browser's main thread may not).
import { NODE_WORKER_SOURCE, WEB_WORKER_SOURCE } from './worker_source.js';

/** A started worker, whichever the platform. */
export interface WorkerHandle {
  post(message: unknown): void;
  /** Called with each message the worker posts. */
  onMessage(cb: (message: unknown) => void): void;
  /** Called once when the worker errs or exits (a Web Worker reports errors only). */
  onGone(cb: (reason: string) => void): void;
  /** Lets the process exit while the worker lives (Node); no-op in browsers. */
  unref(): void;
  terminate(): void;
}

interface NodeWorker {
  on(event: 'message', cb: (m: unknown) => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  on(event: 'exit', cb: (code: number) => void): void;
  postMessage(m: unknown): void;
  terminate(): Promise<number>;
  unref(): void;
}
interface NodeWorkerThreads {
  Worker: new (src: string, opts: { eval: boolean; name?: string }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): unknown[];
}
interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node !== undefined ? p : undefined;
}

/** Loads a Node built-in without a static import, so browser bundles never see one. */
async function nodeBuiltin<T>(id: string): Promise<T> {
  const p = nodeProcess()!;
  if (p.getBuiltinModule) return p.getBuiltinModule(id) as T;
  const name = `node:${id}`;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as T;
}

/** Available cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export async function availableCores(): Promise<number> {
  if (nodeProcess()) {
    const os = await nodeBuiltin<NodeOs>('os');
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** Whether this thread may block in Atomics.wait (not on a browser's main thread). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

let webWorkerUrl: string | undefined;

/** Starts one worker running the kernel-serving program, or throws when this platform has none. */
export async function spawnWorker(index: number): Promise<WorkerHandle> {
  if (nodeProcess()) {
    const { Worker } = await nodeBuiltin<NodeWorkerThreads>('worker_threads');
    const w = new Worker(NODE_WORKER_SOURCE, { eval: true, name: `lanes-${index}` });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (cb) => w.on('message', cb),
      onGone: (cb) => {
        w.on('error', (e) => cb(`error: ${e.message}`));
        w.on('exit', (code) => cb(`exited with code ${code}`));
      },
      unref: () => w.unref(),
      terminate: () => void w.terminate(),
    };
  }
  if (typeof Worker === 'undefined') throw new Error('no Worker constructor in this environment');
  webWorkerUrl ??= URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(webWorkerUrl, { name: `lanes-${index}` });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (cb) => {
      w.onmessage = (e) => cb(e.data);
    },
    onGone: (cb) => {
      w.onerror = (e) => cb(`error: ${e.message}`);
    },
    unref: () => {},
    terminate: () => w.terminate(),
  };
}

/** The default thread count, synchronously: available cores where the platform says, else 1. */
export function defaultThreads(): number {
  const p = nodeProcess();
  if (p) {
    const os = p.getBuiltinModule?.('os') as NodeOs | undefined;
    return os ? Math.max(1, os.availableParallelism?.() ?? os.cpus().length) : 1;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}
