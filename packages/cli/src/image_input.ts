/** Reading a picture of a digit (any PNG) as an MNIST-like 28×28 greyscale image. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { CliError } from './errors.js';

/** A picture turned into one MNIST input. */
export interface DigitPicture {
  path: string;
  /** 28 × 28 values in [0, 1], light digit on a dark background like MNIST. */
  pixels: Float32Array;
  /** Size of the picture read. */
  width: number;
  height: number;
  /** Whether the picture was dark on light and has been inverted. */
  inverted: boolean;
}

const SIDE = 28;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HOW =
  'pass a PNG file (any size, colour or greyscale; the digit is scaled to 28×28), e.g. one written by `lanes attack … --out DIR`';

/** Names a few formats by their first bytes, for the error message. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'a JPEG image';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'a GIF image';
  if (bytes.subarray(0, 2).toString('latin1') === 'BM') return 'a BMP image';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF') return 'a WebP image';
  if (bytes.length && bytes.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))
    return 'a text file';
  return undefined;
}

/**
 * Reads a PNG and converts it to one MNIST digit: alpha composited over white, luminance,
 * inverted when the border is light (MNIST digits are white on black), padded to a square with
 * the background, and area-averaged to 28×28 (no aliasing however large the picture).
 */
export async function readDigitPicture(file: string): Promise<DigitPicture> {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new CliError(`cannot read the image ${path}: ${what}`, HOW);
  }
  if (bytes.length === 0) throw new CliError(`cannot read the image ${path}: the file is empty (0 bytes)`, HOW);
  const isPng = bytes.subarray(0, 8).equals(PNG_SIGNATURE);
  // pngjs reports a 0×0 header as an inflate error: read the header's size first.
  if (isPng && bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    const w = bytes.readUInt32BE(16),
      h = bytes.readUInt32BE(20);
    if (w === 0 || h === 0)
      throw new CliError(`cannot read the image ${path}: it is a ${w}×${h} PNG, with no pixels`, HOW);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    const kind = sniff(bytes);
    const what = isPng
      ? bytes.includes('IEND')
        ? `a damaged PNG (${(e as Error).message})`
        : `a truncated PNG (${bytes.length} bytes, it ends before its last chunk)`
      : kind
        ? `it is ${kind}, not a PNG`
        : `not a readable PNG (${(e as Error).message})`;
    throw new CliError(`cannot read the image ${path}: ${what}`, HOW);
  }
  const { width, height, data } = png;
  if (width < 1 || height < 1) throw new CliError(`cannot read the image ${path}: it has no pixels`, HOW);
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const a = data[4 * i + 3] / 255;
    const lum = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    grey[i] = a * lum + (1 - a);
  }
  // The border's mean says which side is background.
  let border = 0,
    count = 0;
  for (let x = 0; x < width; x++) {
    border += grey[x] + grey[(height - 1) * width + x];
    count += 2;
  }
  for (let y = 0; y < height; y++) {
    border += grey[y * width] + grey[y * width + width - 1];
    count += 2;
  }
  const inverted = border / count > 0.5;
  if (inverted) for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
  const background = inverted ? 1 - border / count : border / count;
  return {
    path,
    pixels: squareResize(grey, width, height, SIDE, Math.min(1, Math.max(0, background))),
    width,
    height,
    inverted,
  };
}

/**
 * Pads `w × h` values to a centred square with `fill`, then resamples it to `side × side` by area
 * averaging: each output pixel is the mean of the input area it covers (exact for integer factors).
 */
export function squareResize(src: Float32Array, w: number, h: number, side: number, fill = 0): Float32Array {
  const s = Math.max(w, h);
  const ox = (s - w) / 2,
    oy = (s - h) / 2;
  const at = (x: number, y: number): number => {
    const sx = x - ox,
      sy = y - oy;
    // Half-pixel offsets of odd padding fall between pixels: take the nearest one.
    const ix = Math.floor(sx),
      iy = Math.floor(sy);
    return ix < 0 || iy < 0 || ix >= w || iy >= h ? fill : src[iy * w + ix];
  };
  const out = new Float32Array(side * side);
  const f = s / side;
  for (let oy2 = 0; oy2 < side; oy2++) {
    const y0 = oy2 * f,
      y1 = y0 + f;
    for (let ox2 = 0; ox2 < side; ox2++) {
      const x0 = ox2 * f,
        x1 = x0 + f;
      let sum = 0;
      for (let y = Math.floor(y0); y < y1; y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        if (wy <= 0) continue;
        for (let x = Math.floor(x0); x < x1; x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          if (wx > 0) sum += wx * wy * at(x + 0.5, y + 0.5);
        }
      }
      out[oy2 * side + ox2] = sum / (f * f);
    }
  }
  return out;
}
