import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The built package (dist/) loaded the way users load it: ESM import and CommonJS require.
const fixtures = join(import.meta.dirname, 'fixtures');

function run(
  file: string,
  flags: string[] = [],
): { backend: string; build: string; threads: number; losses: number[] } {
  const out = execFileSync(process.execPath, [...flags, join(fixtures, file)], { encoding: 'utf8', cwd: fixtures });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('built package in plain Node', () => {
  for (const file of ['train-dense.mjs', 'train-dense.cjs'])
    it(`${file}: selects 'lanes', reports its build and trains a 2-layer dense model with falling loss`, () => {
      const r = run(file);
      expect(r.backend).toBe('lanes');
      expect(r.build).toBe('simd'); // Node 20 without the relaxed-SIMD flag
      expect(r.threads).toBeGreaterThanOrEqual(1);
      expect(r.losses).toHaveLength(15);
      expect(r.losses[14]).toBeLessThan(r.losses[0] * 0.5);
    });

  it('picks the relaxed-SIMD build when the runtime validates it', () => {
    expect(run('train-dense.mjs', ['--experimental-wasm-relaxed-simd']).build).toBe('relaxed-simd');
  });
});
