// int32 elementwise arithmetic, so int32 tensors stay in wasm. Results wrap modulo 2^32 as
// tfjs-backend-cpu's do when it stores float64 results into an Int32Array; where JavaScript
// would produce Infinity or NaN (division by zero) the stored int is 0, and so is ours.
import { UnaryOp, BinaryOp } from './opcodes';
import { ldi, sti, ldv, stv } from './simd';

@inline function floorDivS(x: i32, y: i32): i32 {
  if (y == 0) return 0;
  if (y == -1) return -x; // i32.div_s traps on MIN / -1; JavaScript's 2^31 wraps to MIN, as -x does
  let q = x / y;
  return (x % y != 0 && (x ^ y) < 0) ? q - 1 : q;
}

@inline function modS(x: i32, y: i32): i32 {
  if (y == 0) return 0;
  let r = x % y; // rem_s(MIN, -1) is 0, no trap
  return (r != 0 && (r ^ y) < 0) ? r + y : r;
}

@inline function binaryS(op: i32, x: i32, y: i32): i32 {
  switch (op) {
    case BinaryOp.ADD: return x + y;
    case BinaryOp.SUB: return x - y;
    case BinaryOp.MUL: return x * y;
    case BinaryOp.MAX: return max(x, y);
    case BinaryOp.MIN: return min(x, y);
    case BinaryOp.SQUARED_DIFFERENCE: { let d = x - y; return d * d; }
    case BinaryOp.FLOOR_DIV: return floorDivS(x, y);
    case BinaryOp.MOD: return modS(x, y);
    default: return 0;
  }
}

@inline function binaryHasV(op: i32): bool {
  return op <= BinaryOp.SQUARED_DIFFERENCE && op != BinaryOp.DIV;
}

@inline function binaryV(op: i32, x: v128, y: v128): v128 {
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

@inline function binaryRow(op: i32, a: usize, b: usize, out: usize, n: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && binaryHasV(op)) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV(op, ldv(a, i), ldv(b, i)));
    } else if (sa == 1) {
      let yv = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV(op, ldv(a, i), yv));
    } else {
      let xv = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) stv(out, i, binaryV(op, xv, ldv(b, i)));
    }
  }
  for (; i < n; i++) sti(out, i, binaryS(op, ldi(a, i * sa), ldi(b, i * sb)));
}

// attr as binary_f32's: rank, shape[rank], aStrides[rank], bStrides[rank].
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

/** Broadcasting int32 op (Add, Sub, Mul, Max, Min, SquaredDifference, FloorDiv, Mod codes) over output rows [begin, end). */
export function binary_i32(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  switch (op) {
    case BinaryOp.ADD: binaryRows(BinaryOp.ADD, a, b, out, attr, begin, end); break;
    case BinaryOp.SUB: binaryRows(BinaryOp.SUB, a, b, out, attr, begin, end); break;
    case BinaryOp.MUL: binaryRows(BinaryOp.MUL, a, b, out, attr, begin, end); break;
    case BinaryOp.MAX: binaryRows(BinaryOp.MAX, a, b, out, attr, begin, end); break;
    case BinaryOp.MIN: binaryRows(BinaryOp.MIN, a, b, out, attr, begin, end); break;
    case BinaryOp.SQUARED_DIFFERENCE: binaryRows(BinaryOp.SQUARED_DIFFERENCE, a, b, out, attr, begin, end); break;
    case BinaryOp.FLOOR_DIV: binaryRows(BinaryOp.FLOOR_DIV, a, b, out, attr, begin, end); break;
    case BinaryOp.MOD: binaryRows(BinaryOp.MOD, a, b, out, attr, begin, end); break;
    default: unreachable();
  }
}

@inline function unaryS(op: i32, x: i32): i32 {
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

@inline function unaryV(op: i32, x: v128): v128 {
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

@inline function unaryLoop(op: i32, x: usize, out: usize, begin: i32, end: i32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= end; i += 4) stv(out, i, unaryV(op, ldv(x, i)));
  }
  for (; i < end; i++) sti(out, i, unaryS(op, ldi(x, i)));
}

/** out[i] = op(x[i]) over int32 (Abs, Neg, Square, Relu, Relu6, Sign codes), i in [begin, end). */
export function unary_i32(op: i32, x: usize, out: usize, begin: i32, end: i32): void {
  switch (op) {
    case UnaryOp.ABS: unaryLoop(UnaryOp.ABS, x, out, begin, end); break;
    case UnaryOp.NEG: unaryLoop(UnaryOp.NEG, x, out, begin, end); break;
    case UnaryOp.SQUARE: unaryLoop(UnaryOp.SQUARE, x, out, begin, end); break;
    case UnaryOp.RELU: unaryLoop(UnaryOp.RELU, x, out, begin, end); break;
    case UnaryOp.RELU6: unaryLoop(UnaryOp.RELU6, x, out, begin, end); break;
    case UnaryOp.SIGN: unaryLoop(UnaryOp.SIGN, x, out, begin, end); break;
    default: unreachable();
  }
}
