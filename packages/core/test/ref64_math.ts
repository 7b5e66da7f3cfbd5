// float64 references of the elementwise and reduction ops, with tfjs's definitions (what NaN, ±0
// and integer division by zero give) computed exactly in float64 from the float32 inputs.
import {
  broadcastIndex,
  broadcastShape,
  ref,
  roundHalfEven,
  sizeOf,
  stridesOf,
  unravel,
  type DType,
  type Ref,
} from './ref64_core.js';

const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_SCALEALPHA = 1.7580993408473768599402175208123;

/** erf by its Maclaurin series (|x| ≤ 3) or continued fraction of erfc, to ~1e-13. */
function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 3) {
    let term = a,
      sum = a;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum) || x;
  }
  // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))) (Lentz, from the tail).
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** tfjs's unary ops in float64 (the definitions of tfjs-core's ops; erf exact). */
export const UNARY64: Record<string, (x: number) => number> = {
  abs: Math.abs,
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  relu: (x) => (Number.isNaN(x) ? NaN : Math.max(0, x)),
  relu6: (x) => (Number.isNaN(x) ? NaN : Math.min(Math.max(0, x), 6)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  elu: (x) => (x >= 0 ? x : Math.expm1(x)),
  selu: (x) => (x >= 0 ? SELU_SCALE * x : SELU_SCALEALPHA * Math.expm1(x)),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  leakyRelu: (x) => (x < 0 ? 0.3 * x : x),
  clipByValue: (x) => (x > 2.25 ? 2.25 : x < -1.5 ? -1.5 : x),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  // tfjs: -1, 1 or 0 (NaN and -0 give 0).
  sign: (x) => (x < 0 ? -1 : x > 0 ? 1 : 0),
  reciprocal: (x) => 1 / x,
  // step(x, 0.25): 1 above 0, else alpha = 0.25.
  step: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : 0.25),
  expm1: Math.expm1,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  erf: erf64,
};

/** tfjs's gradient of each activation at x for upstream dy (the formulas of tfjs-core's gradients). */
export const ACTIVATION_GRAD64: Record<string, (x: number, dy: number) => number> = {
  relu: (x, dy) => dy * (x > 0 ? 1 : 0),
  relu6: (x, dy) => dy * (x > 0 && x <= 6 ? 1 : 0),
  elu: (x, dy) => {
    const y = x >= 0 ? x : Math.expm1(x);
    return y >= 0 ? dy : dy * (y + 1);
  },
  selu: (x, dy) => (x > 0 ? dy * SELU_SCALE : dy * SELU_SCALEALPHA * Math.exp(x)),
  sigmoid: (x, dy) => {
    const s = 1 / (1 + Math.exp(-x));
    return dy * s * (1 - s);
  },
  tanh: (x, dy) => (1 - Math.tanh(x) ** 2) * dy,
  softplus: (x, dy) => dy / (1 + Math.exp(-x)),
  leakyRelu: (x, dy) => (x > 0 ? dy : dy * 0.2),
  prelu: (x, dy) => (x > 0 ? dy : dy * 0.15),
  // step(x, -1): 1 above 0, -1 at and below it.
  abs: (x, dy) => dy * (x > 0 ? 1 : -1),
  exp: (x, dy) => dy * Math.exp(x),
  square: (x, dy) => dy * 2 * x,
  clip: (x, dy) => (x >= -0.5 && x <= 0.7 ? dy : 0),
  step: () => 0,
};

/** a mod b with the divisor's sign (tfjs's Mod). */
export function mod64(a: number, b: number): number {
  const r = a % b;
  return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? r : (r + b) % b;
}

/** tfjs's binary ops in float64; `out` is the result dtype for float32 and int32 inputs. */
export const BINARY64: Record<string, { f: (a: number, b: number) => number; out?: DType }> = {
  add: { f: (a, b) => a + b },
  sub: { f: (a, b) => a - b },
  mul: { f: (a, b) => a * b },
  div: { f: (a, b) => a / b },
  maximum: { f: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)) },
  minimum: { f: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)) },
  pow: { f: Math.pow },
  squaredDifference: { f: (a, b) => (a - b) * (a - b) },
  floorDiv: { f: (a, b) => Math.floor(a / b), out: 'int32' },
  mod: { f: mod64 },
  atan2: { f: Math.atan2 },
  prelu: { f: (x, alpha) => (x < 0 ? x * alpha : x) },
  equal: { f: (a, b) => +(a === b), out: 'bool' },
  notEqual: { f: (a, b) => +(a !== b), out: 'bool' },
  less: { f: (a, b) => +(a < b), out: 'bool' },
  lessEqual: { f: (a, b) => +(a <= b), out: 'bool' },
  greater: { f: (a, b) => +(a > b), out: 'bool' },
  greaterEqual: { f: (a, b) => +(a >= b), out: 'bool' },
  logicalAnd: { f: (a, b) => +(a !== 0 && b !== 0), out: 'bool' },
  logicalOr: { f: (a, b) => +(a !== 0 || b !== 0), out: 'bool' },
};

/** An elementwise map. */
export function map64(x: ArrayLike<number>, shape: number[], dtype: DType, f: (v: number, i: number) => number): Ref {
  return ref(
    shape,
    dtype,
    Array.from({ length: sizeOf(shape) }, (_, i) => f(x[i]!, i)),
  );
}

/** A broadcasting binary op. */
export function binary64(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  dtype: DType,
  f: (a: number, b: number) => number,
): Ref {
  const out = broadcastShape(aShape, bShape);
  const ia = broadcastIndex(aShape, out),
    ib = broadcastIndex(bShape, out);
  return ref(
    out,
    dtype,
    Array.from({ length: sizeOf(out) }, (_, i) => f(a[ia(i)]!, b[ib(i)]!)),
  );
}

/** Groups of a reduction: for each output position, the flat input indices it reduces. */
function reductionGroups(shape: number[], axes: number[]): { outShape: number[]; groups: number[][] } {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => shape[i]!);
  const groups: number[][] = Array.from({ length: sizeOf(outShape) }, () => []);
  const outStrides = stridesOf(outShape);
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape);
    let o = 0;
    kept.forEach((d, k) => (o += idx[d]! * outStrides[k]!));
    groups[o]!.push(i);
  }
  return { outShape, groups };
}

/** The shape of a reduction's result with keepDims. */
function keepShape(shape: number[], axes: number[], keep: boolean): number[] {
  return keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * sum / mean / max / min / prod / logSumExp / any / all of `x` over `axes`, with TensorFlow's values
 * for an empty reduction (max -Inf, min +Inf, mean NaN: 0/0, logSumExp -Inf; sum 0, prod 1) and NaN
 * propagating.
 */
export function reduce64(
  op: string,
  x: ArrayLike<number>,
  shape: number[],
  axes: number[],
  keep: boolean,
  dtype: DType,
): Ref {
  const { groups } = reductionGroups(shape, axes);
  const out = keepShape(shape, axes, keep);
  const K = axes.reduce((a, i) => a * shape[i]!, 1);
  const vals = new Float64Array(groups.length),
    mag = new Float64Array(groups.length);
  groups.forEach((g, o) => {
    const v = g.map((i) => x[i]!);
    const hasNaN = v.some(Number.isNaN);
    if (op === 'sum' || op === 'mean') {
      const s = v.reduce((a, b) => a + b, 0);
      vals[o] = op === 'mean' ? s / g.length : s;
      mag[o] = v.reduce((a, b) => a + Math.abs(b), 0) / (op === 'mean' ? Math.max(1, g.length) : 1);
    } else if (op === 'max') vals[o] = hasNaN ? NaN : Math.max(-Infinity, ...v);
    else if (op === 'min') vals[o] = hasNaN ? NaN : Math.min(Infinity, ...v);
    else if (op === 'prod') {
      vals[o] = v.reduce((a, b) => a * b, 1);
      mag[o] = Math.abs(vals[o]!);
    } else if (op === 'logSumExp') {
      // tfjs's composite: m + log Σ exp(x - m), m the max (NaN if any; -Inf if none; ±Inf gives NaN).
      const m = hasNaN ? NaN : Math.max(-Infinity, ...v);
      const s = v.reduce((a, b) => a + Math.exp(b - m), 0);
      vals[o] = m + Math.log(s);
      // Each exp's error is relative to its term, so the sum's is relative to s: log turns it absolute.
      mag[o] = Math.abs(m) + 1;
    } else if (op === 'any') vals[o] = +v.some((b) => b !== 0);
    else vals[o] = +v.every((b) => b !== 0);
  });
  const outDtype: DType =
    op === 'any' || op === 'all' ? 'bool' : op === 'mean' ? 'float32' : dtype === 'bool' ? 'int32' : dtype;
  const summed = op === 'sum' || op === 'mean' || op === 'prod' || op === 'logSumExp';
  return ref(out, outDtype, vals, mag, summed ? K + 1 : 0);
}

/** Softmax or logSoftmax over the last axis; mag bounds the rounding of the sum of exponentials. */
export function softmax64(x: ArrayLike<number>, shape: number[], log: boolean): Ref {
  const n = shape[shape.length - 1]!;
  const out = new Float64Array(sizeOf(shape));
  const mag = new Float64Array(out.length);
  for (let r = 0; r < out.length / n; r++) {
    const row = Array.from({ length: n }, (_, j) => x[r * n + j]!);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    for (let j = 0; j < n; j++) {
      out[r * n + j] = log ? row[j]! - m - Math.log(s) : e[j]! / s;
      // logSoftmax: an error δ in the log-sum is absolute, on the scale of |x - max| + log s.
      mag[r * n + j] = log ? Math.abs(row[j]! - m) + Math.log(s) : Math.abs(out[r * n + j]!);
    }
  }
  return ref(shape, 'float32', out, mag, n + 1);
}

/** argMax / argMin along `axis`: tfjs's scan keeps the first extreme (a NaN never wins after the first). */
export function argMinMax64(x: ArrayLike<number>, shape: number[], axis: number, min: boolean): Ref {
  const { outShape, groups } = reductionGroups(shape, [axis]);
  return ref(
    outShape,
    'int32',
    groups.map((g) => {
      let best = x[g[0]!]!,
        at = 0;
      g.forEach((i, j) => {
        const v = x[i]!;
        if (min ? v < best : v > best) {
          best = v;
          at = j;
        }
      });
      return at;
    }),
  );
}

/** cumsum / cumprod along `axis` (exclusive, reverse); mag: the running Σ|terms|. */
export function cumulative64(
  x: ArrayLike<number>,
  shape: number[],
  axis: number,
  exclusive: boolean,
  reverse: boolean,
  prod: boolean,
  dtype: DType,
): Ref {
  const n = shape[axis]!;
  const stride = stridesOf(shape)[axis]!;
  const out = new Float64Array(sizeOf(shape)),
    mag = new Float64Array(out.length);
  for (let i = 0; i < out.length; i++) {
    if (Math.floor(i / stride) % n !== 0) continue; // i is the start of a line along axis
    let acc = prod ? 1 : 0,
      m = prod ? 1 : 0;
    for (let s = 0; s < n; s++) {
      const k = i + (reverse ? n - 1 - s : s) * stride;
      if (exclusive) {
        out[k] = acc;
        mag[k] = m;
      }
      acc = prod ? acc * x[k]! : acc + x[k]!;
      m = prod ? Math.abs(acc) : m + Math.abs(x[k]!);
      if (!exclusive) {
        out[k] = acc;
        mag[k] = m;
      }
    }
  }
  return ref(shape, dtype === 'bool' ? 'int32' : dtype, out, mag, n + 1);
}
