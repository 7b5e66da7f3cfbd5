/**
 * A picture of a digit → one MNIST input, the way the MNIST digits themselves were made: the ink's
 * bounding box scaled (aspect kept, area-averaged) to fit 20×20, placed in a 28×28 field with its
 * centre of mass at the centre. One pure function for every front end (CLI, demo), over decoded
 * pixels, so the same picture gives the same input wherever it is read.
 */

/** Decoded pixels, row-major, 8-bit values (0–255). */
export interface PixelImage {
  /** `width × height × channels` values in 0–255. */
  readonly data: ArrayLike<number>;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
}

/** What {@link toMnistInput} made of a picture. */
export interface MnistInput {
  /** 784 values in [0, 1], light digit on black, centred by mass; all 0 without ink. */
  readonly pixels: Float32Array;
  /** Whether the picture was dark on light (its border light) and has been inverted. */
  readonly inverted: boolean;
}

/** Pixels ≥ this count as ink when finding the bounding box. */
const INK = 0.1;

/**
 * The MNIST input of a picture: transparent parts count as white paper; luminance (0.299 R +
 * 0.587 G + 0.114 B); inverted when the border is light (MNIST digits are light on dark); the
 * paper's level becomes 0 and the strongest ink 1 (no contrast → no ink); then {@link centreDigit}.
 */
export function toMnistInput(image: PixelImage): MnistInput {
  const { data, width: w, height: h, channels: c } = image;
  if (!(w >= 1 && h >= 1) || data.length !== w * h * c)
    throw new RangeError(`toMnistInput: ${data.length} values do not make a ${w}×${h} picture of ${c} channels`);
  const grey = new Float32Array(w * h);
  for (let i = 0; i < grey.length; i++) {
    const o = i * c;
    const lum = c >= 3 ? 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2] : data[o];
    const a = c === 2 || c === 4 ? data[o + c - 1] / 255 : 1;
    grey[i] = (a * lum) / 255 + (1 - a);
  }
  let border = 0,
    count = 0;
  for (let x = 0; x < w; x++) {
    border += grey[x] + grey[(h - 1) * w + x];
    count += 2;
  }
  for (let y = 0; y < h; y++) {
    border += grey[y * w] + grey[y * w + w - 1];
    count += 2;
  }
  const inverted = border / count > 0.5;
  if (inverted) for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
  // Paper is rarely pure white: its level becomes black, the strongest ink white.
  const background = inverted ? 1 - border / count : border / count;
  let top = 0;
  for (const v of grey) top = Math.max(top, v);
  const range = top - background;
  for (let i = 0; i < grey.length; i++)
    grey[i] = range > 0.05 ? Math.min(1, Math.max(0, (grey[i] - background) / range)) : 0;
  return { pixels: centreDigit(grey, w, h), inverted };
}

/**
 * `grey` (`width × height`, values in [0, 1], light ink on black) → 784 values in [0, 1]: the
 * ink's bounding box scaled to fit 20×20 and its centre of mass put at the centre of 28×28. All
 * zeros when there is no ink.
 */
export function centreDigit(grey: Float32Array, width: number, height: number): Float32Array {
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] >= INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const out = new Float32Array(784);
  if (x1 < 0) return out;
  const bw = x1 - x0 + 1,
    bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale)),
    th = Math.max(1, Math.round(bh * scale));
  const small = resampleArea(grey, width, x0, y0, bw, bh, tw, th);

  let mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const ox = Math.round(14 - mx / mass),
    oy = Math.round(14 - my / mass);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox,
        Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[y * tw + x]);
    }
  }
  return out;
}

/** Area-average resampling of the box (x0, y0, bw, bh) of `src` (row stride `stride`) to `tw × th`. */
function resampleArea(
  src: Float32Array,
  stride: number,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  tw: number,
  th: number,
): Float32Array {
  const out = new Float32Array(tw * th);
  const sx = bw / tw,
    sy = bh / th;
  for (let ty = 0; ty < th; ty++) {
    const fy0 = ty * sy,
      fy1 = fy0 + sy;
    for (let tx = 0; tx < tw; tx++) {
      const fx0 = tx * sx,
        fx1 = fx0 + sx;
      let sum = 0;
      for (let y = Math.floor(fy0); y < Math.ceil(fy1); y++) {
        const wy = Math.min(fy1, y + 1) - Math.max(fy0, y);
        for (let x = Math.floor(fx0); x < Math.ceil(fx1); x++) {
          const wx = Math.min(fx1, x + 1) - Math.max(fx0, x);
          sum += wx * wy * src[(y0 + y) * stride + x0 + x];
        }
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}
