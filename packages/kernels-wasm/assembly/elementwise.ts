// Elementwise unary and binary kernels over float32 and int32: one generic body per loop (the
// broadcast rows, the vector then scalar tails), the per-type arithmetic in the F / I functions.
// Each exported entry switches on the op once; the @inline bodies are then specialised per op
// by the optimiser (constant op folded through the inlined switch), so inner loops hold no branch.
// int32 results wrap modulo 2^32 as tfjs-backend-cpu's do when it stores float64 results into an
// Int32Array; where JavaScript would produce Infinity or NaN (division by zero) the stored int is 0.
import { UnaryOp, BinaryOp } from './opcodes';
import { ldf, ldi, sti, ldv, stv } from './simd';
import { BroadcastAttr } from './layouts';
import { expV, tanhV, sigmoidV, expS, tanhS, sigmoidS } from './math';

// ---- float32 arithmetic --------------------------------------------------------------------------

const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;

@inline function unaryF(op: i32, x: f32, a: f32, b: f32): f32 {
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
@inline function unaryHasVF(op: i32): bool {
  return op == UnaryOp.ABS || op == UnaryOp.NEG || op == UnaryOp.EXP || op == UnaryOp.SQRT ||
    op == UnaryOp.SQUARE || op == UnaryOp.RELU || op == UnaryOp.RELU6 || op == UnaryOp.SIGMOID ||
    op == UnaryOp.TANH || op == UnaryOp.LEAKY_RELU || op == UnaryOp.CLIP || op == UnaryOp.FLOOR ||
    op == UnaryOp.CEIL || op == UnaryOp.ROUND || op == UnaryOp.RECIPROCAL || op == UnaryOp.ELU;
}

@inline function unaryVF(op: i32, x: v128, a: f32, b: f32): v128 {
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

@inline function binaryF(op: i32, x: f32, y: f32): f32 {
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
@inline function floorDivF(x: f32, y: f32): i32 {
  let q = Math.floor(<f64>x / <f64>y);
  if (Math.abs(q) < 2147483648.0) return <i32>q;
  if (!isFinite<f64>(q)) return 0;
  let m = q % TWO32; // exact: fmod of an integer-valued f64
  if (m < 0) m += TWO32;
  return <i32><u32>m;
}

@inline function binaryHasVF(op: i32): bool {
  return op <= BinaryOp.SQUARED_DIFFERENCE || op == BinaryOp.PRELU;
}

@inline function binaryVF(op: i32, x: v128, y: v128): v128 {
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

// ---- int32 arithmetic ----------------------------------------------------------------------------

@inline function floorDivI(x: i32, y: i32): i32 {
  if (y == 0) return 0;
  if (y == -1) return -x; // i32.div_s traps on MIN / -1; JavaScript's 2^31 wraps to MIN, as -x does
  let q = x / y;
  return (x % y != 0 && (x ^ y) < 0) ? q - 1 : q;
}

@inline function modI(x: i32, y: i32): i32 {
  if (y == 0) return 0;
  let r = x % y; // rem_s(MIN, -1) is 0, no trap
  return (r != 0 && (r ^ y) < 0) ? r + y : r;
}

@inline function binaryI(op: i32, x: i32, y: i32): i32 {
  switch (op) {
    case BinaryOp.ADD: return x + y;
    case BinaryOp.SUB: return x - y;
    case BinaryOp.MUL: return x * y;
    case BinaryOp.MAX: return max(x, y);
    case BinaryOp.MIN: return min(x, y);
    case BinaryOp.SQUARED_DIFFERENCE: { let d = x - y; return d * d; }
    case BinaryOp.FLOOR_DIV: return floorDivI(x, y);
    case BinaryOp.MOD: return modI(x, y);
    default: return 0;
  }
}

@inline function binaryHasVI(op: i32): bool {
  return op <= BinaryOp.SQUARED_DIFFERENCE && op != BinaryOp.DIV;
}

@inline function binaryVI(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case BinaryOp.ADD: return i32x4.add(x, y);
    case BinaryOp.SUB: return i32x4.sub(x, y);
    case BinaryOp.MUL: return i32x4.mul(x, y);
    case BinaryOp.MAX: return i32x4.max_s(x, y);
    case BinaryOp.MIN: return i32x4.min_s(x, y);
    case BinaryOp.SQUARED_DIFFERENCE: { let d = i32x4.sub(x, y); return i32x4.mul(d, d); }
    default: return x;
  }
}

@inline function unaryI(op: i32, x: i32): i32 {
  switch (op) {
    case UnaryOp.ABS: return x < 0 ? -x : x;
    case UnaryOp.NEG: return -x;
    case UnaryOp.SQUARE: return x * x;
    case UnaryOp.RELU: return max(x, 0);
    case UnaryOp.RELU6: return min(max(x, 0), 6);
    case UnaryOp.SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
    default: return 0;
  }
}

@inline function unaryVI(op: i32, x: v128): v128 {
  let zero = i32x4.splat(0);
  switch (op) {
    case UnaryOp.ABS: return i32x4.abs(x);
    case UnaryOp.NEG: return i32x4.neg(x);
    case UnaryOp.SQUARE: return i32x4.mul(x, x);
    case UnaryOp.RELU: return i32x4.max_s(x, zero);
    case UnaryOp.RELU6: return i32x4.min_s(i32x4.max_s(x, zero), i32x4.splat(6));
    // (x > 0) - (x < 0) with masks of -1: lt - gt.
    case UnaryOp.SIGN: return i32x4.sub(i32x4.lt_s(x, zero), i32x4.gt_s(x, zero));
    default: return x;
  }
}

// ---- the generic loops ---------------------------------------------------------------------------

@inline function unaryS<T>(op: i32, x: T, a: f32, b: f32): T {
  if (isFloat<T>()) return <T>unaryF(op, <f32>x, a, b);
  return <T>unaryI(op, <i32>x);
}

@inline function unaryHasV<T>(op: i32): bool {
  if (isFloat<T>()) return unaryHasVF(op);
  return true;
}

@inline function unaryV<T>(op: i32, x: v128, a: f32, b: f32): v128 {
  if (isFloat<T>()) return unaryVF(op, x, a, b);
  return unaryVI(op, x);
}

@inline function binaryS<T>(op: i32, x: T, y: T): T {
  if (isFloat<T>()) return <T>binaryF(op, <f32>x, <f32>y);
  return <T>binaryI(op, <i32>x, <i32>y);
}

@inline function binaryHasV<T>(op: i32): bool {
  if (isFloat<T>()) return binaryHasVF(op);
  return binaryHasVI(op);
}

@inline function binaryV<T>(op: i32, x: v128, y: v128): v128 {
  if (isFloat<T>()) return binaryVF(op, x, y);
  return binaryVI(op, x, y);
}

@inline function ld<T>(p: usize, i: i32): T {
  return load<T>(p + (<usize>i << 2));
}

@inline function st<T>(p: usize, i: i32, v: T): void {
  store<T>(p + (<usize>i << 2), v);
}

// The lane value at p in all four lanes.
@inline function splat<T>(p: usize): v128 {
  if (isFloat<T>()) return f32x4.splat(ldf(p, 0));
  return v128.load32_splat(p);
}

@inline function unaryLoop<T>(op: i32, x: usize, out: usize, begin: i32, end: i32, a: f32, b: f32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD && unaryHasV<T>(op)) {
    for (; i + 4 <= end; i += 4) stv(out, i, unaryV<T>(op, ldv(x, i), a, b));
  }
  for (; i < end; i++) st<T>(out, i, unaryS<T>(op, ld<T>(x, i), a, b));
}

// One output row of length n; sa/sb are the inputs' inner strides, each 0 (broadcast) or 1.
// float32 FLOOR_DIV writes int32 elements (see floorDivF).
@inline function binaryRow<T>(op: i32, a: usize, b: usize, out: usize, n: i32, sa: i32, sb: i32): void {
  if (isFloat<T>() && op == BinaryOp.FLOOR_DIV) {
    for (let k = 0; k < n; k++) sti(out, k, floorDivF(ldf(a, k * sa), ldf(b, k * sb)));
    return;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD && binaryHasV<T>(op)) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV<T>(op, ldv(a, i), ldv(b, i)));
    } else if (sa == 1) {
      let yv = splat<T>(b);
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV<T>(op, ldv(a, i), yv));
    } else if (sb == 1) {
      let xv = splat<T>(a);
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV<T>(op, xv, ldv(b, i)));
    }
  }
  for (; i < n; i++) st<T>(out, i, binaryS<T>(op, ld<T>(a, i * sa), ld<T>(b, i * sb)));
}

// attr: the broadcast block, BroadcastAttr (src/layouts.ts).
@inline function binaryRows<T>(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  let rank = ldi(attr, BroadcastAttr.RANK);
  let shape = BroadcastAttr.SHAPE, aStrides = shape + rank, bStrides = shape + 2 * rank;
  let n = ldi(attr, shape + rank - 1);
  let sa = ldi(attr, aStrides + rank - 1);
  let sb = ldi(attr, bStrides + rank - 1);
  for (let row = begin; row < end; row++) {
    let rem = row, oa = 0, ob = 0;
    for (let d = rank - 2; d >= 0; d--) {
      let size = ldi(attr, shape + d);
      let idx = rem % size;
      rem = rem / size;
      oa += idx * ldi(attr, aStrides + d);
      ob += idx * ldi(attr, bStrides + d);
    }
    binaryRow<T>(op, a + (<usize>oa << 2), b + (<usize>ob << 2), out + (<usize>(row * n) << 2), n, sa, sb);
  }
}

// ---- the kernels -----------------------------------------------------------------------------------

/**
 * out[i] = op(x[i]) for i in [begin, end); `a`, `b` carry alpha / clip bounds. Ranges come last in every
 * kernel so threads can split them.
 */
export function unary_f32(op: i32, x: usize, out: usize, a: f32, b: f32, begin: i32, end: i32): void {
  switch (op) {
    case UnaryOp.ABS: unaryLoop<f32>(UnaryOp.ABS, x, out, begin, end, a, b); break;
    case UnaryOp.NEG: unaryLoop<f32>(UnaryOp.NEG, x, out, begin, end, a, b); break;
    case UnaryOp.EXP: unaryLoop<f32>(UnaryOp.EXP, x, out, begin, end, a, b); break;
    case UnaryOp.LOG: unaryLoop<f32>(UnaryOp.LOG, x, out, begin, end, a, b); break;
    case UnaryOp.SQRT: unaryLoop<f32>(UnaryOp.SQRT, x, out, begin, end, a, b); break;
    case UnaryOp.RSQRT: unaryLoop<f32>(UnaryOp.RSQRT, x, out, begin, end, a, b); break;
    case UnaryOp.SQUARE: unaryLoop<f32>(UnaryOp.SQUARE, x, out, begin, end, a, b); break;
    case UnaryOp.RELU: unaryLoop<f32>(UnaryOp.RELU, x, out, begin, end, a, b); break;
    case UnaryOp.RELU6: unaryLoop<f32>(UnaryOp.RELU6, x, out, begin, end, a, b); break;
    case UnaryOp.SIGMOID: unaryLoop<f32>(UnaryOp.SIGMOID, x, out, begin, end, a, b); break;
    case UnaryOp.TANH: unaryLoop<f32>(UnaryOp.TANH, x, out, begin, end, a, b); break;
    case UnaryOp.ELU: unaryLoop<f32>(UnaryOp.ELU, x, out, begin, end, a, b); break;
    case UnaryOp.SELU: unaryLoop<f32>(UnaryOp.SELU, x, out, begin, end, a, b); break;
    case UnaryOp.SOFTPLUS: unaryLoop<f32>(UnaryOp.SOFTPLUS, x, out, begin, end, a, b); break;
    case UnaryOp.LEAKY_RELU: unaryLoop<f32>(UnaryOp.LEAKY_RELU, x, out, begin, end, a, b); break;
    case UnaryOp.CLIP: unaryLoop<f32>(UnaryOp.CLIP, x, out, begin, end, a, b); break;
    case UnaryOp.FLOOR: unaryLoop<f32>(UnaryOp.FLOOR, x, out, begin, end, a, b); break;
    case UnaryOp.CEIL: unaryLoop<f32>(UnaryOp.CEIL, x, out, begin, end, a, b); break;
    case UnaryOp.ROUND: unaryLoop<f32>(UnaryOp.ROUND, x, out, begin, end, a, b); break;
    case UnaryOp.SIGN: unaryLoop<f32>(UnaryOp.SIGN, x, out, begin, end, a, b); break;
    case UnaryOp.RECIPROCAL: unaryLoop<f32>(UnaryOp.RECIPROCAL, x, out, begin, end, a, b); break;
    case UnaryOp.STEP: unaryLoop<f32>(UnaryOp.STEP, x, out, begin, end, a, b); break;
    case UnaryOp.EXPM1: unaryLoop<f32>(UnaryOp.EXPM1, x, out, begin, end, a, b); break;
    case UnaryOp.LOG1P: unaryLoop<f32>(UnaryOp.LOG1P, x, out, begin, end, a, b); break;
    case UnaryOp.SIN: unaryLoop<f32>(UnaryOp.SIN, x, out, begin, end, a, b); break;
    case UnaryOp.COS: unaryLoop<f32>(UnaryOp.COS, x, out, begin, end, a, b); break;
    case UnaryOp.TAN: unaryLoop<f32>(UnaryOp.TAN, x, out, begin, end, a, b); break;
    case UnaryOp.ASIN: unaryLoop<f32>(UnaryOp.ASIN, x, out, begin, end, a, b); break;
    case UnaryOp.ACOS: unaryLoop<f32>(UnaryOp.ACOS, x, out, begin, end, a, b); break;
    case UnaryOp.ATAN: unaryLoop<f32>(UnaryOp.ATAN, x, out, begin, end, a, b); break;
    case UnaryOp.SINH: unaryLoop<f32>(UnaryOp.SINH, x, out, begin, end, a, b); break;
    case UnaryOp.COSH: unaryLoop<f32>(UnaryOp.COSH, x, out, begin, end, a, b); break;
    case UnaryOp.ASINH: unaryLoop<f32>(UnaryOp.ASINH, x, out, begin, end, a, b); break;
    case UnaryOp.ACOSH: unaryLoop<f32>(UnaryOp.ACOSH, x, out, begin, end, a, b); break;
    case UnaryOp.ATANH: unaryLoop<f32>(UnaryOp.ATANH, x, out, begin, end, a, b); break;
    case UnaryOp.ERF: unaryLoop<f32>(UnaryOp.ERF, x, out, begin, end, a, b); break;
    default: unreachable();
  }
}

/**
 * Broadcasting binary op over rows [begin, end) of the output (rows = all dims but the last).
 * The output is float32, except for FLOOR_DIV: int32.
 */
export function binary_f32(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  switch (op) {
    case BinaryOp.ADD: binaryRows<f32>(BinaryOp.ADD, a, b, out, attr, begin, end); break;
    case BinaryOp.SUB: binaryRows<f32>(BinaryOp.SUB, a, b, out, attr, begin, end); break;
    case BinaryOp.MUL: binaryRows<f32>(BinaryOp.MUL, a, b, out, attr, begin, end); break;
    case BinaryOp.DIV: binaryRows<f32>(BinaryOp.DIV, a, b, out, attr, begin, end); break;
    case BinaryOp.MAX: binaryRows<f32>(BinaryOp.MAX, a, b, out, attr, begin, end); break;
    case BinaryOp.MIN: binaryRows<f32>(BinaryOp.MIN, a, b, out, attr, begin, end); break;
    case BinaryOp.SQUARED_DIFFERENCE: binaryRows<f32>(BinaryOp.SQUARED_DIFFERENCE, a, b, out, attr, begin, end); break;
    case BinaryOp.POW: binaryRows<f32>(BinaryOp.POW, a, b, out, attr, begin, end); break;
    case BinaryOp.FLOOR_DIV: binaryRows<f32>(BinaryOp.FLOOR_DIV, a, b, out, attr, begin, end); break;
    case BinaryOp.MOD: binaryRows<f32>(BinaryOp.MOD, a, b, out, attr, begin, end); break;
    case BinaryOp.ATAN2: binaryRows<f32>(BinaryOp.ATAN2, a, b, out, attr, begin, end); break;
    case BinaryOp.PRELU: binaryRows<f32>(BinaryOp.PRELU, a, b, out, attr, begin, end); break;
    default: unreachable();
  }
}

/** Broadcasting int32 op (Add, Sub, Mul, Max, Min, SquaredDifference, FloorDiv, Mod), output rows [begin, end). */
export function binary_i32(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  switch (op) {
    case BinaryOp.ADD: binaryRows<i32>(BinaryOp.ADD, a, b, out, attr, begin, end); break;
    case BinaryOp.SUB: binaryRows<i32>(BinaryOp.SUB, a, b, out, attr, begin, end); break;
    case BinaryOp.MUL: binaryRows<i32>(BinaryOp.MUL, a, b, out, attr, begin, end); break;
    case BinaryOp.MAX: binaryRows<i32>(BinaryOp.MAX, a, b, out, attr, begin, end); break;
    case BinaryOp.MIN: binaryRows<i32>(BinaryOp.MIN, a, b, out, attr, begin, end); break;
    case BinaryOp.SQUARED_DIFFERENCE: binaryRows<i32>(BinaryOp.SQUARED_DIFFERENCE, a, b, out, attr, begin, end); break;
    case BinaryOp.FLOOR_DIV: binaryRows<i32>(BinaryOp.FLOOR_DIV, a, b, out, attr, begin, end); break;
    case BinaryOp.MOD: binaryRows<i32>(BinaryOp.MOD, a, b, out, attr, begin, end); break;
    default: unreachable();
  }
}

/** out[i] = op(x[i]) over int32 (Abs, Neg, Square, Relu, Relu6, Sign codes), i in [begin, end). */
export function unary_i32(op: i32, x: usize, out: usize, begin: i32, end: i32): void {
  switch (op) {
    case UnaryOp.ABS: unaryLoop<i32>(UnaryOp.ABS, x, out, begin, end, 0, 0); break;
    case UnaryOp.NEG: unaryLoop<i32>(UnaryOp.NEG, x, out, begin, end, 0, 0); break;
    case UnaryOp.SQUARE: unaryLoop<i32>(UnaryOp.SQUARE, x, out, begin, end, 0, 0); break;
    case UnaryOp.RELU: unaryLoop<i32>(UnaryOp.RELU, x, out, begin, end, 0, 0); break;
    case UnaryOp.RELU6: unaryLoop<i32>(UnaryOp.RELU6, x, out, begin, end, 0, 0); break;
    case UnaryOp.SIGN: unaryLoop<i32>(UnaryOp.SIGN, x, out, begin, end, 0, 0); break;
    default: unreachable();
  }
}
