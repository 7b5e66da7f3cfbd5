// Cumulative sum / product along one axis of x viewed as [outer, n, inner], optionally
// exclusive and/or reversed. Sequential along the axis, in tfjs-backend-cpu's order and
// association (acc = x[k] op acc), so float results match it bit for bit; vectors run across
// adjacent columns when inner > 1.

@inline function combineS<T>(isProd: bool, v: T, acc: T): T {
  return isProd ? v * acc : v + acc;
}

@inline function combineV<T>(isProd: bool, v: v128, acc: v128): v128 {
  if (isFloat<T>()) return isProd ? f32x4.mul(v, acc) : f32x4.add(v, acc);
  return isProd ? i32x4.mul(v, acc) : i32x4.add(v, acc);
}

@inline function scanCols<T>(
  isProd: bool, x: usize, out: usize, n: i32, inner: i32, exclusive: bool, reverse: bool, begin: i32, end: i32,
): void {
  let rowStep = <usize>inner << 2;
  // Walking backwards is adding the two's complement: usize arithmetic wraps.
  let step: usize = reverse ? 0 - rowStep : rowStep;
  let first: usize = reverse && n > 0 ? <usize>(n - 1) * rowStep : 0;
  let one: T = isProd ? <T>1 : <T>0;
  let col = begin;
  while (col < end) {
    let o = col / inner, j = col - o * inner;
    let stop = min(end, (o + 1) * inner);
    let off = ((<usize>(o * n) * <usize>inner + <usize>j) << 2) + first;
    if (ASC_FEATURE_SIMD && n > 0) {
      for (; col + 4 <= stop; col += 4) {
        let p = x + off, q = out + off;
        let acc: v128;
        if (exclusive) {
          acc = v128.splat<T>(one);
          for (let k = 0; k < n; k++) {
            v128.store(q, acc);
            acc = combineV<T>(isProd, v128.load(p), acc);
            p += step; q += step;
          }
        } else {
          acc = v128.load(p);
          v128.store(q, acc);
          for (let k = 1; k < n; k++) {
            p += step; q += step;
            acc = combineV<T>(isProd, v128.load(p), acc);
            v128.store(q, acc);
          }
        }
        off += 16;
      }
    }
    for (; col < stop; col++) {
      let p = x + off, q = out + off;
      if (exclusive) {
        let acc = one;
        for (let k = 0; k < n; k++) {
          store<T>(q, acc);
          acc = combineS<T>(isProd, load<T>(p), acc);
          p += step; q += step;
        }
      } else if (n > 0) {
        let acc = load<T>(p);
        store<T>(q, acc);
        for (let k = 1; k < n; k++) {
          p += step; q += step;
          acc = combineS<T>(isProd, load<T>(p), acc);
          store<T>(q, acc);
        }
      }
      off += 4;
    }
  }
}

@inline function scanDispatch<T>(x: usize, out: usize, n: i32, inner: i32, flags: i32, begin: i32, end: i32): void {
  let isProd = (flags & 1) != 0, exclusive = (flags & 2) != 0, reverse = (flags & 4) != 0;
  if (isProd) scanCols<T>(true, x, out, n, inner, exclusive, reverse, begin, end);
  else scanCols<T>(false, x, out, n, inner, exclusive, reverse, begin, end);
}

/**
 * Cumulative op over float32 for columns [begin, end) (column = outer * inner + j).
 * flags: 1 = product (else sum), 2 = exclusive, 4 = reverse.
 */
export function cumulative_f32(x: usize, out: usize, n: i32, inner: i32, flags: i32, begin: i32, end: i32): void {
  scanDispatch<f32>(x, out, n, inner, flags, begin, end);
}

/** Cumulative op over int32 (wrapping), as {@link cumulative_f32}. */
export function cumulative_i32(x: usize, out: usize, n: i32, inner: i32, flags: i32, begin: i32, end: i32): void {
  scanDispatch<i32>(x, out, n, inner, flags, begin, end);
}
