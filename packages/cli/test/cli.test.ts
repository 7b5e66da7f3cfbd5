import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '../dist/main.js');
const lanes = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

/** A failing run: non-zero exit, one line on stderr matching `message`, no stack trace. */
function expectFailure(r: ReturnType<typeof lanes>, message: RegExp, code: number): void {
  expect(r.status, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

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

  it('global flags work after the command too: --backend wasm (wasm files found by the CLI), --threads', () => {
    const wasm = lanes('info', '--backend', 'wasm', '--json');
    expect(wasm.status, wasm.stderr).toBe(0);
    expect(JSON.parse(wasm.stdout).backend).toBe('wasm');
    const cpu = lanes('info', '--backend', 'cpu', '--json');
    expect(JSON.parse(cpu.stdout).backend).toBe('cpu');
    const one = lanes('info', '--threads', '1', '--json');
    expect(JSON.parse(one.stdout).lanes.threads).toBe(1);
  });

  it('--help lists the commands and every command has --help', () => {
    const r = lanes('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/info\s+backend, kernel build/);
    expect(r.stdout).toMatch(/--backend <name>/);
    const commands = [...r.stdout.split('Commands:')[1].matchAll(/^ {2}(\w+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const c of commands) {
      const h = lanes(c, '--help');
      expect(h.status, c).toBe(0);
      expect(h.stdout, c).toMatch(new RegExp(`Usage: lanes ${c}`));
    }
  });

  it('usage errors: one line, exit 2', () => {
    expectFailure(lanes('frobnicate'), /unknown command 'frobnicate' — see lanes --help/, 2);
    expectFailure(lanes('info', '--bogus'), /unknown option '--bogus'/, 2);
    expectFailure(lanes('--backend', 'gpu', 'info'), /'gpu' is invalid. Allowed choices are lanes, wasm, cpu/, 2);
    expectFailure(lanes('--threads', 'x', 'info'), /--threads expects a positive integer, got 'x'/, 2);
  });
});
