// Seeded inputs and weights: every contender (the tfjs backends and onnxruntime-web) gets the
// same numbers, so their outputs can be compared before any timing.

/** mulberry32: a small, fast 32-bit generator; plenty for bench data. */
function generator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/** `shape`'s count of uniform floats in [lo, hi). */
export function uniform(shape, lo, hi, seed) {
  const next = generator(seed);
  const out = new Float32Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** Uniform weights scaled like He initialisation: variance 2 / fanIn. */
export function he(shape, fanIn, seed) {
  const a = Math.sqrt(6 / fanIn);
  return uniform(shape, -a, a, seed);
}

/** Integers in [0, n). */
export function integers(count, n, seed) {
  const next = generator(seed);
  return Int32Array.from({ length: count }, () => Math.floor(next() * n));
}

/**
 * Transposes a row-major array of `shape` by `perm` (as tf.transpose / ONNX Transpose):
 * NHWC→NCHW is [0, 3, 1, 2], HWIO→OIHW is [3, 2, 0, 1].
 */
export function transpose(data, shape, perm) {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const strides = perm.map((p) => inStrides[p]);
  const out = new data.constructor(data.length);
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * strides[d];
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Largest |a - b| relative to the largest |b|: how far `a` strays from the reference `b`.
 * Throws when the lengths differ or a value is not finite.
 */
export function relativeError(a, b) {
  if (a.length !== b.length) throw new Error(`outputs differ in size: ${a.length} against ${b.length}`);
  let diff = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i]))
      throw new Error(`output ${i} is not finite (${a[i]}, ${b[i]})`);
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}
