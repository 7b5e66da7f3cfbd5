// 2-D max / average pooling over NHWC float32, forward and backward.
// Channels are innermost, so every window tap is a contiguous run of C floats: the vector loops
// run along channels (16 at a time in registers, then 4, then one) and the window loops sit inside.
//
// attr: PoolAttr (src/layouts.ts). The gradients read dy with its own height and width: tfjs's
// pooling gradients drop dimRoundingMode, so dy can have more rows than the windows the kernel
// recomputes (tfjs-cpu then leaves the extra rows out, and so do we).
import { ldf, stf, ldi, sti, ldv, stv } from './simd';
import { PoolAttr } from './layouts';

// Attribute words (layout declared once in src/layouts.ts).
const IN_H = PoolAttr.IN_H, IN_W = PoolAttr.IN_W, C_ = PoolAttr.C, OUT_H = PoolAttr.OUT_H, OUT_W = PoolAttr.OUT_W;
const FILTER_H = PoolAttr.FILTER_H, FILTER_W = PoolAttr.FILTER_W, STRIDE_H = PoolAttr.STRIDE_H;
const STRIDE_W = PoolAttr.STRIDE_W, PAD_TOP = PoolAttr.PAD_TOP, PAD_LEFT = PoolAttr.PAD_LEFT;
const DY_H = PoolAttr.DY_H, DY_W = PoolAttr.DY_W;

@inline function maxS(acc: f32, v: f32): f32 {
  // tfjs-cpu keeps the running max unless `v > acc`: NaN taps are skipped, the first of equals wins.
  return v > acc ? v : acc;
}

// pmax(a, b) = a < b ? b : a — exactly the scalar rule above, lane-wise.
@inline function poolV(isMax: bool, acc: v128, v: v128): v128 {
  return isMax ? f32x4.pmax(acc, v) : f32x4.add(acc, v);
}

// out (+)= the two taps of each window along one input row, C % 4 == 0 channels: 8 then 4 at a time.
@inline function pool2Taps(
  isMax: bool, first: bool, row: usize, o: usize, outW: i32, C: i32, step: usize, pixel: usize, last: bool, inv: v128,
): void {
  let start = f32x4.splat(isMax ? -Infinity : 0);
  for (let yC = 0; yC < outW; yC++) {
    let c = 0;
    for (; c + 8 <= C; c += 8) {
      let off = <usize>c << 2;
      let a0 = first ? start : v128.load(o + off), a1 = first ? start : v128.load(o + off, 16);
      a0 = poolV(isMax, a0, v128.load(row + off)); a1 = poolV(isMax, a1, v128.load(row + off, 16));
      a0 = poolV(isMax, a0, v128.load(row + pixel + off)); a1 = poolV(isMax, a1, v128.load(row + pixel + off, 16));
      if (last && !isMax) {
        a0 = f32x4.div(a0, inv); a1 = f32x4.div(a1, inv);
      }
      v128.store(o + off, a0); v128.store(o + off, a1, 16);
    }
    if (c < C) {
      let off = <usize>c << 2;
      let a0 = first ? start : v128.load(o + off);
      a0 = poolV(isMax, a0, v128.load(row + off));
      a0 = poolV(isMax, a0, v128.load(row + pixel + off));
      if (last && !isMax) a0 = f32x4.div(a0, inv);
      v128.store(o + off, a0);
    }
    row += step;
    o += pixel;
  }
}

@inline function poolRows(isMax: bool, x: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  let inH = ldi(attr, IN_H), inW = ldi(attr, IN_W), C = ldi(attr, C_), outH = ldi(attr, OUT_H), outW = ldi(attr, OUT_W);
  let fH = ldi(attr, FILTER_H), fW = ldi(attr, FILTER_W), sH = ldi(attr, STRIDE_H), sW = ldi(attr, STRIDE_W);
  let top = ldi(attr, PAD_TOP), left = ldi(attr, PAD_LEFT);
  let pixel = <usize>C << 2;
  let init: f32 = isMax ? -Infinity : 0;
  for (let r = begin; r < end; r++) {
    let b = r / outH, yR = r - b * outH;
    let xr0 = yR * sH - top;
    let r0 = max(0, xr0), r1 = min(inH, xr0 + fH);
    let img = x + <usize>(b * inH) * <usize>inW * pixel;
    let orow = out + <usize>r * <usize>outW * pixel;
    // A row of whole 2×2 windows (2×2 pooling without padding): one pass along each input row,
    // in the loops' order of taps (same bits). Alternating between the two rows per window ran
    // at a third of the memory bandwidth when the input was not in cache.
    if (ASC_FEATURE_SIMD && r1 - r0 == 2 && fW == 2 && left == 0 && (outW - 1) * sW + 2 <= inW && (C & 3) == 0) {
      let row0 = img + <usize>r0 * <usize>inW * pixel, step = <usize>sW * pixel, inv = f32x4.splat(4);
      pool2Taps(isMax, true, row0, orow, outW, C, step, pixel, false, inv);
      pool2Taps(isMax, false, row0 + <usize>inW * pixel, orow, outW, C, step, pixel, true, inv);
      continue;
    }
    for (let yC = 0; yC < outW; yC++) {
      let xc0 = yC * sW - left;
      let c0 = max(0, xc0), c1 = min(inW, xc0 + fW);
      let count = <f32>(max(0, r1 - r0) * max(0, c1 - c0));
      let o = orow + <usize>yC * pixel;
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        let inv = f32x4.splat(count);
        for (; c + 16 <= C; c += 16) {
          let a0 = f32x4.splat(init), a1 = a0, a2 = a0, a3 = a0;
          for (let xr = r0; xr < r1; xr++) {
            let p = img + (<usize>xr * <usize>inW + <usize>c0) * pixel + (<usize>c << 2);
            for (let xc = c0; xc < c1; xc++) {
              a0 = poolV(isMax, a0, v128.load(p));
              a1 = poolV(isMax, a1, v128.load(p, 16));
              a2 = poolV(isMax, a2, v128.load(p, 32));
              a3 = poolV(isMax, a3, v128.load(p, 48));
              p += pixel;
            }
          }
          if (!isMax) {
            a0 = f32x4.div(a0, inv); a1 = f32x4.div(a1, inv);
            a2 = f32x4.div(a2, inv); a3 = f32x4.div(a3, inv);
          }
          stv(o, c, a0); stv(o, c + 4, a1); stv(o, c + 8, a2); stv(o, c + 12, a3);
        }
        for (; c + 4 <= C; c += 4) {
          let a0 = f32x4.splat(init);
          for (let xr = r0; xr < r1; xr++) {
            let p = img + (<usize>xr * <usize>inW + <usize>c0) * pixel + (<usize>c << 2);
            for (let xc = c0; xc < c1; xc++) {
              a0 = poolV(isMax, a0, v128.load(p));
              p += pixel;
            }
          }
          if (!isMax) a0 = f32x4.div(a0, inv);
          stv(o, c, a0);
        }
      }
      for (; c < C; c++) {
        let a = init;
        for (let xr = r0; xr < r1; xr++) {
          let p = img + (<usize>xr * <usize>inW + <usize>c0) * pixel + (<usize>c << 2);
          for (let xc = c0; xc < c1; xc++) {
            let v = load<f32>(p);
            a = isMax ? maxS(a, v) : a + v;
            p += pixel;
          }
        }
        stf(o, c, isMax ? a : a / count);
      }
    }
  }
}

/**
 * Max pooling over output rows [begin, end) (a row = one (batch, outY) pair). NaN inputs are
 * skipped and an empty window yields -Infinity, as tfjs-backend-cpu.
 */
export function max_pool_f32(x: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  poolRows(true, x, out, attr, begin, end);
}

/** Average pooling over output rows [begin, end); divides by the taps inside the input (0/0 = NaN when none). */
export function avg_pool_f32(x: usize, out: usize, attr: usize, begin: i32, end: i32): void {
  poolRows(false, x, out, attr, begin, end);
}

/**
 * Max pooling that also records where each maximum came from, for output rows [begin, end).
 * `mode` 0: offset inside the window (wy * filterW + wx, as tfjs's maxPoolPositions; -1 when no
 * tap beats -Infinity); 1: flat index (y * inW + x) * C + c; 2: the same including the batch.
 * `out` may be 0 when only the positions are wanted.
 */
export function max_pool_argmax_f32(
  x: usize, out: usize, pos: usize, attr: usize, mode: i32, begin: i32, end: i32,
): void {
  let inH = ldi(attr, IN_H), inW = ldi(attr, IN_W), C = ldi(attr, C_), outH = ldi(attr, OUT_H), outW = ldi(attr, OUT_W);
  let fH = ldi(attr, FILTER_H), fW = ldi(attr, FILTER_W), sH = ldi(attr, STRIDE_H), sW = ldi(attr, STRIDE_W);
  let top = ldi(attr, PAD_TOP), left = ldi(attr, PAD_LEFT);
  let pixel = <usize>C << 2;
  for (let r = begin; r < end; r++) {
    let b = r / outH, yR = r - b * outH;
    let xr0 = yR * sH - top;
    let r0 = max(0, xr0), r1 = min(inH, xr0 + fH);
    let img = x + <usize>(b * inH) * <usize>inW * pixel;
    let rowOut = r * outW * C;
    let imgBase = mode == 2 ? b * inH * inW * C : 0;
    for (let yC = 0; yC < outW; yC++) {
      let xc0 = yC * sW - left;
      let c0 = max(0, xc0), c1 = min(inW, xc0 + fW);
      let o = rowOut + yC * C;
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        let lanes = i32x4(0, 1, 2, 3), four = i32x4.splat(4);
        // Eight channels per pass share each tap's position code.
        for (; c + 8 <= C; c += 8) {
          let m0 = f32x4.splat(-Infinity), m1 = m0, at0 = i32x4.splat(-1), at1 = at0;
          for (let xr = r0; xr < r1; xr++) {
            let p = img + (<usize>xr * <usize>inW + <usize>c0) * pixel + (<usize>c << 2);
            for (let xc = c0; xc < c1; xc++) {
              let code0 = mode == 0
                ? i32x4.splat((xr - xr0) * fW + (xc - xc0))
                : i32x4.add(i32x4.splat(imgBase + (xr * inW + xc) * C + c), lanes);
              let code1 = mode == 0 ? code0 : i32x4.add(code0, four);
              let v0 = v128.load(p), v1 = v128.load(p, 16);
              let g0 = f32x4.gt(v0, m0), g1 = f32x4.gt(v1, m1);
              m0 = v128.bitselect(v0, m0, g0);
              m1 = v128.bitselect(v1, m1, g1);
              at0 = v128.bitselect(code0, at0, g0);
              at1 = v128.bitselect(code1, at1, g1);
              p += pixel;
            }
          }
          if (out != 0) { stv(out, o + c, m0); stv(out, o + c + 4, m1); }
          stv(pos, o + c, at0);
          stv(pos, o + c + 4, at1);
        }
        for (; c + 4 <= C; c += 4) {
          let m = f32x4.splat(-Infinity), at = i32x4.splat(-1);
          for (let xr = r0; xr < r1; xr++) {
            let p = img + (<usize>xr * <usize>inW + <usize>c0) * pixel + (<usize>c << 2);
            for (let xc = c0; xc < c1; xc++) {
              let v = v128.load(p);
              let gt = f32x4.gt(v, m);
              let code = mode == 0
                ? i32x4.splat((xr - xr0) * fW + (xc - xc0))
                : i32x4.add(i32x4.splat(imgBase + (xr * inW + xc) * C + c), lanes);
              m = v128.bitselect(v, m, gt);
              at = v128.bitselect(code, at, gt);
              p += pixel;
            }
          }
          if (out != 0) stv(out, o + c, m);
          stv(pos, o + c, at);
        }
      }
      for (; c < C; c++) {
        let m: f32 = -Infinity, at = -1;
        for (let xr = r0; xr < r1; xr++) {
          for (let xc = c0; xc < c1; xc++) {
            let v = load<f32>(img + (<usize>xr * <usize>inW + <usize>xc) * pixel + (<usize>c << 2));
            if (v > m) {
              m = v;
              at = mode == 0 ? (xr - xr0) * fW + (xc - xc0) : imgBase + (xr * inW + xc) * C + c;
            }
          }
        }
        if (out != 0) stf(out, o + c, m);
        sti(pos, o + c, at);
      }
    }
  }
}

// The output windows that cover input coordinate `i` along one axis: [lo, hi] (empty when lo > hi).
@inline function firstWindow(i: i32, pad: i32, f: i32, s: i32): i32 {
  let t = i + pad - f + 1;
  return t <= 0 ? 0 : (t + s - 1) / s;
}
@inline function lastWindow(i: i32, pad: i32, s: i32, n: i32): i32 {
  return min(n - 1, (i + pad) / s);
}

// dx rows [begin, end) of a pooling gradient (a row = one (batch, inY) pair): per input pixel,
// clear its C gradients, then add each covering window's share in window order (as tfjs-cpu sums,
// from 0), channels innermost so the vector loops run straight; avg-pool then scales the sum.
// `isMax` is a constant at each call, so the inlined body keeps only its own branch.
@inline function poolGradRows(
  isMax: bool, dy: usize, pos: usize, dx: usize, attr: usize, scale: f32, begin: i32, end: i32,
): void {
  let inH = ldi(attr, IN_H), inW = ldi(attr, IN_W), C = ldi(attr, C_);
  let outH = ldi(attr, OUT_H), outW = ldi(attr, OUT_W);
  let fH = ldi(attr, FILTER_H), fW = ldi(attr, FILTER_W), sH = ldi(attr, STRIDE_H), sW = ldi(attr, STRIDE_W);
  let top = ldi(attr, PAD_TOP), left = ldi(attr, PAD_LEFT), dyH = ldi(attr, DY_H), dyW = ldi(attr, DY_W);
  let pixel = <usize>C << 2;
  for (let r = begin; r < end; r++) {
    let b = r / inH, xR = r - b * inH;
    let y0 = firstWindow(xR, top, fH, sH), y1 = lastWindow(xR, top, sH, outH);
    for (let xC = 0; xC < inW; xC++) {
      let x0 = firstWindow(xC, left, fW, sW), x1 = lastWindow(xC, left, sW, outW);
      let d = dx + (<usize>r * <usize>inW + <usize>xC) * pixel;
      memory.fill(d, 0, pixel);
      for (let yR = y0; yR <= y1; yR++) {
        let wR = xR - (yR * sH - top);
        for (let yC = x0; yC <= x1; yC++) {
          let gp = dy + (<usize>((b * dyH + yR) * dyW + yC)) * pixel;
          if (isMax) {
            let target = wR * fW + xC - (yC * sW - left);
            let pp = pos + (<usize>((b * outH + yR) * outW + yC)) * pixel;
            addWhereArgmax(d, gp, pp, target, C);
          } else {
            addAll(d, gp, C);
          }
        }
      }
      if (!isMax) {
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          let sv = f32x4.splat(scale);
          for (; c + 4 <= C; c += 4) stv(d, c, f32x4.mul(ldv(d, c), sv));
        }
        for (; c < C; c++) stf(d, c, ldf(d, c) * scale);
      }
    }
  }
}

// d[c] += g[c] where the window's argmax p[c] is this pixel's tap `target`.
@inline function addWhereArgmax(d: usize, g: usize, p: usize, target: i32, C: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    let tv = i32x4.splat(target);
    for (; c + 4 <= C; c += 4) {
      let off = <usize>c << 2;
      let hit = i32x4.eq(v128.load(p + off), tv);
      v128.store(d + off, f32x4.add(v128.load(d + off), v128.and(v128.load(g + off), hit)));
    }
  }
  for (; c < C; c++) {
    let off = <usize>c << 2;
    if (load<i32>(p + off) == target) store<f32>(d + off, load<f32>(d + off) + load<f32>(g + off));
  }
}

// d[c] += g[c].
@inline function addAll(d: usize, g: usize, C: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 <= C; c += 4) {
      let off = <usize>c << 2;
      v128.store(d + off, f32x4.add(v128.load(d + off), v128.load(g + off)));
    }
  }
  for (; c < C; c++) {
    let off = <usize>c << 2;
    store<f32>(d + off, load<f32>(d + off) + load<f32>(g + off));
  }
}

/**
 * Max-pool gradient over input rows [begin, end) (a row = one (batch, inY) pair), gathered from
 * the window positions of {@link max_pool_argmax_f32} (mode 0): each dx sums the dy of the
 * windows whose maximum it was. A gather, not a scatter, so rows split across threads safely.
 */
export function max_pool_grad_f32(dy: usize, pos: usize, dx: usize, attr: usize, begin: i32, end: i32): void {
  poolGradRows(true, dy, pos, dx, attr, 1, begin, end);
}

/**
 * Average-pool gradient over input rows [begin, end): each dx is the sum of the dy of every
 * window covering it, times `scale` (tfjs uses 1 / (filterH * filterW), padding or not).
 */
export function avg_pool_grad_f32(dy: usize, dx: usize, attr: usize, scale: f32, begin: i32, end: i32): void {
  poolGradRows(false, dy, 0, dx, attr, scale, begin, end);
}
