// Elementwise unary and binary kernels over float32.
// Each exported entry switches on the op once; the @inline bodies are then specialised per op
// by the optimiser (constant op folded through the inlined switch), so inner loops hold no branch.
import { UnaryOp, BinaryOp } from './opcodes';
import { ldf, stf, ldi, sti, ldv, stv } from './simd';
import { expV, tanhV, sigmoidV, expS, tanhS, sigmoidS } from './math';

const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;

@inline function unaryS(op: i32, x: f32, a: f32, b: f32): f32 {
  switch (op) {
    case UnaryOp.ABS: return Mathf.abs(x);
    case UnaryOp.NEG: return -x;
    case UnaryOp.EXP: return expS(x);
    case UnaryOp.LOG: return <f32>Math.log(<f64>x);
    case UnaryOp.SQRT: return Mathf.sqrt(x);
    case UnaryOp.RSQRT: return <f32>(1.0 / Math.sqrt(<f64>x));
    case UnaryOp.SQUARE: return x * x;
    case UnaryOp.RELU: return x > 0 ? x : (x != x ? x : 0);
    case UnaryOp.RELU6: return x != x ? x : Mathf.min(Mathf.max(x, 0), 6);
    case UnaryOp.SIGMOID: return sigmoidS(x);
    case UnaryOp.TANH: return tanhS(x);
    case UnaryOp.ELU: return x >= 0 ? x : <f32>(Math.exp(<f64>x) - 1.0);
    case UnaryOp.SELU: return x >= 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * <f32>(Math.exp(<f64>x) - 1.0);
    case UnaryOp.SOFTPLUS: {
      // As tfjs-cpu: guard both tails so exp neither overflows nor loses the linear part.
      const threshold: f32 = 1.1920928955078125e-7;
      const thr: f32 = <f32>Math.log(<f64>threshold) + 2.0;
      if (x > -thr) return x;
      if (x < thr) return expS(x);
      return <f32>Math.log(1.0 + Math.exp(<f64>x));
    }
    case UnaryOp.LEAKY_RELU: return x < 0 ? a * x : x;
    case UnaryOp.CLIP: return x != x ? x : Mathf.min(Mathf.max(x, a), b);
    case UnaryOp.FLOOR: return Mathf.floor(x);
    case UnaryOp.CEIL: return Mathf.ceil(x);
    case UnaryOp.ROUND: return nearest<f32>(x); // round half to even, as tfjs
    case UnaryOp.SIGN: return x != x ? 0 : (x > 0 ? 1 : (x < 0 ? -1 : 0));
    case UnaryOp.RECIPROCAL: return 1.0 / x;
    case UnaryOp.STEP: return x != x ? NaN : (x > 0 ? 1 : a);
    case UnaryOp.EXPM1: return <f32>Math.expm1(<f64>x);
    case UnaryOp.LOG1P: return <f32>Math.log1p(<f64>x);
    case UnaryOp.SIN: return <f32>Math.sin(<f64>x);
    case UnaryOp.COS: return <f32>Math.cos(<f64>x);
    case UnaryOp.TAN: return <f32>Math.tan(<f64>x);
    case UnaryOp.ASIN: return <f32>Math.asin(<f64>x);
    case UnaryOp.ACOS: return <f32>Math.acos(<f64>x);
    case UnaryOp.ATAN: return <f32>Math.atan(<f64>x);
    case UnaryOp.SINH: return <f32>Math.sinh(<f64>x);
    case UnaryOp.COSH: return <f32>Math.cosh(<f64>x);
    case UnaryOp.ASINH: return <f32>Math.asinh(<f64>x);
    case UnaryOp.ACOSH: return <f32>Math.acosh(<f64>x);
    case UnaryOp.ATANH: return <f32>Math.atanh(<f64>x);
    case UnaryOp.ERF: return erfS(x);
    default: return NaN;
  }
}

// Abramowitz–Stegun 7.1.26 as tfjs-cpu uses it, so both backends agree closely.
@inline function erfS(v: f32): f32 {
  const p: f64 = 0.3275911, a1: f64 = 0.254829592, a2: f64 = -0.284496736;
  const a3: f64 = 1.421413741, a4: f64 = -1.453152027, a5: f64 = 1.061405429;
  let x = <f64>v;
  let s: f64 = x < 0 ? -1 : 1;
  x = Math.abs(x);
  let t = 1.0 / (1.0 + p * x);
  return <f32>(s * (1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * Math.exp(-x * x)));
}

/** Whether an op has a vector form; the rest run lane by lane through the scalar form. */
@inline function unaryHasV(op: i32): bool {
  return op == UnaryOp.ABS || op == UnaryOp.NEG || op == UnaryOp.EXP || op == UnaryOp.SQRT ||
    op == UnaryOp.SQUARE || op == UnaryOp.RELU || op == UnaryOp.RELU6 || op == UnaryOp.SIGMOID ||
    op == UnaryOp.TANH || op == UnaryOp.LEAKY_RELU || op == UnaryOp.CLIP || op == UnaryOp.FLOOR ||
    op == UnaryOp.CEIL || op == UnaryOp.ROUND || op == UnaryOp.RECIPROCAL || op == UnaryOp.ELU;
}

@inline function unaryV(op: i32, x: v128, a: f32, b: f32): v128 {
  switch (op) {
    case UnaryOp.ABS: return f32x4.abs(x);
    case UnaryOp.NEG: return f32x4.neg(x);
    case UnaryOp.EXP: return expV(x);
    case UnaryOp.SQRT: return f32x4.sqrt(x);
    case UnaryOp.SQUARE: return f32x4.mul(x, x);
    // max(x,0) would turn NaN into NaN already in wasm (NaN-propagating max): matches tfjs.
    case UnaryOp.RELU: return f32x4.max(x, f32x4.splat(0));
    case UnaryOp.RELU6: return f32x4.min(f32x4.max(x, f32x4.splat(0)), f32x4.splat(6));
    case UnaryOp.SIGMOID: return sigmoidV(x);
    case UnaryOp.TANH: return tanhV(x);
    case UnaryOp.LEAKY_RELU: return v128.bitselect(f32x4.mul(x, f32x4.splat(a)), x, f32x4.lt(x, f32x4.splat(0)));
    case UnaryOp.CLIP: return f32x4.min(f32x4.max(x, f32x4.splat(a)), f32x4.splat(b));
    case UnaryOp.FLOOR: return f32x4.floor(x);
    case UnaryOp.CEIL: return f32x4.ceil(x);
    case UnaryOp.ROUND: return f32x4.nearest(x);
    case UnaryOp.RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case UnaryOp.ELU: return v128.bitselect(x, f32x4.sub(expV(x), f32x4.splat(1)), f32x4.ge(x, f32x4.splat(0)));
    default: return x;
  }
}

@inline function unaryLoop(op: i32, x: usize, out: usize, begin: i32, end: i32, a: f32, b: f32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD && unaryHasV(op)) {
    for (; i + 4 <= end; i += 4) stv(out, i, unaryV(op, ldv(x, i), a, b));
  }
  for (; i < end; i++) stf(out, i, unaryS(op, ldf(x, i), a, b));
}

/** out[i] = op(x[i]) for i in [begin, end); `a`, `b` carry alpha / clip bounds. Ranges come last in every kernel so threads can split them. */
export function unary_f32(op: i32, x: usize, out: usize, a: f32, b: f32, begin: i32, end: i32): void {
  switch (op) {
    case UnaryOp.ABS: unaryLoop(UnaryOp.ABS, x, out, begin, end, a, b); break;
    case UnaryOp.NEG: unaryLoop(UnaryOp.NEG, x, out, begin, end, a, b); break;
    case UnaryOp.EXP: unaryLoop(UnaryOp.EXP, x, out, begin, end, a, b); break;
    case UnaryOp.LOG: unaryLoop(UnaryOp.LOG, x, out, begin, end, a, b); break;
    case UnaryOp.SQRT: unaryLoop(UnaryOp.SQRT, x, out, begin, end, a, b); break;
    case UnaryOp.RSQRT: unaryLoop(UnaryOp.RSQRT, x, out, begin, end, a, b); break;
    case UnaryOp.SQUARE: unaryLoop(UnaryOp.SQUARE, x, out, begin, end, a, b); break;
    case UnaryOp.RELU: unaryLoop(UnaryOp.RELU, x, out, begin, end, a, b); break;
    case UnaryOp.RELU6: unaryLoop(UnaryOp.RELU6, x, out, begin, end, a, b); break;
    case UnaryOp.SIGMOID: unaryLoop(UnaryOp.SIGMOID, x, out, begin, end, a, b); break;
    case UnaryOp.TANH: unaryLoop(UnaryOp.TANH, x, out, begin, end, a, b); break;
    case UnaryOp.ELU: unaryLoop(UnaryOp.ELU, x, out, begin, end, a, b); break;
    case UnaryOp.SELU: unaryLoop(UnaryOp.SELU, x, out, begin, end, a, b); break;
    case UnaryOp.SOFTPLUS: unaryLoop(UnaryOp.SOFTPLUS, x, out, begin, end, a, b); break;
    case UnaryOp.LEAKY_RELU: unaryLoop(UnaryOp.LEAKY_RELU, x, out, begin, end, a, b); break;
    case UnaryOp.CLIP: unaryLoop(UnaryOp.CLIP, x, out, begin, end, a, b); break;
    case UnaryOp.FLOOR: unaryLoop(UnaryOp.FLOOR, x, out, begin, end, a, b); break;
    case UnaryOp.CEIL: unaryLoop(UnaryOp.CEIL, x, out, begin, end, a, b); break;
    case UnaryOp.ROUND: unaryLoop(UnaryOp.ROUND, x, out, begin, end, a, b); break;
    case UnaryOp.SIGN: unaryLoop(UnaryOp.SIGN, x, out, begin, end, a, b); break;
    case UnaryOp.RECIPROCAL: unaryLoop(UnaryOp.RECIPROCAL, x, out, begin, end, a, b); break;
    case UnaryOp.STEP: unaryLoop(UnaryOp.STEP, x, out, begin, end, a, b); break;
    case UnaryOp.EXPM1: unaryLoop(UnaryOp.EXPM1, x, out, begin, end, a, b); break;
    case UnaryOp.LOG1P: unaryLoop(UnaryOp.LOG1P, x, out, begin, end, a, b); break;
    case UnaryOp.SIN: unaryLoop(UnaryOp.SIN, x, out, begin, end, a, b); break;
    case UnaryOp.COS: unaryLoop(UnaryOp.COS, x, out, begin, end, a, b); break;
    case UnaryOp.TAN: unaryLoop(UnaryOp.TAN, x, out, begin, end, a, b); break;
    case UnaryOp.ASIN: unaryLoop(UnaryOp.ASIN, x, out, begin, end, a, b); break;
    case UnaryOp.ACOS: unaryLoop(UnaryOp.ACOS, x, out, begin, end, a, b); break;
    case UnaryOp.ATAN: unaryLoop(UnaryOp.ATAN, x, out, begin, end, a, b); break;
    case UnaryOp.SINH: unaryLoop(UnaryOp.SINH, x, out, begin, end, a, b); break;
    case UnaryOp.COSH: unaryLoop(UnaryOp.COSH, x, out, begin, end, a, b); break;
    case UnaryOp.ASINH: unaryLoop(UnaryOp.ASINH, x, out, begin, end, a, b); break;
    case UnaryOp.ACOSH: unaryLoop(UnaryOp.ACOSH, x, out, begin, end, a, b); break;
    case UnaryOp.ATANH: unaryLoop(UnaryOp.ATANH, x, out, begin, end, a, b); break;
    case UnaryOp.ERF: unaryLoop(UnaryOp.ERF, x, out, begin, end, a, b); break;
    default: unreachable();
  }
}

@inline function binaryS(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case BinaryOp.ADD: return x + y;
    case BinaryOp.SUB: return x - y;
    case BinaryOp.MUL: return x * y;
    case BinaryOp.DIV: return x / y;
    // f32.max / f32.min: NaN if either is NaN, and -0 < +0 (a comparison would return the second
    // operand for max(0, -0) = -0; tfjs's Math.max gives +0, as f32x4.max in the vector body).
    case BinaryOp.MAX: return max<f32>(x, y);
    case BinaryOp.MIN: return min<f32>(x, y);
    case BinaryOp.SQUARED_DIFFERENCE: { let d = x - y; return d * d; }
    case BinaryOp.POW: return <f32>Math.pow(<f64>x, <f64>y);
    case BinaryOp.MOD: {
      let r = <f32>(<f64>x % <f64>y);
      if ((x < 0 && y < 0) || (x >= 0 && y >= 0)) return r;
      return <f32>((<f64>r + <f64>y) % <f64>y);
    }
    case BinaryOp.ATAN2: return <f32>Math.atan2(<f64>x, <f64>y);
    case BinaryOp.PRELU: return x < 0 ? x * y : x;
    default: return NaN;
  }
}

const TWO32: f64 = 4294967296.0;

// FloorDiv is int32 in tfjs: ToInt32(floor(x / y)) with the quotient in float64. Rounding the
// quotient to float32 first can land on the next integer (0.7 / 0.1 -> 7, not 6), and a float32
// result cannot hold quotients past 2^24, so the kernel writes the int32 itself. NaN and ±Inf give
// 0; quotients outside the int32 range wrap modulo 2^32, as JavaScript's store into an Int32Array.
@inline function floorDivS(x: f32, y: f32): i32 {
  let q = Math.floor(<f64>x / <f64>y);
  if (Math.abs(q) < 2147483648.0) return <i32>q;
  if (!isFinite<f64>(q)) return 0;
  let m = q % TWO32; // exact: fmod of an integer-valued f64
  if (m < 0) m += TWO32;
  return <i32><u32>m;
}

@inline function binaryHasV(op: i32): bool {
  return op <= BinaryOp.SQUARED_DIFFERENCE || op == BinaryOp.PRELU;
}

@inline function binaryV(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case BinaryOp.ADD: return f32x4.add(x, y);
    case BinaryOp.SUB: return f32x4.sub(x, y);
    case BinaryOp.MUL: return f32x4.mul(x, y);
    case BinaryOp.DIV: return f32x4.div(x, y);
    case BinaryOp.MAX: return f32x4.max(x, y);
    case BinaryOp.MIN: return f32x4.min(x, y);
    case BinaryOp.SQUARED_DIFFERENCE: { let d = f32x4.sub(x, y); return f32x4.mul(d, d); }
    case BinaryOp.PRELU: return v128.bitselect(f32x4.mul(x, y), x, f32x4.lt(x, f32x4.splat(0)));
    default: return x;
  }
}

// One output row of length n; sa/sb are the inputs' inner strides, each 0 (broadcast) or 1.
// FLOOR_DIV writes int32 elements (see floorDivS).
@inline function binaryRow(op: i32, a: usize, b: usize, out: usize, n: i32, sa: i32, sb: i32): void {
  if (op == BinaryOp.FLOOR_DIV) {
    for (let k = 0; k < n; k++) sti(out, k, floorDivS(ldf(a, k * sa), ldf(b, k * sb)));
    return;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD && binaryHasV(op)) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV(op, ldv(a, i), ldv(b, i)));
    } else if (sa == 1) {
      let yv = f32x4.splat(ldf(b, 0));
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV(op, ldv(a, i), yv));
    } else if (sb == 1) {
      let xv = f32x4.splat(ldf(a, 0));
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV(op, xv, ldv(b, i)));
    }
  }
  for (; i < n; i++) stf(out, i, binaryS(op, ldf(a, i * sa), ldf(b, i * sb)));
}

// attr (i32): rank, shape[rank], aStrides[rank], bStrides[rank] (element strides, 0 = broadcast).
@inline function binaryRows(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  let rank = ldi(attr, 0);
  let n = ldi(attr, rank);
  let sa = ldi(attr, 2 * rank);
  let sb = ldi(attr, 3 * rank);
  for (let row = begin; row < end; row++) {
    let rem = row, oa = 0, ob = 0;
    for (let d = rank - 2; d >= 0; d--) {
      let size = ldi(attr, 1 + d);
      let idx = rem % size;
      rem = rem / size;
      oa += idx * ldi(attr, 1 + rank + d);
      ob += idx * ldi(attr, 1 + 2 * rank + d);
    }
    binaryRow(op, a + (<usize>oa << 2), b + (<usize>ob << 2), out + (<usize>(row * n) << 2), n, sa, sb);
  }
}

/**
 * Broadcasting binary op over rows [begin, end) of the output (rows = all dims but the last).
 * The output is float32, except for FLOOR_DIV: int32.
 */
export function binary_f32(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  switch (op) {
    case BinaryOp.ADD: binaryRows(BinaryOp.ADD, a, b, out, attr, begin, end); break;
    case BinaryOp.SUB: binaryRows(BinaryOp.SUB, a, b, out, attr, begin, end); break;
    case BinaryOp.MUL: binaryRows(BinaryOp.MUL, a, b, out, attr, begin, end); break;
    case BinaryOp.DIV: binaryRows(BinaryOp.DIV, a, b, out, attr, begin, end); break;
    case BinaryOp.MAX: binaryRows(BinaryOp.MAX, a, b, out, attr, begin, end); break;
    case BinaryOp.MIN: binaryRows(BinaryOp.MIN, a, b, out, attr, begin, end); break;
    case BinaryOp.SQUARED_DIFFERENCE: binaryRows(BinaryOp.SQUARED_DIFFERENCE, a, b, out, attr, begin, end); break;
    case BinaryOp.POW: binaryRows(BinaryOp.POW, a, b, out, attr, begin, end); break;
    case BinaryOp.FLOOR_DIV: binaryRows(BinaryOp.FLOOR_DIV, a, b, out, attr, begin, end); break;
    case BinaryOp.MOD: binaryRows(BinaryOp.MOD, a, b, out, attr, begin, end); break;
    case BinaryOp.ATAN2: binaryRows(BinaryOp.ATAN2, a, b, out, attr, begin, end); break;
    case BinaryOp.PRELU: binaryRows(BinaryOp.PRELU, a, b, out, attr, begin, end); break;
    default: unreachable();
  }
}
