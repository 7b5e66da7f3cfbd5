import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getModelMetadata } from '../src/index.js';
import { loadModelFromDir } from '../src/node/index.js';

const out = mkdtempSync(join(tmpdir(), 'lanes-models-recipes-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the training script', () => {
  it('scripts/train.mjs writes a loadable model and a MODEL.md with command, seed and metrics', async () => {
    const dir = join(out, 'stocks-gru');
    const script = join(import.meta.dirname, '..', 'scripts', 'train.mjs');
    const r = spawnSync(process.execPath, [script, 'stocks-gru', '--epochs', '1', '--seed', '3', '--out', dir], {
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
    const md = readFileSync(join(dir, 'MODEL.md'), 'utf8');
    expect(md).toContain('`node packages/models/scripts/train.mjs stocks-gru --epochs 1 --seed 3');
    expect(md).toMatch(/\| seed \| 3 \|/);
    expect(md).toMatch(/\| testRmse \| \d+\.\d+ \|/);
    expect(md).toMatch(/\| lastValueRmse \| \d+\.\d+ \|/);
    const model = await loadModelFromDir(dir);
    expect(getModelMetadata(model)?.kind).toBe('stocks-gru');
  });

  it('scripts/train.mjs rejects an unknown model name with usage and exit code 2', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'train.mjs'), 'nope'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: node scripts\/train\.mjs <mnist-cnn\|/);
  });
});
