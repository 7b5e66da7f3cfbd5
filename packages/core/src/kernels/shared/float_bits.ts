const bits = new Int32Array(1);
const floats = new Float32Array(bits.buffer);

/** The bits of `v` as a float32, for float values passed in i32 attribute words. */
export function floatBits(v: number): number {
  floats[0] = v;
  return bits[0];
}
