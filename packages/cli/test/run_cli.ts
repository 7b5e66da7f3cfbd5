// The built CLI spawned as a process, for the end-to-end tests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The built entry point. */
const bin = join(import.meta.dirname, '../dist/main.js');

/** A finished run. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lanes ...args` without blocking this process's event loop (vitest's worker RPC needs it). */
export function lanes(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** A failing run: exit `code`, one line on stderr matching `message`, nothing on stdout, no stack trace. */
export function expectFailure(r: Run, message: RegExp, code = 1): void {
  expect(r.status, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}
