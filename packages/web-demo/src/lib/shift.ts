// Moving an MNIST input around (the CNN page's shift test). Turning pictures into MNIST inputs is
// `toMnistInput` / `centreDigit` of @lanes/models, shared with the CLI.

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
