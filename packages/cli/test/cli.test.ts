import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '../dist/main.js');
const lanes = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('lanes CLI (built, spawned as a process)', () => {
  it('info --json reports the lanes backend with relaxed SIMD turned on by re-exec', () => {
    const r = lanes('--json', 'info');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('lanes');
    expect(report.lanes.build).toBe('relaxed-simd');
    expect(report.lanes.threads).toBeGreaterThanOrEqual(1);
    expect(report.relaxedSimd).toMatch(/re-ran Node/);
    expect(report.versions.tfjsCore).toBe('4.22.0');
  });

  it('--help lists the commands', () => {
    const r = lanes('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/info\s+backend, kernel build/);
  });

  it('an unknown command fails with a message and a non-zero exit', () => {
    const r = lanes('frobnicate');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
