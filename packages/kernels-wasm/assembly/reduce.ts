// Reductions over the innermost, contiguous axis: out[o] = reduce(x[o*n .. o*n+n)).
// The caller moves reduced axes innermost first (a transpose when they are not already).
import { ReduceOp } from './opcodes';
import { ldf, stf, ldv } from './simd';

@inline function initOf(op: i32): f32 {
  switch (op) {
    case ReduceOp.MAX: return -Infinity;
    case ReduceOp.MIN: return Infinity;
    case ReduceOp.PROD: return 1;
    default: return 0;
  }
}

@inline function combineS(op: i32, acc: f32, x: f32): f32 {
  switch (op) {
    case ReduceOp.MAX: return (acc != acc || x != x) ? NaN : (x > acc ? x : acc);
    case ReduceOp.MIN: return (acc != acc || x != x) ? NaN : (x < acc ? x : acc);
    case ReduceOp.PROD: return acc * x;
    default: return acc + x;
  }
}

@inline function combineV(op: i32, acc: v128, x: v128): v128 {
  switch (op) {
    case ReduceOp.MAX: return f32x4.max(acc, x);
    case ReduceOp.MIN: return f32x4.min(acc, x);
    case ReduceOp.PROD: return f32x4.mul(acc, x);
    default: return f32x4.add(acc, x);
  }
}

@inline function reduceRows(op: i32, x: usize, out: usize, n: i32, begin: i32, end: i32): void {
  for (let o = begin; o < end; o++) {
    let p = x + (<usize>o * <usize>n << 2);
    let acc = initOf(op);
    let i = 0;
    if (ASC_FEATURE_SIMD && n >= 16) {
      // Two accumulators hide the add latency.
      let v0 = f32x4.splat(initOf(op)), v1 = v0;
      for (; i + 8 <= n; i += 8) {
        v0 = combineV(op, v0, ldv(p, i));
        v1 = combineV(op, v1, ldv(p, i + 4));
      }
      v0 = combineV(op, v0, v1);
      acc = combineS(op, combineS(op, f32x4.extract_lane(v0, 0), f32x4.extract_lane(v0, 1)),
                         combineS(op, f32x4.extract_lane(v0, 2), f32x4.extract_lane(v0, 3)));
    }
    for (; i < n; i++) acc = combineS(op, acc, ldf(p, i));
    if (op == ReduceOp.MEAN) acc = acc / <f32>n;
    stf(out, o, acc);
  }
}

/** Reduces rows [begin, end) of a row-major [rows, n] float32 matrix. */
export function reduce_f32(op: i32, x: usize, out: usize, n: i32, begin: i32, end: i32): void {
  switch (op) {
    case ReduceOp.SUM: reduceRows(ReduceOp.SUM, x, out, n, begin, end); break;
    case ReduceOp.MEAN: reduceRows(ReduceOp.MEAN, x, out, n, begin, end); break;
    case ReduceOp.MAX: reduceRows(ReduceOp.MAX, x, out, n, begin, end); break;
    case ReduceOp.MIN: reduceRows(ReduceOp.MIN, x, out, n, begin, end); break;
    case ReduceOp.PROD: reduceRows(ReduceOp.PROD, x, out, n, begin, end); break;
    default: unreachable();
  }
}
