// Reductions of int32 (Sum, Max, Min, Prod; wrapping) and bool (Any, All) over the innermost,
// contiguous axis: out[o] = reduce(x[o*n .. o*n+n)). Integer ops are exact and associative, so
// the lanes can combine in any order.
import { ReduceOp } from './opcodes';
import { ldi, sti } from './simd';

@inline function combineS(op: i32, acc: i32, x: i32): i32 {
  switch (op) {
    case ReduceOp.MAX: return max(acc, x);
    case ReduceOp.MIN: return min(acc, x);
    case ReduceOp.PROD: return acc * x;
    default: return acc + x;
  }
}

@inline function combineV(op: i32, acc: v128, x: v128): v128 {
  switch (op) {
    case ReduceOp.MAX: return i32x4.max_s(acc, x);
    case ReduceOp.MIN: return i32x4.min_s(acc, x);
    case ReduceOp.PROD: return i32x4.mul(acc, x);
    default: return i32x4.add(acc, x);
  }
}

@inline function rowsI32(op: i32, x: usize, out: usize, n: i32, begin: i32, end: i32): void {
  for (let o = begin; o < end; o++) {
    let p = x + (<usize>o * <usize>n << 2);
    // Max and Min start from the first element: tfjs-cpu's result for an empty row is then 0.
    let acc: i32 = op == ReduceOp.PROD ? 1 : (op == ReduceOp.SUM ? 0 : (n > 0 ? load<i32>(p) : 0));
    let i = 0;
    if (ASC_FEATURE_SIMD && n >= 8) {
      let v0 = i32x4.splat(acc), v1 = v0;
      for (; i + 8 <= n; i += 8) {
        v0 = combineV(op, v0, v128.load(p + (<usize>i << 2)));
        v1 = combineV(op, v1, v128.load(p + (<usize>i << 2), 16));
      }
      v0 = combineV(op, v0, v1);
      // Every lane was seeded with the identity (Sum, Prod) or an element (Max, Min): no effect.
      acc = combineS(op, combineS(op, i32x4.extract_lane(v0, 0), i32x4.extract_lane(v0, 1)),
                         combineS(op, i32x4.extract_lane(v0, 2), i32x4.extract_lane(v0, 3)));
    }
    for (; i < n; i++) acc = combineS(op, acc, ldi(p, i));
    sti(out, o, acc);
  }
}

/** Sum / Max / Min / Prod over rows [begin, end) of a row-major [rows, n] int32 matrix. */
export function reduce_i32(op: i32, x: usize, out: usize, n: i32, begin: i32, end: i32): void {
  switch (op) {
    case ReduceOp.SUM: rowsI32(ReduceOp.SUM, x, out, n, begin, end); break;
    case ReduceOp.MAX: rowsI32(ReduceOp.MAX, x, out, n, begin, end); break;
    case ReduceOp.MIN: rowsI32(ReduceOp.MIN, x, out, n, begin, end); break;
    case ReduceOp.PROD: rowsI32(ReduceOp.PROD, x, out, n, begin, end); break;
    default: unreachable();
  }
}

@inline function rowsBool(isAll: bool, x: usize, out: usize, n: i32, begin: i32, end: i32): void {
  for (let o = begin; o < end; o++) {
    let p = x + <usize>o * <usize>n;
    // An empty row: All is true, Any false (TensorFlow's identities; tfjs-cpu's All gives false).
    let acc = isAll ? 1 : 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      for (; i + 16 <= n; i += 16) {
        let v = v128.load(p + <usize>i);
        if (isAll) {
          if (!i8x16.all_true(v)) { acc = 0; break; }
        } else if (v128.any_true(v)) {
          acc = 1;
          break;
        }
      }
    }
    if (isAll ? acc == 1 : acc == 0) {
      for (; i < n; i++) {
        let v = load<u8>(p + <usize>i);
        if (isAll && v == 0) { acc = 0; break; }
        if (!isAll && v != 0) { acc = 1; break; }
      }
    }
    store<u8>(out + <usize>o, <u8>acc);
  }
}

/** Any / All over rows [begin, end) of a row-major [rows, n] bool matrix. */
export function reduce_u8(op: i32, x: usize, out: usize, n: i32, begin: i32, end: i32): void {
  if (op == ReduceOp.ALL) rowsBool(true, x, out, n, begin, end);
  else rowsBool(false, x, out, n, begin, end);
}
