/** Progress bars (cli-progress) on stderr when stdout is a terminal and --json is off; silent otherwise. */
import { SingleBar } from 'cli-progress';

/** A bar showing done/total, ETA from the trainer's estimate, and the latest loss and metrics. */
export interface Progress {
  update(done: number, total: number, etaMs: number, logs: Record<string, number>): void;
  /** Prints a line above the bar (or on stderr when there is no bar). */
  log(line: string): void;
  stop(): void;
}

export function progress(title: string, enabled: boolean): Progress {
  if (!enabled) return { update() {}, log: (line) => console.error(line), stop() {} };
  const bar = new SingleBar({
    format: `${title} {bar} {value}/{total} | ETA {etaText} | {metrics}`,
    hideCursor: true,
    clearOnComplete: false,
    stream: process.stderr,
    etaBuffer: 50,
  });
  let started = false;
  return {
    update(done, total, etaMs, logs) {
      const payload = {
        etaText: formatMs(etaMs),
        metrics: Object.entries(logs)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  '),
      };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    log(line) {
      if (started) {
        process.stderr.write('\r\x1b[K' + line + '\n');
        bar.render?.();
      } else console.error(line);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
