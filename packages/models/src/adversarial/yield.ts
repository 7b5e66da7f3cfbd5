let last = 0;

/**
 * Lets the event loop run (timers, I/O, UI) if more than `everyMs` passed since the last yield.
 * Long attacks await this inside their loops: on synchronous backends `await tensor.data()`
 * resolves as a microtask, which alone would starve the page or the test runner for minutes.
 */
export async function breathe(everyMs = 100): Promise<void> {
  const now = performance.now();
  if (now - last < everyMs) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  last = performance.now();
}
