// Parallel-for over output ranges on a shared wasm memory. The calling thread publishes a job in
// a control block, wakes the workers, claims chunks like any worker and returns once every chunk
// is done: kernels stay synchronous, as tfjs expects. Chunks are claimed one at a time by
// compare-and-swap, so a worker that is slow, idle or dead never holds up the others; a kernel
// only splits its *output* range, so results do not depend on how many threads took part.
import { isSharedMemory, type KernelExports, type KernelName } from '@lanes/kernels-wasm';
import * as C from './control.js';
import { availableCores, canBlock, spawnWorker, type WorkerHandle } from './platform.js';
import type { WorkerFault } from './worker_source.js';

export type { WorkerFault } from './worker_source.js';

type KernelFn = (...args: number[]) => void;

/** Work (items × cost per item) below which a kernel runs on the calling thread alone. */
export const MIN_PARALLEL_WORK = 1 << 17;
/** Smallest work worth a chunk of its own. */
const MIN_CHUNK_WORK = 1 << 15;
/** Chunks per thread: a few, so a thread that starts late or runs slow is evened out. */
const CHUNKS_PER_THREAD = 4;
/** Caller spins (Atomics.load polls) before it sleeps on the join. */
const JOIN_SPINS = 1 << 14;

/** Tuning and fault injection for `ThreadPool.create`; defaults suit production. */
export interface PoolOptions {
  /** Faults for workers by index (tests of the recovery paths). */
  faults?: Array<WorkerFault | undefined>;
  /** A job that makes no progress this long takes back chunks from the workers holding them. */
  stallMs?: number;
  /** A worker not ready after this long is dropped. */
  startTimeoutMs?: number;
}

type WorkerStatus = 'starting' | 'ready' | 'dead';

interface WorkerSlot {
  index: number;
  handle?: WorkerHandle;
  status: WorkerStatus;
  enabled: boolean;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Runs kernels over an output range on the calling thread plus the pool's workers. */
export class ThreadPool {
  private readonly ctl?: Int32Array;
  private readonly argv?: Float64Array;
  private readonly kernelIndex = new Map<string, number>();
  private readonly slots: WorkerSlot[] = [];
  private readonly block = canBlock();
  private wanted = 1;

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly exports: KernelExports,
    /** Whether the memory is shared, which threads require. */
    readonly shared: boolean,
    private readonly options: PoolOptions,
  ) {
    if (shared) {
      const control = new SharedArrayBuffer(C.CONTROL_BYTES);
      this.ctl = new Int32Array(control);
      this.argv = new Float64Array(control, C.ARGS_BYTE, C.MAX_ARGS);
    }
    Object.keys(exports).forEach((name, i) => this.kernelIndex.set(name, i));
  }

  /**
   * Starts a pool of `threads` threads (default: available cores): the caller plus `threads - 1`
   * workers, each instantiating `module` on `memory`. Without shared memory there is one thread.
   * Workers that fail to start are left out.
   */
  static async create(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    exports: KernelExports,
    threads?: number,
    options: PoolOptions = {},
  ): Promise<ThreadPool> {
    const pool = new ThreadPool(module, memory, exports, isSharedMemory(memory), options);
    await pool.setThreads(threads ?? (await availableCores()));
    return pool;
  }

  /** Threads that run kernels now: the caller plus the enabled, live workers. */
  get threads(): number {
    let n = 1;
    for (const s of this.slots) if (s.status === 'ready' && s.enabled) n++;
    return n;
  }

  /** Threads asked for by the last {@link setThreads} (more than {@link threads} if workers failed). */
  get requestedThreads(): number {
    return this.wanted;
  }

  /**
   * Uses `n` threads from now on. Fewer takes effect at once; more starts workers, and the promise
   * resolves (with the thread count reached) once they are ready or have failed.
   */
  async setThreads(n: number): Promise<number> {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Lanes: thread count must be a positive integer, got ${n}`);
    this.wanted = this.shared ? Math.min(n, C.MAX_WORKERS + 1) : 1;
    this.applyEnables();
    const live = this.slots.filter((s) => s.status !== 'dead').length;
    const starts: Array<Promise<void>> = [];
    for (let i = live; i < this.wanted - 1; i++) {
      const slot = this.freeSlot();
      if (!slot) break;
      starts.push(this.start(slot));
    }
    await Promise.all(starts);
    return this.threads;
  }

  /** Enables the first `wanted - 1` ready workers, idles the rest. */
  private applyEnables(): void {
    let budget = this.wanted - 1;
    for (const s of this.slots) {
      if (s.status === 'dead') continue;
      s.enabled = s.status === 'ready' && budget-- > 0;
      if (s.status === 'ready') Atomics.store(this.ctl!, C.ENABLE + s.index, s.enabled ? 1 : 0);
    }
  }

  private freeSlot(): WorkerSlot | undefined {
    // A dead worker's slot is reused only once its thread is known gone (not after a stall).
    let slot = this.slots.find((s) => s.status === 'dead' && s.handle === undefined);
    if (!slot && this.slots.length < C.MAX_WORKERS) {
      slot = { index: this.slots.length, status: 'dead', enabled: false };
      this.slots.push(slot);
    }
    if (slot) {
      slot.status = 'starting';
      slot.enabled = false;
      Atomics.store(this.ctl!, C.ENABLE + slot.index, 0);
    }
    return slot;
  }

  private async start(slot: WorkerSlot): Promise<void> {
    let handle: WorkerHandle;
    try {
      handle = await spawnWorker(slot.index);
    } catch {
      slot.status = 'dead';
      return;
    }
    slot.handle = handle;
    await new Promise<void>((resolve) => {
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (slot.status === 'starting') slot.status = ok ? 'ready' : 'dead';
        if (!ok) this.retire(slot, true);
        // Only now: an unref'd worker would let Node exit in the middle of an awaited start.
        handle.unref();
        this.applyEnables();
        resolve();
      };
      const timer = setTimeout(() => settle(false), this.options.startTimeoutMs ?? 30_000);
      handle.onMessage((m) => settle((m as { type?: string }).type === 'ready'));
      handle.onGone(() => {
        if (slot.status === 'starting') settle(false);
        else this.retire(slot, true);
      });
      handle.post({
        module: this.module,
        memory: this.memory,
        control: this.ctl!.buffer,
        index: slot.index,
        names: [...this.kernelIndex.keys()],
        fault: this.options.faults?.[slot.index],
      });
    });
  }

  /** Takes a worker out for good; `gone` when its thread is known to have ended. */
  private retire(slot: WorkerSlot, gone: boolean): void {
    if (slot.status === 'dead' && slot.handle === undefined) return;
    slot.status = 'dead';
    slot.enabled = false;
    Atomics.store(this.ctl!, C.ENABLE + slot.index, -1);
    slot.handle?.terminate();
    if (gone) slot.handle = undefined;
    this.applyEnables();
  }

  /**
   * Calls `name(...args, begin, end)` so that [0, total) is covered exactly once, split across the
   * threads when `total × costPerItem` is worth it. Chunk boundaries are multiples of `align`
   * (default 4, the SIMD width: a kernel's vector body and scalar tail may differ in the last bit,
   * so boundaries that fall mid-vector would make results depend on the thread count).
   */
  run(name: KernelName, args: number[], total: number, costPerItem = 1, align = 4): void {
    if (total <= 0) return;
    const fn = this.exports[name] as unknown as KernelFn;
    const threads = this.threads;
    const work = total * costPerItem;
    const units = Math.ceil(total / align);
    const n =
      threads > 1 && work >= MIN_PARALLEL_WORK
        ? Math.min(C.MAX_CHUNKS, threads * CHUNKS_PER_THREAD, units, Math.floor(work / MIN_CHUNK_WORK))
        : 1;
    if (n < 2) {
      fn(...args, 0, total);
      return;
    }
    if (args.length > C.MAX_ARGS) throw new Error(`Lanes: ${name} takes more than ${C.MAX_ARGS} arguments`);
    const chunk = Math.ceil(units / n) * align;
    this.parallelFor(fn, this.kernelIndex.get(name)!, args, total, chunk, Math.ceil(total / chunk));
  }

  private parallelFor(fn: KernelFn, kernel: number, args: number[], total: number, chunk: number, n: number): void {
    const ctl = this.ctl!;
    // Publish: GEN odd while writing (workers reading now retry), even once complete.
    const gen = Atomics.add(ctl, C.GEN, 1) + 1;
    const free = C.token(gen + 1, C.FREE),
      mine = C.token(gen + 1, C.CALLER),
      done = C.token(gen + 1, C.FINISHED);
    ctl[C.KERNEL] = kernel;
    ctl[C.NARGS] = args.length;
    ctl[C.NCHUNKS] = n;
    ctl[C.CHUNK] = chunk;
    ctl[C.TOTAL] = total;
    for (let i = 0; i < args.length; i++) this.argv![i] = args[i];
    for (let c = 0; c < n; c++) ctl[C.STATE + c] = free;
    Atomics.store(ctl, C.NEXT, 0);
    Atomics.store(ctl, C.DONE, 0);
    Atomics.store(ctl, C.ERROR, 0);
    Atomics.store(ctl, C.GEN, gen + 1);
    Atomics.notify(ctl, C.GEN);

    const call = args.slice();
    let failure: unknown;
    const runChunk = (c: number) => {
      call[args.length] = c * chunk;
      call[args.length + 1] = Math.min(total, c * chunk + chunk);
      try {
        fn(...call);
      } catch (e) {
        failure ??= e;
      }
      Atomics.store(ctl, C.STATE + c, done);
      Atomics.add(ctl, C.DONE, 1);
      ctl[C.RAN]++;
    };
    for (;;) {
      const c = Atomics.add(ctl, C.NEXT, 1);
      if (c >= n) break;
      if (Atomics.compareExchange(ctl, C.STATE + c, free, mine) === free) runChunk(c);
    }
    // A worker of an earlier job may have bumped NEXT past a chunk nobody claimed: sweep.
    for (let c = 0; c < n; c++) {
      if (Atomics.compareExchange(ctl, C.STATE + c, free, mine) === free) runChunk(c);
    }
    this.join(n, gen + 1, runChunk);
    if (failure !== undefined) throw failure;
    if (Atomics.load(ctl, C.ERROR) !== 0) throw new Error(`Lanes: a worker thread failed while running a kernel`);
  }

  /** Waits for all n chunks; takes back the chunks of a worker that stalls (likely dead). */
  private join(n: number, gen: number, runChunk: (c: number) => void): void {
    const ctl = this.ctl!;
    let spins = 0;
    let last = -1;
    let since = 0;
    const stallMs = this.options.stallMs ?? 30_000;
    for (;;) {
      const d = Atomics.load(ctl, C.DONE);
      if (d >= n) return;
      if (spins < JOIN_SPINS) {
        spins++;
        continue;
      }
      if (d !== last) {
        last = d;
        since = now();
      } else if (now() - since > stallMs) {
        this.reclaim(n, gen, runChunk);
        since = now();
        continue;
      }
      if (this.block) Atomics.wait(ctl, C.DONE, d, Math.min(stallMs, 1000));
    }
  }

  private reclaim(n: number, gen: number, runChunk: (c: number) => void): void {
    const ctl = this.ctl!;
    for (let c = 0; c < n; c++) {
      const s = Atomics.load(ctl, C.STATE + c);
      const owner = s & 0xff;
      if (owner === C.FREE || owner === C.CALLER || owner === C.FINISHED || s !== C.token(gen, owner)) continue;
      if (Atomics.compareExchange(ctl, C.STATE + c, s, C.token(gen, C.CALLER)) !== s) continue;
      const slot = this.slots[owner - 1];
      if (slot) this.retire(slot, false);
      runChunk(c);
    }
  }

  /**
   * Chunks run so far by the calling thread and by each worker (by index), for diagnostics: how
   * evenly the threads shared the split jobs.
   */
  chunkCounts(): { caller: number; workers: number[] } {
    if (!this.ctl) return { caller: 0, workers: [] };
    return {
      caller: Atomics.load(this.ctl, C.RAN),
      workers: this.slots.map((s) => Atomics.load(this.ctl!, C.RAN + 1 + s.index)),
    };
  }

  /** Stops every worker (the pool then runs everything on the calling thread). */
  terminate(): void {
    for (const s of this.slots) if (s.status !== 'dead' || s.handle) this.retire(s, true);
    if (this.ctl) {
      Atomics.add(this.ctl, C.GEN, 2);
      Atomics.notify(this.ctl, C.GEN);
    }
    this.wanted = 1;
  }
}
