// Every option with a fixed set of values checks it: a bad value is one line naming the allowed
// values, exit code 2 (the CLI's code for usage errors), nothing run. The choices come from the
// registries of @lanes/models (dist/assets/workflows.json), so this test follows them.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CATALOG } from '../src/catalog.js';

const bin = join(import.meta.dirname, '../dist/main.js');

function lanes(...args: string[]): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** Bad runs and the allowed values each must name. */
const cases: { args: string[]; allowed: readonly string[] }[] = [
  { args: ['--backend', 'gpu', 'info'], allowed: ['lanes', 'wasm', 'cpu'] },
  { args: ['attack', 'cw'], allowed: CATALOG.attacks.map((a) => a.name) },
  { args: ['attack', 'fgsm', '--norm', 'l3'], allowed: CATALOG.attackParams.norm.choices! },
  // A norm the attack itself does not work in: the registry's check, after parsing.
  { args: ['attack', 'square', '--norm', 'l2', '--n', '1'], allowed: ['linf'] },
  { args: ['attack', 'cw-l2', '--norm', 'linf', '--n', '1'], allowed: ['l2'] },
  { args: ['train', 'cnn'], allowed: CATALOG.recipes.map((r) => r.name) },
  { args: ['eval', '--robust', '--attack', 'cw-l2'], allowed: ['fgsm', 'bim', 'pgd', 'mi-fgsm'] },
  { args: ['poison', 'zap'], allowed: ['backdoor', 'label-flip'] },
  // Every choice setting of every recipe.
  ...CATALOG.recipes.flatMap((r) =>
    Object.entries(r.settings)
      .filter(([, s]) => s.type === 'choice')
      .map(([key, s]) => ({
        args: ['train', r.name, `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, 'nonsense'],
        allowed: s.choices!,
      })),
  ),
];

describe.concurrent('fixed-choice options', () => {
  it('the registry has choice settings to check (method, architecture, loss)', () => {
    expect(cases.filter((c) => c.args[0] === 'train' && c.args.length === 4).map((c) => c.args[2])).toEqual([
      '--method',
      '--architecture',
      '--loss',
    ]);
  });

  for (const { args, allowed } of cases) {
    it(`lanes ${args.join(' ')}: one line naming ${allowed.join(', ')}, exit 1`, async () => {
      const r = await lanes(...args);
      expect(r.status, r.stderr).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^lanes: /);
      expect(lines[0]).toContain(allowed.join(', '));
      expect(r.stdout).toBe('');
    });
  }
});
