// A drawing becomes an MNIST-like input the way the MNIST digits were made: the ink's bounding
// box is scaled (aspect kept, area-averaged) to fit 20×20, then placed in a 28×28 field so that
// its centre of mass sits at the centre.

/** Pixels ≥ this count as ink when finding the bounding box. */
const INK = 0.1;

/**
 * `gray` (`width × height`, values in [0, 1], white ink on black) → 784 values in [0, 1],
 * MNIST-centred. All zeros when there is no ink.
 */
export function centreDigit(gray: Float32Array, width: number, height: number): Float32Array {
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x] >= INK) {
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
  const small = resampleArea(gray, width, x0, y0, bw, bh, tw, th);

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

/** Area-average resampling of the box (x0, y0, bw, bh) of `src` (row stride `stride`) to tw × th. */
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

/** The 28×28 image moved by (dx, dy) pixels, zeros shifted in. */
export function shiftDigit(pixels: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const X = x - dx,
        Y = y - dy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[y * 28 + x] = pixels[Y * 28 + X];
    }
  }
  return out;
}
