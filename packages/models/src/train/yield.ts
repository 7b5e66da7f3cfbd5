/**
 * Lets timers, input events and signal handlers run between batches: tfjs's `data()` on CPU-side
 * backends resolves in a microtask, so a training loop would otherwise starve the event loop
 * (no Ctrl-C in Node, a frozen page in browsers).
 */
let channel: MessageChannel | undefined;
const pending: Array<() => void> = [];

/** Resolves after pending macrotasks had a chance to run. */
export function yieldToEventLoop(): Promise<void> {
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
