import { isSharedMemory, type KernelExports, type KernelName } from '@lanes/kernels-wasm';

type KernelFn = (...args: number[]) => void;

/**
 * Runs kernels over an output range. This version runs everything on the calling thread;
 * the worker pool over shared memory plugs in behind the same `run`.
 */
export class ThreadPool {
  private constructor(
    private readonly exports: KernelExports,
    readonly shared: boolean,
    readonly threads: number,
  ) {}

  static async create(
    _module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    exports: KernelExports,
    _threads?: number,
  ): Promise<ThreadPool> {
    return new ThreadPool(exports, isSharedMemory(memory), 1);
  }

  /** Calls `name(...args, begin, end)` so that [0, total) is covered exactly once. */
  run(name: KernelName, args: number[], total: number, _costPerItem = 1): void {
    if (total <= 0) return;
    (this.exports[name] as unknown as KernelFn)(...args, 0, total);
  }

  terminate(): void {}
}
