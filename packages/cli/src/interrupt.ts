/** Ctrl-C during long work: the first SIGINT/SIGTERM asks the work to stop cleanly, a later one quits. */

/** An abort signal raised by the first interrupt. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Whether an interrupt arrived. */
  readonly interrupted: boolean;
}

/**
 * Listens for SIGINT and SIGTERM. The first aborts `signal` (training loops finish their batch,
 * keep the last checkpoint and return). A terminal's Ctrl-C reaches the process twice when the
 * relaxed-SIMD re-exec forwards it too, so repeats within a second are the same interrupt; one
 * after that exits at once (files are written atomically, so nothing half-written is left).
 */
export function listenForInterrupt(): Interrupt {
  const stop = new AbortController();
  let first = 0;
  const onSignal = (): void => {
    const now = Date.now();
    if (!first) {
      first = now;
      stop.abort();
      process.stderr.write('\nlanes: stopping after this batch (press Ctrl-C again to quit at once)\n');
    } else if (now - first > 1000) {
      process.stderr.write('lanes: quit\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    get interrupted() {
      return first !== 0;
    },
  };
}
