// The same picture file gives the same MNIST input tensor in the CLI and in the demo: the CLI's
// path (sharp decodes, then toMnistInput of @lanes/models) against the demo's (the browser decodes
// onto a white canvas, then upload.ts's toMnist), run on the same file. The demo's decoder is the
// browser's; here pngjs stands in for it on PNG (a second, independent decoder of a lossless
// format) and sharp on JPEG and WebP.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadMnist, loadPretrained } from '@lanes/models/node';
import { readDigitPicture } from '../src/image_input.js';

// The demo's module, imported by path (it belongs to another package, outside this one's sources).
const demoUpload = join(import.meta.dirname, '../../web-demo/src/lib/upload.ts');
const { toMnist } = (await import(demoUpload)) as {
  toMnist: (rgba: ArrayLike<number>, w: number, h: number) => { pixels: Float32Array; inverted: boolean };
};

const dir = mkdtempSync(join(tmpdir(), 'lanes-same-picture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the demo's canvas holds after `fillRect(white)` and `drawImage(picture)`: RGBA composited over white. */
function onWhiteCanvas(rgba: Uint8Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3] / 255;
    for (let c = 0; c < 3; c++) out[i + c] = Math.round(a * rgba[i + c] + (1 - a) * 255);
    out[i + 3] = 255;
  }
  return out;
}

/** The demo's input for picture bytes decoded to RGBA. */
function demoInput(rgba: Uint8Array, w: number, h: number): tf.Tensor4D {
  return tf.tensor4d(toMnist(onWhiteCanvas(rgba), w, h).pixels, [1, 28, 28, 1]);
}

describe('one picture, one MNIST input (CLI and demo)', () => {
  it('PNG, JPEG and WebP of test digits: the same input tensor and the same prediction in both paths', async () => {
    await tf.setBackend('cpu');
    const { test } = await loadMnist();
    const model = await loadPretrained('mnist-cnn');
    let checked = 0;
    for (const k of [0, 1, 2, 3]) {
      // A photo-like picture: the digit 3× larger, off-centre on grey paper with a transparent margin.
      const w = 120,
        h = 100;
      const rgba = Buffer.alloc(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const o = 4 * (y * w + x);
          const sx = Math.floor((x - 10) / 3),
            sy = Math.floor((y - 8) / 3);
          const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? test.images[k * 784 + sy * 28 + sx] : 0;
          rgba.fill(Math.round(225 * (1 - v / 255)), o, o + 3);
          rgba[o + 3] = x >= 110 ? 0 : 255;
        }
      const raw = { raw: { width: w, height: h, channels: 4 as const } };
      const files = {
        png: await sharp(rgba, raw).png().toBuffer(),
        // JPEG has no alpha: its margin is paper, as a camera or scanner would give it.
        jpg: await sharp(rgba, raw).flatten({ background: '#ffffff' }).jpeg({ quality: 95 }).toBuffer(),
        webp: await sharp(rgba, raw).webp({ quality: 95 }).toBuffer(),
      };
      for (const [ext, bytes] of Object.entries(files)) {
        const path = join(dir, `digit${k}.${ext}`);
        writeFileSync(path, bytes);
        const cli = await readDigitPicture(path);
        const cliX = tf.tensor4d(cli.pixels, [1, 28, 28, 1]);
        let decoded: Uint8Array;
        if (ext === 'png') decoded = PNG.sync.read(readFileSync(path)).data;
        else decoded = new Uint8Array(await sharp(readFileSync(path)).ensureAlpha().raw().toBuffer());
        const demoX = demoInput(decoded, w, h);
        expect(Array.from(cliX.dataSync()), `${ext} ${k}`).toEqual(Array.from(demoX.dataSync()));
        const [a, b] = [cliX, demoX].map((x) => tf.argMax(model.predict(x) as tf.Tensor, -1).dataSync()[0]);
        expect(a).toBe(b);
        expect(a, `${ext} ${k}`).toBe(test.labels[k]);
        tf.dispose([cliX, demoX]);
        checked++;
      }
    }
    expect(checked).toBe(12);
  });
});
