import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// `lanes bench` from an install: the CLI ships the benchmark (bench/) and its contenders.
const root = join(import.meta.dirname, '..');

describe('lanes bench as installed', () => {
  it('the packed @lanes/cli holds bench/run.mjs and the cases; `lanes bench --list` lists them', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as { files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('bench/run.mjs');
    expect(files).toContain('bench/cases.mjs');
    expect(files).not.toContain('bench/results.json');
    const list = execFileSync(process.execPath, [join(root, 'dist/main.js'), 'bench', '--list'], { encoding: 'utf8' });
    for (const id of ['matmul-512', 'mobilenetv2', 'lstm-predict', 'mnist-b1']) expect(list).toContain(id);
  });
});
