// The attribute-block layouts: fields at distinct indices inside the block, and the generated
// AssemblyScript twin holding the same numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as layouts from '../src/layouts.js';

const declared = Object.entries(layouts).filter(([, v]) => typeof v === 'object') as Array<
  [string, Record<string, number>]
>;

describe('attribute layouts', () => {
  it('give every field its own word inside the block', () => {
    expect(declared.length).toBeGreaterThan(5);
    for (const [name, layout] of declared) {
      const fields = Object.entries(layout).filter(([k]) => k !== 'WORDS');
      const indices = fields.map(([, i]) => i);
      expect(new Set(indices).size, name).toBe(indices.length);
      if ('WORDS' in layout) for (const i of indices) expect(i, name).toBeLessThan(layout.WORDS);
    }
  });

  it('are what the build generated into assembly/layouts.ts', () => {
    const generated = readFileSync(new URL('../assembly/layouts.ts', import.meta.url), 'utf8');
    for (const [name, layout] of declared) {
      const body = generated.match(new RegExp(`export namespace ${name} \\{([^}]*)\\}`))?.[1];
      expect(body, name).toBeDefined();
      const consts = Object.fromEntries(
        [...body!.matchAll(/export const (\w+): i32 = (-?\d+);/g)].map((m) => [m[1], +m[2]]),
      );
      expect(consts, name).toEqual(layout);
    }
  });

  it('attrWords puts each field at its index and requires them all', () => {
    const words = layouts.attrWords(layouts.ConvPadAttr, { H: 1, W: 2, C: 3, PH: 4, PW: 5, PC: 6, TOP: 7, LEFT: 8 });
    expect(words).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const pool = layouts.attrWords(layouts.PoolAttr, {
      BATCH: 1,
      IN_H: 2,
      IN_W: 3,
      C: 4,
      OUT_H: 5,
      OUT_W: 6,
      FILTER_H: 7,
      FILTER_W: 8,
      STRIDE_H: 9,
      STRIDE_W: 10,
      PAD_TOP: 11,
      PAD_LEFT: 12,
      DY_H: 13,
      DY_W: 14,
    });
    expect(pool[layouts.PoolAttr.DY_W]).toBe(14);
    expect(pool.length).toBe(layouts.PoolAttr.WORDS);
  });
});
