/**
 * The one event-loop yielder: tfjs's `data()` on CPU-side backends resolves in a microtask, so a
 * training loop or an attack would otherwise starve the event loop (no Ctrl-C in Node, a frozen
 * page in browsers, timers of the test runner never firing).
 */
let channel: MessageChannel | undefined;
const pending: Array<() => void> = [];
let lastYield = 0;

/** How often attacks let the event loop run (milliseconds): their iterations are short, a yield each would slow them. */
export const ATTACK_YIELD_MS = 100;

/**
 * Resolves after pending macrotasks (timers, I/O, input events, signal handlers) had a chance to
 * run. With `everyMs` > 0 it yields only when that long passed since the last yield, and otherwise
 * resolves at once, so tight loops can call it every iteration.
 */
export function yieldToEventLoop(everyMs = 0): Promise<void> {
  if (everyMs > 0 && performance.now() - lastYield < everyMs) return Promise.resolve();
  return macrotask().then(() => {
    lastYield = performance.now();
  });
}

function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate?.(resolve));
  if (typeof MessageChannel === 'function') {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => pending.shift()?.();
    }
    return new Promise((resolve) => {
      pending.push(resolve);
      channel?.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
