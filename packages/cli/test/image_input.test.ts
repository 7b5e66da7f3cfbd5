import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readDigitPicture, squareResize } from '../src/image_input.js';

const dir = mkdtempSync(join(tmpdir(), 'lanes-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes an RGBA PNG whose pixel (x, y) is `rgba(x, y)`. */
function writePng(
  name: string,
  width: number,
  height: number,
  rgba: (x: number, y: number) => [number, number, number, number],
  options: Partial<{ colorType: 0 | 2 | 4 | 6 }> = {},
): string {
  const png = new PNG({ width, height, ...options });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(rgba(x, y), 4 * (y * width + x));
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write(png, options));
  return path;
}

describe('squareResize', () => {
  it('averages integer blocks exactly and keeps a 28×28 input unchanged', () => {
    const src = Float32Array.from({ length: 56 * 56 }, (_, i) => ((i % 56) >> 1) + 100 * (Math.floor(i / 56) >> 1));
    const out = squareResize(src, 56, 56, 28);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) expect(out[y * 28 + x]).toBe(x + 100 * y);
    const same = Float32Array.from({ length: 784 }, (_, i) => i / 784);
    expect(Array.from(squareResize(same, 28, 28, 28))).toEqual(Array.from(same));
  });

  it('pads a wide picture to a centred square with the fill value', () => {
    // 4×2 of ones → 4×4 with a row of `fill` above and below, then halved to 2×2: each output half fill.
    const out = squareResize(new Float32Array(8).fill(1), 4, 2, 2, 0);
    expect(Array.from(out)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // 3 wide, 1 high → 3×3 with the row in the middle; resampled to 3×3 it is unchanged.
    expect(Array.from(squareResize(Float32Array.from([0.2, 0.4, 0.6]), 3, 1, 3, 0))).toEqual(
      [0, 0, 0, 0.2, 0.4, 0.6, 0, 0, 0].map(Math.fround),
    );
  });

  it('upscales a 1×1 picture to a constant', () => {
    expect(Array.from(squareResize(Float32Array.from([0.25]), 1, 1, 4))).toEqual(new Array(16).fill(0.25));
  });
});

describe('readDigitPicture', () => {
  it('reads white-on-black greyscale as is (no inversion)', async () => {
    const path = writePng(
      'white-on-black.png',
      28,
      28,
      (x, y) => (x === 14 && y > 4 && y < 24 ? [255, 255, 255, 255] : [0, 0, 0, 255]),
      { colorType: 0 },
    );
    const d = await readDigitPicture(path);
    expect(d.inverted).toBe(false);
    expect([d.width, d.height]).toEqual([28, 28]);
    expect(d.pixels[10 * 28 + 14]).toBeCloseTo(1, 6);
    expect(d.pixels[10 * 28 + 13]).toBe(0);
  });

  it("black strokes on a transparent canvas: composited over white, then inverted to MNIST's light on dark", async () => {
    const path = writePng('transparent.png', 56, 56, (x, y) =>
      x >= 26 && x < 30 && y >= 8 && y < 48 ? [0, 0, 0, 255] : [0, 0, 0, 0],
    );
    const d = await readDigitPicture(path);
    expect(d.inverted).toBe(true);
    expect(d.pixels[14 * 28 + 13]).toBeCloseTo(1, 6); // stroke (x 26–29 → 13–14)
    expect(d.pixels[14 * 28 + 5]).toBeCloseTo(0, 6); // background
    expect(d.pixels[2 * 28 + 13]).toBeCloseTo(0, 6);
  });

  it('colour: luminance weights 0.299 / 0.587 / 0.114', async () => {
    const path = writePng('colour.png', 2, 2, () => [255, 0, 0, 255]);
    const d = await readDigitPicture(path);
    expect(d.inverted).toBe(false);
    expect(d.pixels[0]).toBeCloseTo(0.299, 5);
  });
});
