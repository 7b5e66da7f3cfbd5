// Global setup of vitest.deep.config.ts: clears the per-file case counts the property tests write
// (prop_harness.ts, LANES_PROP_COUNTS), then sums and prints them once every file has run.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const DIR = '.results/prop-counts';
/** The deep run's promise: at least this many property cases. */
const MIN_CASES = 20_000;

export default function setup(): () => void {
  rmSync(DIR, { recursive: true, force: true });
  return () => {
    const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [];
    let total = 0;
    const failures: string[] = [];
    const cpu = new Map<string, number>();
    for (const f of files) {
      const r = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as {
        total: number;
        failures: string[];
        cpuDefects?: Record<string, number>;
      };
      total += r.total;
      failures.push(...r.failures);
      for (const [k, v] of Object.entries(r.cpuDefects ?? {})) cpu.set(k, (cpu.get(k) ?? 0) + v);
    }
    console.log(
      `\n[prop] deep run: ${total} float64-judged property cases in ${files.length} files, ${failures.length} failing properties${failures.length ? `: ${failures.join(', ')}` : ''}`,
    );
    console.log(
      `[prop] tfjs-backend-cpu's listed defects met: ${[...cpu].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    );
    if (total < MIN_CASES)
      throw new Error(`deep run: only ${total} property cases ran (expected at least ${MIN_CASES})`);
  };
}
