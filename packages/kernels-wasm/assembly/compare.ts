// Comparisons and logical ops with broadcasting, producing bool (one byte, 0 or 1).
// Inputs are float32, int32 or bool (u8); one generic body serves all three. The broadcast
// layout is binary_f32's, BroadcastAttr (src/layouts.ts): rank, shape, aStrides, bStrides, the
// innermost stride of each input 0 (broadcast) or 1. Vector loops make 16 bools per step.
import { BinaryOp, PredicateOp } from './opcodes';
import { ldi } from './simd';
import { BroadcastAttr } from './layouts';

@inline function cmpS<T>(op: i32, x: T, y: T): u8 {
  switch (op) {
    case BinaryOp.EQUAL: return <u8>(x == y);
    case BinaryOp.NOT_EQUAL: return <u8>(x != y);
    case BinaryOp.LESS: return <u8>(x < y);
    case BinaryOp.LESS_EQUAL: return <u8>(x <= y);
    case BinaryOp.GREATER: return <u8>(x > y);
    case BinaryOp.GREATER_EQUAL: return <u8>(x >= y);
    case BinaryOp.LOGICAL_AND: return <u8>(x != 0 && y != 0);
    case BinaryOp.LOGICAL_OR: return <u8>(x != 0 || y != 0);
    case BinaryOp.LOGICAL_XOR: return <u8>((x != 0) != (y != 0));
    default: return 0;
  }
}

// Lane masks (all ones / zero) at the width of T.
@inline function cmpV<T>(op: i32, x: v128, y: v128): v128 {
  if (isFloat<T>()) {
    switch (op) {
      case BinaryOp.EQUAL: return f32x4.eq(x, y);
      case BinaryOp.NOT_EQUAL: return f32x4.ne(x, y);
      case BinaryOp.LESS: return f32x4.lt(x, y);
      case BinaryOp.LESS_EQUAL: return f32x4.le(x, y);
      case BinaryOp.GREATER: return f32x4.gt(x, y);
      case BinaryOp.GREATER_EQUAL: return f32x4.ge(x, y);
      default: return v128.splat<i32>(0);
    }
  } else if (sizeof<T>() == 4) {
    switch (op) {
      case BinaryOp.EQUAL: return i32x4.eq(x, y);
      case BinaryOp.NOT_EQUAL: return i32x4.ne(x, y);
      case BinaryOp.LESS: return i32x4.lt_s(x, y);
      case BinaryOp.LESS_EQUAL: return i32x4.le_s(x, y);
      case BinaryOp.GREATER: return i32x4.gt_s(x, y);
      case BinaryOp.GREATER_EQUAL: return i32x4.ge_s(x, y);
      default: return v128.splat<i32>(0);
    }
  } else {
    let zero = i8x16.splat(0);
    switch (op) {
      case BinaryOp.EQUAL: return i8x16.eq(x, y);
      case BinaryOp.NOT_EQUAL: return i8x16.ne(x, y);
      case BinaryOp.LESS: return i8x16.lt_u(x, y);
      case BinaryOp.LESS_EQUAL: return i8x16.le_u(x, y);
      case BinaryOp.GREATER: return i8x16.gt_u(x, y);
      case BinaryOp.GREATER_EQUAL: return i8x16.ge_u(x, y);
      case BinaryOp.LOGICAL_AND: return v128.and(i8x16.ne(x, zero), i8x16.ne(y, zero));
      case BinaryOp.LOGICAL_OR: return v128.or(i8x16.ne(x, zero), i8x16.ne(y, zero));
      case BinaryOp.LOGICAL_XOR: return v128.xor(i8x16.ne(x, zero), i8x16.ne(y, zero));
      default: return v128.splat<i32>(0);
    }
  }
}

// Loads 16 lanes' worth (4 vectors of 4-byte T, or 1 of u8) from contiguous p, or the splat `s`.
@inline function lane4(p: usize, i: i32, stride: i32, s: v128, k: i32): v128 {
  return stride == 1 ? v128.load(p + ((<usize>i + <usize>k * 4) << 2)) : s;
}

@inline function cmpRow<T>(op: i32, a: usize, b: usize, out: usize, n: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let one = i8x16.splat(1);
    if (sizeof<T>() == 4) {
      let as = v128.load32_splat(a), bs = v128.load32_splat(b);
      for (; i + 16 <= n; i += 16) {
        let m0 = cmpV<T>(op, lane4(a, i, sa, as, 0), lane4(b, i, sb, bs, 0));
        let m1 = cmpV<T>(op, lane4(a, i, sa, as, 1), lane4(b, i, sb, bs, 1));
        let m2 = cmpV<T>(op, lane4(a, i, sa, as, 2), lane4(b, i, sb, bs, 2));
        let m3 = cmpV<T>(op, lane4(a, i, sa, as, 3), lane4(b, i, sb, bs, 3));
        let m = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
        v128.store(out + <usize>i, v128.and(m, one));
      }
    } else {
      let as = v128.load8_splat(a), bs = v128.load8_splat(b);
      for (; i + 16 <= n; i += 16) {
        let x = sa == 1 ? v128.load(a + <usize>i) : as;
        let y = sb == 1 ? v128.load(b + <usize>i) : bs;
        v128.store(out + <usize>i, v128.and(cmpV<T>(op, x, y), one));
      }
    }
  }
  let w = <usize>sizeof<T>();
  for (; i < n; i++) {
    store<u8>(out + <usize>i, cmpS<T>(op, load<T>(a + <usize>(i * sa) * w), load<T>(b + <usize>(i * sb) * w)));
  }
}

@inline function cmpRows<T>(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  let rank = ldi(attr, BroadcastAttr.RANK);
  let shape = BroadcastAttr.SHAPE, aStrides = shape + rank, bStrides = shape + 2 * rank;
  let n = ldi(attr, shape + rank - 1);
  let sa = ldi(attr, aStrides + rank - 1);
  let sb = ldi(attr, bStrides + rank - 1);
  let w = <usize>sizeof<T>();
  for (let row = begin; row < end; row++) {
    let rem = row, oa = 0, ob = 0;
    for (let d = rank - 2; d >= 0; d--) {
      let size = ldi(attr, shape + d);
      let idx = rem % size;
      rem = rem / size;
      oa += idx * ldi(attr, aStrides + d);
      ob += idx * ldi(attr, bStrides + d);
    }
    let pa = a + <usize>oa * w, pb = b + <usize>ob * w, po = out + <usize>row * <usize>n;
    // One specialised loop per broadcast pattern keeps the inner loop free of stride checks.
    if (sa == 1 && sb == 1) cmpRow<T>(op, pa, pb, po, n, 1, 1);
    else if (sa == 1) cmpRow<T>(op, pa, pb, po, n, 1, 0);
    else cmpRow<T>(op, pa, pb, po, n, 0, 1);
  }
}

@inline function cmpDispatch<T>(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  switch (op) {
    case BinaryOp.EQUAL: cmpRows<T>(BinaryOp.EQUAL, a, b, out, attr, begin, end); break;
    case BinaryOp.NOT_EQUAL: cmpRows<T>(BinaryOp.NOT_EQUAL, a, b, out, attr, begin, end); break;
    case BinaryOp.LESS: cmpRows<T>(BinaryOp.LESS, a, b, out, attr, begin, end); break;
    case BinaryOp.LESS_EQUAL: cmpRows<T>(BinaryOp.LESS_EQUAL, a, b, out, attr, begin, end); break;
    case BinaryOp.GREATER: cmpRows<T>(BinaryOp.GREATER, a, b, out, attr, begin, end); break;
    case BinaryOp.GREATER_EQUAL: cmpRows<T>(BinaryOp.GREATER_EQUAL, a, b, out, attr, begin, end); break;
    default: unreachable();
  }
}

/**
 * Broadcasting float32 comparison (Equal … GreaterEqual codes) into bools, output rows [begin, end).
 * NaN compares as IEEE (only != holds).
 */
export function compare_f32(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  cmpDispatch<f32>(op, a, b, out, attr, begin, end);
}

/** Broadcasting int32 comparison into bools, output rows [begin, end). */
export function compare_i32(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  cmpDispatch<i32>(op, a, b, out, attr, begin, end);
}

/** Broadcasting comparison or logical op (LogicalAnd/Or/Xor codes) over bools, output rows [begin, end). */
export function compare_u8(op: i32, a: usize, b: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  switch (op) {
    case BinaryOp.LOGICAL_AND: cmpRows<u8>(BinaryOp.LOGICAL_AND, a, b, out, attr, begin, end); break;
    case BinaryOp.LOGICAL_OR: cmpRows<u8>(BinaryOp.LOGICAL_OR, a, b, out, attr, begin, end); break;
    case BinaryOp.LOGICAL_XOR: cmpRows<u8>(BinaryOp.LOGICAL_XOR, a, b, out, attr, begin, end); break;
    default: cmpDispatch<u8>(op, a, b, out, attr, begin, end);
  }
}

/** out[i] = !x[i] over bools, for i in [begin, end). */
export function logical_not_u8(x: usize, out: usize, begin: i32, end: i32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD) {
    let zero = i8x16.splat(0), one = i8x16.splat(1);
    for (; i + 16 <= end; i += 16) {
      v128.store(out + <usize>i, v128.and(i8x16.eq(v128.load(x + <usize>i), zero), one));
    }
  }
  for (; i < end; i++) store<u8>(out + <usize>i, <u8>(load<u8>(x + <usize>i) == 0));
}

@inline function predS(op: i32, x: f32): u8 {
  switch (op) {
    case PredicateOp.IS_NAN: return <u8>(x != x);
    case PredicateOp.IS_INF: return <u8>(Mathf.abs(x) == Infinity);
    default: return <u8>(x - x == 0); // finite: x - x is 0, else NaN
  }
}

@inline function predV(op: i32, x: v128): v128 {
  switch (op) {
    case PredicateOp.IS_NAN: return f32x4.ne(x, x);
    case PredicateOp.IS_INF: return f32x4.eq(f32x4.abs(x), f32x4.splat(Infinity));
    default: return f32x4.eq(f32x4.sub(x, x), f32x4.splat(0));
  }
}

@inline function predLoop(op: i32, x: usize, out: usize, begin: i32, end: i32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD) {
    let one = i8x16.splat(1);
    for (; i + 16 <= end; i += 16) {
      let p = x + (<usize>i << 2);
      let m = i8x16.narrow_i16x8_s(
        i16x8.narrow_i32x4_s(predV(op, v128.load(p)), predV(op, v128.load(p, 16))),
        i16x8.narrow_i32x4_s(predV(op, v128.load(p, 32)), predV(op, v128.load(p, 48))));
      v128.store(out + <usize>i, v128.and(m, one));
    }
  }
  for (; i < end; i++) store<u8>(out + <usize>i, predS(op, load<f32>(x + (<usize>i << 2))));
}

/** out[i] = IsNan / IsInf / IsFinite (x[i]) as bools, for i in [begin, end). */
export function predicate_f32(op: i32, x: usize, out: usize, begin: i32, end: i32): void {
  switch (op) {
    case PredicateOp.IS_NAN: predLoop(PredicateOp.IS_NAN, x, out, begin, end); break;
    case PredicateOp.IS_INF: predLoop(PredicateOp.IS_INF, x, out, begin, end); break;
    case PredicateOp.IS_FINITE: predLoop(PredicateOp.IS_FINITE, x, out, begin, end); break;
    default: unreachable();
  }
}
