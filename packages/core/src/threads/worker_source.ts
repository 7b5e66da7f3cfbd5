// The worker's program, as a string: a Worker started from a string (Node: `eval: true`,
// browsers: a Blob URL) needs no file path, so threads work from ESM, CJS, bundles and inside
// workers with zero configuration. It imports nothing: it instantiates the compiled kernel module
// it is sent on the shared memory and then serves jobs from the control block (see control.ts).
import * as C from './control.js';

/** Faults a worker can be told to simulate (for tests of the pool's recovery). */
export type WorkerFault = 'start' | 'exit' | 'die-in-chunk';

/** Spins (Atomics.load polls) before a worker sleeps: a training loop issues kernels back to back. */
const WORKER_SPINS = 20000;

const body = `
function token(gen, owner) { return (((gen >>> 1) & 0x7fffff) << 8) | owner; }

function serve(msg, post, exit) {
  const { module, memory, control, index, names, fault } = msg;
  let ex;
  try {
    if (fault === 'start') throw new Error('injected start failure');
    ex = new WebAssembly.Instance(module, { env: { memory, abort(_m, _f, line, col) {
      throw new Error('Lanes kernel aborted at ' + line + ':' + col);
    } } }).exports;
  } catch (e) {
    post({ type: 'error', message: String((e && e.message) || e) });
    return;
  }
  const fns = names.map((n) => ex[n]);
  const ctl = new Int32Array(control);
  const argv = new Float64Array(control, ${C.ARGS_BYTE}, ${C.MAX_ARGS});
  const me = index + 1;
  const args = [];
  let seen = Atomics.load(ctl, ${C.GEN});
  post({ type: 'ready' });
  if (fault === 'exit') exit();
  for (;;) {
    let g = Atomics.load(ctl, ${C.GEN});
    if (g === seen || (g & 1)) {
      for (let spins = 0; spins < ${WORKER_SPINS}; spins++) {
        g = Atomics.load(ctl, ${C.GEN});
        if (g !== seen && !(g & 1)) break;
      }
      if (g === seen || (g & 1)) { Atomics.wait(ctl, ${C.GEN}, g); continue; }
    }
    const enabled = Atomics.load(ctl, ${C.ENABLE} + index);
    if (enabled < 0) return;
    const kernel = ctl[${C.KERNEL}], nargs = ctl[${C.NARGS}], n = ctl[${C.NCHUNKS}];
    const chunk = ctl[${C.CHUNK}], total = ctl[${C.TOTAL}];
    args.length = nargs + 2;
    for (let i = 0; i < nargs; i++) args[i] = argv[i];
    // Seqlock check: if the caller started writing another job meanwhile, these reads are torn.
    if (Atomics.load(ctl, ${C.GEN}) !== g) continue;
    seen = g;
    if (enabled === 0) continue;
    const fn = fns[kernel];
    const free = token(g, ${C.FREE}), mine = token(g, me), done = token(g, ${C.FINISHED});
    for (;;) {
      const c = Atomics.add(ctl, ${C.NEXT}, 1);
      if (c >= n) break;
      if (Atomics.compareExchange(ctl, ${C.STATE} + c, free, mine) !== free) continue;
      if (fault === 'die-in-chunk') exit();
      args[nargs] = c * chunk;
      args[nargs + 1] = Math.min(total, c * chunk + chunk);
      try { fn.apply(null, args); } catch (e) { Atomics.store(ctl, ${C.ERROR}, 1); }
      ctl[${C.RAN} + me]++;
      // Only the holder may finish a chunk: the caller may have taken it back from a stalled worker.
      if (Atomics.compareExchange(ctl, ${C.STATE} + c, mine, done) === mine &&
          Atomics.add(ctl, ${C.DONE}, 1) + 1 === n) Atomics.notify(ctl, ${C.DONE});
    }
  }
}
`;

/**
 * Worker program for Node's worker_threads (`new Worker(src, { eval: true })`). The worker
 * inherits the parent's execArgv, so under `--input-type=module` it is an ES module without
 * `require`: process.getBuiltinModule serves both kinds.
 */
export const NODE_WORKER_SOURCE = `'use strict';
${body}
const { parentPort } = typeof process.getBuiltinModule === 'function'
  ? process.getBuiltinModule('worker_threads') : require('worker_threads');
parentPort.once('message', (m) => serve(m, (x) => parentPort.postMessage(x), () => process.exit(1)));
`;

/** Worker program for Web Workers (started from a Blob URL). */
export const WEB_WORKER_SOURCE = `'use strict';
${body}
self.onmessage = (e) => {
  self.onmessage = null;
  serve(e.data, (x) => self.postMessage(x), () => { self.close(); throw new Error('worker closed'); });
};
`;
