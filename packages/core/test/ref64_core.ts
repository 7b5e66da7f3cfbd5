// The float64 reference's building blocks: a plain n-d array (shape, dtype, float64 values and,
// for each value, the magnitude of the terms it sums), index arithmetic and tfjs's dtype rules.
// Values are computed in float64 from the exact float32 inputs; the judge (judge64.ts) then
// allows only float32's own rounding, grown with the number of terms a value sums.

/** tfjs's dtypes that the references produce. */
export type DType = 'float32' | 'int32' | 'bool';

/** A float64 reference output. */
export interface Ref {
  shape: number[];
  dtype: DType;
  values: Float64Array;
  /** Per value, Σ|terms| it sums (absent: |value|): the scale of its rounding error. */
  mag?: Float64Array;
  /** How many terms a value sums (the reduction length), for the tolerance's growth. */
  terms?: number;
}

/** Number of elements of a shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = d === 0 ? 0 : flat % d;
    flat = d === 0 ? 0 : Math.floor(flat / d);
  }
  return idx;
}

/** A reference output from plain values. */
export function ref(shape: number[], dtype: DType, values: ArrayLike<number>, mag?: Float64Array, terms?: number): Ref {
  return { shape: shape.slice(), dtype, values: Float64Array.from(values), mag, terms };
}

/** JavaScript's ToInt32, as an Int32Array store: NaN and ±Inf give 0, the rest wraps modulo 2^32. */
export const toInt32 = (v: number): number =>
  Number.isFinite(v) ? Number(BigInt.asIntN(32, BigInt(Math.trunc(v)))) : 0;

/** A value as tfjs stores it in `dtype`: float32 rounding, ToInt32, or bool's 0/1. */
export function store(v: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return toInt32(v);
  return v !== 0 ? 1 : 0;
}

/** tfjs's round: half to even. */
export function roundHalfEven(x: number): number {
  const base = Math.floor(x);
  const d = x - base;
  if (d < 0.5) return base;
  if (d > 0.5) return Math.ceil(x); // -0.3 gives -0
  return base % 2 === 0 ? base : base + 1;
}

/** The broadcast shape of two shapes (numpy rules), or an error naming both. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1,
      db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each flat output index of `out`, the flat index into an input of `shape` broadcast to it. */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): (flat: number) => number {
  const st = stridesOf(shape);
  const off = out.length - shape.length;
  return (flat) => {
    const idx = unravel(flat, out);
    let k = 0;
    for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) k += idx[off + i]! * st[i]!;
    return k;
  };
}

/** Transposes a flat array of `shape` by `perm`. */
export function transpose64(x: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float64Array {
  const outShape = perm.map((p) => shape[p]!);
  const st = stridesOf(shape);
  const out = new Float64Array(sizeOf(outShape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, outShape);
    let k = 0;
    for (let d = 0; d < perm.length; d++) k += idx[d]! * st[perm[d]!]!;
    out[i] = x[k]!;
  }
  return out;
}
