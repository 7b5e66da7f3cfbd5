// ArgMax / ArgMin along one axis of x viewed as [outer, n, inner], int32 indices out.
// tfjs-backend-cpu's rule: start from element 0 and move only on a strictly greater (smaller)
// value. So the first extreme wins, NaNs after element 0 are skipped, and a NaN at element 0
// sticks (index 0). Both paths below give exactly that.
import { ldi, sti } from './simd';

@inline function better<T>(isMin: bool, v: T, m: T): bool {
  return isMin ? v < m : v > m;
}

@inline function betterV<T>(isMin: bool, v: v128, m: v128): v128 {
  if (isFloat<T>()) return isMin ? f32x4.lt(v, m) : f32x4.gt(v, m);
  return isMin ? i32x4.lt_s(v, m) : i32x4.gt_s(v, m);
}

// The value no element can beat (strictly): what unused lanes start from.
@inline function worst<T>(isMin: bool): T {
  if (isFloat<T>()) return <T>(isMin ? Infinity : -Infinity);
  return <T>(isMin ? i32.MAX_VALUE : i32.MIN_VALUE);
}

@inline function rowArg<T>(isMin: bool, x: usize, n: i32): i32 {
  if (n == 0) return 0;
  let x0 = load<T>(x);
  if (x0 != x0) return 0;
  let best = x0, at = 0, i = 1;
  if (ASC_FEATURE_SIMD && n >= 16) {
    // Four lanes each keep their own first extreme; merged below by value, then by index.
    let m = v128.splat<T>(worst<T>(isMin));
    let idx = i32x4.splat(i32.MAX_VALUE);
    let cur = i32x4(0, 1, 2, 3), step = i32x4.splat(4);
    i = 0;
    for (; i + 4 <= n; i += 4) {
      let v = v128.load(x + (<usize>i << 2));
      let hit = betterV<T>(isMin, v, m);
      m = v128.bitselect(v, m, hit);
      idx = v128.bitselect(cur, idx, hit);
      cur = i32x4.add(cur, step);
    }
    best = v128.extract_lane<T>(m, 0); at = i32x4.extract_lane(idx, 0);
    for (let l = 1; l < 4; l++) {
      let ml = l == 1 ? v128.extract_lane<T>(m, 1) : (l == 2 ? v128.extract_lane<T>(m, 2) : v128.extract_lane<T>(m, 3));
      let il = l == 1 ? i32x4.extract_lane(idx, 1) : (l == 2 ? i32x4.extract_lane(idx, 2) : i32x4.extract_lane(idx, 3));
      if (better<T>(isMin, ml, best) || (ml == best && il < at)) { best = ml; at = il; }
    }
    // No lane moved: every non-NaN value equals the start value, and element 0 is one of them.
    if (at == i32.MAX_VALUE) { best = x0; at = 0; }
  }
  for (; i < n; i++) {
    let v = load<T>(x + (<usize>i << 2));
    if (better<T>(isMin, v, best)) { best = v; at = i; }
  }
  return at;
}

@inline function argCols<T>(isMin: bool, x: usize, out: usize, n: i32, inner: i32, begin: i32, end: i32): void {
  if (inner == 1) {
    for (let o = begin; o < end; o++) sti(out, o, rowArg<T>(isMin, x + (<usize>o * <usize>n << 2), n));
    return;
  }
  let col = begin;
  while (col < end) {
    let o = col / inner, j = col - o * inner;
    let stop = min(end, (o + 1) * inner);
    let p = x + ((<usize>(o * n) * <usize>inner + <usize>j) << 2);
    let rowStep = <usize>inner << 2;
    if (ASC_FEATURE_SIMD) {
      for (; col + 4 <= stop; col += 4) {
        let m = v128.load(p), idx = i32x4.splat(0);
        let q = p;
        for (let k = 1; k < n; k++) {
          q += rowStep;
          let v = v128.load(q);
          let hit = betterV<T>(isMin, v, m);
          m = v128.bitselect(v, m, hit);
          idx = v128.bitselect(i32x4.splat(k), idx, hit);
        }
        v128.store(out + (<usize>col << 2), idx);
        p += 16;
      }
    }
    for (; col < stop; col++) {
      let best = n > 0 ? load<T>(p) : <T>0, at = 0;
      for (let k = 1; k < n; k++) {
        let v = load<T>(p + <usize>k * rowStep);
        if (better<T>(isMin, v, best)) { best = v; at = k; }
      }
      sti(out, col, at);
      p += 4;
    }
  }
}

/** ArgMax (isMin = 0) or ArgMin (1) over float32, for output columns [begin, end) (column = outer * inner + j). */
export function arg_reduce_f32(x: usize, out: usize, n: i32, inner: i32, isMin: i32, begin: i32, end: i32): void {
  if (isMin != 0) argCols<f32>(true, x, out, n, inner, begin, end);
  else argCols<f32>(false, x, out, n, inner, begin, end);
}

/** ArgMax / ArgMin over int32, as {@link arg_reduce_f32}. */
export function arg_reduce_i32(x: usize, out: usize, n: i32, inner: i32, isMin: i32, begin: i32, end: i32): void {
  if (isMin != 0) argCols<i32>(true, x, out, n, inner, begin, end);
  else argCols<i32>(false, x, out, n, inner, begin, end);
}
