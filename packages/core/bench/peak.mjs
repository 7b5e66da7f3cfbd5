// The f32x4 arithmetic limit of this machine, measured the way a kernel sees it: a hand-assembled
// wasm function keeps 12 independent f32x4 accumulators and updates each with acc = acc*x + y,
// as a multiply then an add (plain SIMD) or as one f32x4.relaxed_madd (FMA). 12 chains cover
// the latency of mul+add (or FMA) at two vector operations per cycle. No memory traffic.

const ACC = 12;

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function f32(x) {
  return [...new Uint8Array(new Float32Array([x]).buffer)];
}
function section(id, bytes) {
  return [id, ...leb(bytes.length), ...bytes];
}

/** Bytes of a module exporting `peak(n: i32): f32` (n iterations of 12 vector mul+add). */
export function peakModuleBytes(relaxed) {
  const SIMD = 0xfd;
  const op = {
    splat: [SIMD, 0x13],
    extract: [SIMD, 0x1f, 0],
    add: [SIMD, 0xe4, 0x01],
    mul: [SIMD, 0xe6, 0x01],
    madd: [SIMD, 0x85, 0x02],
  };
  const X = 1 + ACC,
    Y = 2 + ACC; // locals: 0 = n, 1..12 = accumulators, 13 = x, 14 = y
  const code = [];
  for (let i = 0; i < ACC; i++) code.push(0x43, ...f32(1 + i / 64), ...op.splat, 0x21, 1 + i);
  code.push(0x43, ...f32(0.9999), ...op.splat, 0x21, X);
  code.push(0x43, ...f32(0.0001), ...op.splat, 0x21, Y);
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(0x20, 0, 0x45, 0x0d, 1); // br_if 1 (n == 0)
  for (let i = 0; i < ACC; i++) {
    if (relaxed) code.push(0x20, 1 + i, 0x20, X, 0x20, Y, ...op.madd, 0x21, 1 + i);
    else code.push(0x20, 1 + i, 0x20, X, ...op.mul, 0x20, Y, ...op.add, 0x21, 1 + i);
  }
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x0c, 0); // n -= 1; br 0
  code.push(0x0b, 0x0b); // end loop, end block
  code.push(0x20, 1);
  for (let i = 1; i < ACC; i++) code.push(0x20, 1 + i, ...op.add);
  code.push(...op.extract, 0x0b);
  const body = [1, ACC + 2, 0x7b, ...code]; // one local group: 14 × v128
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]),
    ...section(3, [1, 0]),
    ...section(7, [1, 4, ...new TextEncoder().encode('peak'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/**
 * GFLOP/s of one thread at the mul+add (plain) or FMA (relaxed) limit, by wall clock (best of
 * `runs`) and by this process's CPU time (which other processes sharing the cores do not inflate;
 * median of `runs`): timings of `iterations` loop trips (12 × 8 flops each); null when the runtime lacks the instructions.
 */
export function measurePeak(relaxed, runs = 7, iterations = 4e6) {
  const bytes = peakModuleBytes(relaxed);
  if (!WebAssembly.validate(bytes)) return null;
  const { peak } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  peak(iterations / 10);
  const wall = [],
    cpu = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now(),
      u = process.cpuUsage();
    peak(iterations);
    const d = process.cpuUsage(u);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1000);
  }
  // Wall clock: the best run (a limit is what the machine can do; under load most runs wait for a
  // core). CPU time: the median.
  const gflops = (ts, best) => (iterations * ACC * 8) / (ts.sort((a, b) => a - b)[best ? 0 : runs >> 1] * 1e6);
  return { wall: gflops(wall, true), cpu: gflops(cpu, false) };
}

/**
 * Bytes of a module with a memory of `pages` and `copy(n: i32)`: copies bytes [0, n) to [n, 2n)
 * with f32x4 loads and stores, four vectors a loop trip (n a multiple of 64).
 */
export function streamModuleBytes(pages) {
  const SIMD = 0xfd;
  const code = [0x02, 0x40, 0x03, 0x40]; // block, loop
  code.push(0x20, 1, 0x20, 0, 0x4f, 0x0d, 1); // br_if 1 (i >= n)
  for (let k = 0; k < 4; k++) {
    code.push(0x20, 1, 0x20, 0, 0x6a); // dst = i + n
    code.push(0x20, 1, SIMD, 0x00, 4, ...leb(16 * k)); // v128.load offset=16k
    code.push(SIMD, 0x0b, 4, ...leb(16 * k)); // v128.store offset=16k
  }
  code.push(0x20, 1, 0x41, 0xc0, 0x00, 0x6a, 0x21, 1, 0x0c, 0); // i += 64; br 0
  code.push(0x0b, 0x0b, 0x0b); // end loop, block, function
  const body = [1, 1, 0x7f, ...code]; // one local: i (i32)
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...leb(pages)]),
    ...section(7, [1, 4, ...new TextEncoder().encode('copy'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/**
 * Memory bandwidth of one thread as a wasm kernel sees it: GB/s of bytes read plus written by an
 * f32x4 copy of `mb` MiB (far beyond the caches), over `runs` timings after a warm-up that touches
 * every page (so no page fault is timed). Wall clock (best) and CPU time (median), as {@link measurePeak}.
 */
export function measureBandwidth(mb = 64, runs = 7) {
  const n = mb * 2 ** 20;
  const { copy } = new WebAssembly.Instance(new WebAssembly.Module(streamModuleBytes((2 * n) / 65536))).exports;
  copy(n);
  const wall = [],
    cpu = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now(),
      u = process.cpuUsage();
    copy(n);
    const d = process.cpuUsage(u);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1000);
  }
  const gbs = (ts, best) => (2 * n) / (ts.sort((a, b) => a - b)[best ? 0 : runs >> 1] * 1e6);
  return { wall: gbs(wall, true), cpu: gbs(cpu, false) };
}

// The FMA loop on `threads` worker threads at once, released together by a barrier.
const SCALING_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, iterations, runs, flag } = workerData;
const { peak } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
peak(iterations / 10);
const gate = new Int32Array(flag);
Atomics.add(gate, 1, 1);
Atomics.wait(gate, 0, 0);
const wall = [];
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  peak(iterations);
  wall.push(performance.now() - t);
}
parentPort.postMessage(wall);
`;

/**
 * What `threads` threads of this machine do together at the FMA (or mul+add) limit, against one:
 * the summed GFLOP/s of the loop of {@link measurePeak} run on `threads` worker threads at once,
 * over one thread's alone (best runs, wall clock). On a machine whose cores are real and idle this
 * is close to `threads`; two vCPUs on one physical core, or a busy host, give less — a ceiling for
 * every kernel's multi-thread speed-up.
 */
export async function measurePeakScaling(threads = 2, runs = 5, iterations = 4e6) {
  const { Worker } = await import('node:worker_threads');
  const relaxed = WebAssembly.validate(peakModuleBytes(true));
  const bytes = peakModuleBytes(relaxed);
  const once = async (n) => {
    const flag = new SharedArrayBuffer(8);
    const gate = new Int32Array(flag);
    const workers = Array.from(
      { length: n },
      () => new Worker(SCALING_WORKER, { eval: true, workerData: { bytes, iterations, runs, flag } }),
    );
    const walls = workers.map(
      (w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject)),
    );
    while (Atomics.load(gate, 1) < n) await new Promise((r) => setTimeout(r, 1));
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const times = await Promise.all(walls);
    await Promise.all(workers.map((w) => w.terminate()));
    // Per run, the slowest thread bounds the group; the best such run is the limit.
    const perRun = times[0].map((_, r) => Math.max(...times.map((t) => t[r])));
    return (n * iterations * ACC * 8) / (Math.min(...perRun) * 1e6);
  };
  const one = await once(1);
  const many = await once(threads);
  return { threads, oneThread: one, allThreads: many, scaling: many / one };
}
