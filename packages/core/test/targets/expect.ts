import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';

/** The folder of the target scripts. */
export const targets = import.meta.dirname;

/** What check.mjs returns. */
export interface CheckResult {
  backend: string;
  build: string;
  threads: number;
  inWorker?: boolean;
  convShape: number[];
  lstmShape: number[];
  convSum: number;
  lstmSum: number;
  convDiff: number;
  lstmDiff: number;
}

/** Runs a Node target script and parses the JSON on its last line. */
export function runNode(file: string, cwd = targets): CheckResult {
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop()!) as CheckResult;
}

/** The assertions every target shares. */
export function expectChecked(r: CheckResult): void {
  expect(r.backend).toBe('lanes');
  expect(['simd', 'relaxed-simd']).toContain(r.build);
  expect(r.threads).toBeGreaterThanOrEqual(1);
  expect(r.convShape).toEqual([2, 5, 9, 8]);
  expect(r.lstmShape).toEqual([2, 7, 6]);
  expect(r.convDiff).toBeLessThan(1e-5);
  expect(r.lstmDiff).toBeLessThan(1e-5);
  // Not all zeros or NaN: the sums match cpu's to the same precision.
  expect(Number.isFinite(r.convSum) && Math.abs(r.convSum) > 0.1).toBe(true);
  expect(Number.isFinite(r.lstmSum) && Math.abs(r.lstmSum) > 0.1).toBe(true);
}
