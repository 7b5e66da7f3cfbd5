import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { readDigitPicture } from '../src/image_input.js';

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

const sum = (v: Float32Array): number => v.reduce((s, x) => s + x, 0);

describe('readDigitPicture (sharp decodes, toMnistInput centres by mass)', () => {
  it('reads white-on-black greyscale as is and centres the ink: a 19-pixel bar becomes 20 rows at column 14', async () => {
    const path = writePng(
      'white-on-black.png',
      28,
      28,
      (x, y) => (x === 3 && y > 4 && y < 24 ? [255, 255, 255, 255] : [0, 0, 0, 255]),
      { colorType: 0 },
    );
    const d = await readDigitPicture(path);
    expect(d.inverted).toBe(false);
    expect([d.width, d.height]).toEqual([28, 28]);
    // Box 1×19 scaled to fit 20: 1×20; mass centre (0.5, 10) moved to (14, 14): column 14, rows 4–23.
    expect(d.pixels[4 * 28 + 14]).toBeCloseTo(1, 6);
    expect(d.pixels[23 * 28 + 14]).toBeCloseTo(1, 6);
    expect(d.pixels[3 * 28 + 14]).toBe(0);
    expect(d.pixels[10 * 28 + 3]).toBe(0);
    expect(sum(d.pixels)).toBeCloseTo(20, 4);
  });

  it("black strokes on a transparent canvas: composited over white, then inverted to MNIST's light on dark", async () => {
    const path = writePng('transparent.png', 56, 56, (x, y) =>
      x >= 26 && x < 30 && y >= 8 && y < 48 ? [0, 0, 0, 255] : [0, 0, 0, 0],
    );
    const d = await readDigitPicture(path);
    expect(d.inverted).toBe(true);
    // Box 4×40 → 2×20 at columns 13–14, rows 4–23.
    expect(d.pixels[14 * 28 + 13]).toBeCloseTo(1, 6);
    expect(d.pixels[14 * 28 + 14]).toBeCloseTo(1, 6);
    expect(d.pixels[14 * 28 + 5]).toBe(0);
    expect(sum(d.pixels)).toBeCloseTo(40, 4);
  });

  it('colour: luminance weights 0.299 / 0.587 / 0.114, the strongest ink scaled to 1', async () => {
    // A red and a green bar on black, 20 rows tall (no resampling): green (0.587) is the strongest
    // ink, red reads 0.299 / 0.587.
    const path = writePng('colour.png', 24, 24, (x, y) =>
      y >= 2 && y < 22 && x === 4 ? [255, 0, 0, 255] : y >= 2 && y < 22 && x === 15 ? [0, 255, 0, 255] : [0, 0, 0, 255],
    );
    const d = await readDigitPicture(path);
    const values = [...new Set(Array.from(d.pixels).map((v) => v.toFixed(4)))].map(Number).sort();
    expect(values).toEqual([0, Number((0.299 / 0.587).toFixed(4)), 1]);
  });

  it('reads JPEG and WebP: lossless WebP gives the PNG input exactly, JPEG (quality 100) within 0.05', async () => {
    const w = 60,
      h = 50;
    const rgba = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const ink = (x - 30) ** 2 / 200 + (y - 25) ** 2 / 300 < 1 && (x - 30) ** 2 / 60 + (y - 25) ** 2 / 140 > 1;
        rgba.fill(ink ? 20 : 230, 4 * (y * w + x), 4 * (y * w + x) + 3);
        rgba[4 * (y * w + x) + 3] = 255;
      }
    const raw = { raw: { width: w, height: h, channels: 4 as const } };
    const png = join(dir, 'ring.png'),
      webp = join(dir, 'ring.webp'),
      jpeg = join(dir, 'ring.jpg');
    await sharp(rgba, raw).png().toFile(png);
    await sharp(rgba, raw).webp({ lossless: true }).toFile(webp);
    await sharp(rgba, raw).jpeg({ quality: 100 }).toFile(jpeg);
    const [a, b, c] = await Promise.all([png, webp, jpeg].map(readDigitPicture));
    expect(a.inverted && b.inverted && c.inverted).toBe(true);
    expect(sum(a.pixels)).toBeGreaterThan(50);
    expect(Array.from(b.pixels)).toEqual(Array.from(a.pixels));
    expect(Math.max(...a.pixels.map((v, i) => Math.abs(v - c.pixels[i])))).toBeLessThan(0.05);
  });

  it('names what a file is when it is no readable picture', async () => {
    const gif = join(dir, 'x.gif');
    writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    const jpeg = join(dir, 'cut.jpg');
    const full = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    writeFileSync(jpeg, full.subarray(0, full.length >> 1));
    await expect(readDigitPicture(gif)).rejects.toThrow(/x\.gif: it is a GIF image, not a PNG, JPEG or WebP picture$/);
    await expect(readDigitPicture(jpeg)).rejects.toThrow(
      new RegExp(`cut\\.jpg: a truncated JPEG \\(${full.length >> 1} bytes, it ends before its end marker\\)$`),
    );
  });
});
