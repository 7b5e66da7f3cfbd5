/**
 * Progress bars (cli-progress), drawn on stderr only when stderr is a terminal and --json is off;
 * the bar is coloured unless NO_COLOR is set (https://no-color.org). Silent otherwise.
 */
import { SingleBar } from 'cli-progress';

/** A bar showing done/total, ETA from the trainer's estimate, and the latest loss and metrics. */
export interface Progress {
  update(done: number, total: number, etaMs: number, logs: Record<string, number>): void;
  /** Prints a line above the bar (or on stderr when there is no bar). */
  log(line: string): void;
  stop(): void;
}

/** Whether a bar is drawn: on a terminal stderr (where it goes), never with --json. */
export function progressEnabled(json: boolean | undefined, stream: { isTTY?: boolean } = process.stderr): boolean {
  return Boolean(stream.isTTY) && !json;
}

/** Whether colour may be used: NO_COLOR set to anything but the empty string turns it off. */
export function colourAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

const CYAN = '\x1b[36m';
const RESET = '\x1b[0m';

/** A progress bar titled `title`, drawn when {@link progressEnabled} says so. */
export function progress(title: string, json: boolean | undefined): Progress {
  if (!progressEnabled(json)) return { update() {}, log: (line) => console.error(line), stop() {} };
  const bar$ = colourAllowed() ? `${CYAN}{bar}${RESET}` : '{bar}';
  const bar = new SingleBar({
    format: `${title} ${bar$} {value}/{total} | ETA {etaText} | {metrics}`,
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
