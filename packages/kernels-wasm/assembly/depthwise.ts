// Depthwise 2-D convolution over NHWC with one filter per channel (channel multiplier 1; the caller
// expands channels for larger multipliers). Direct kernels: vectors run along channels. A grid row
// whose dense 3x3 window lies inside slides along the row with the filter in registers; other
// rows go in tiles of 4 pixels that share each filter tap's weight vector.
//
// As conv_igemm_f32, one gather kernel serves the forward pass (grid = output pixels, source = x)
// and the input gradient (grid = one stride phase of dx, source = dy): the caller gives the
// grid-to-source map, the grid-to-output map and the tap table.
import { Activation } from './opcodes';
import { madd, ldf, stf, ldi } from './simd';
import { activateS, activatePixels, storeLanesFrom } from './conv_epilogue';
import { DepthwiseAttr, DepthwiseFilterGradAttr } from './layouts';

// Attribute words of depthwise_f32 (layout declared once in src/layouts.ts).
const SRC_H = DepthwiseAttr.SRC_H, SRC_W = DepthwiseAttr.SRC_W, CH = DepthwiseAttr.CH, GRID_H = DepthwiseAttr.GRID_H;
const GRID_W = DepthwiseAttr.GRID_W, STRIDE_H = DepthwiseAttr.STRIDE_H, STRIDE_W = DepthwiseAttr.STRIDE_W;
const OFF_H = DepthwiseAttr.OFF_H, OFF_W = DepthwiseAttr.OFF_W, OUT_H = DepthwiseAttr.OUT_H;
const OUT_W = DepthwiseAttr.OUT_W, OUT_STEP_H = DepthwiseAttr.OUT_STEP_H, OUT_STEP_W = DepthwiseAttr.OUT_STEP_W;
const OUT_OFF_H = DepthwiseAttr.OUT_OFF_H, OUT_OFF_W = DepthwiseAttr.OUT_OFF_W, NTAPS = DepthwiseAttr.NTAPS;
const TABLE = DepthwiseAttr.TABLE, ZERO = DepthwiseAttr.ZERO, BIAS = DepthwiseAttr.BIAS, ACT = DepthwiseAttr.ACT;
const ALPHA = DepthwiseAttr.ALPHA, PRELU = DepthwiseAttr.PRELU, MIN_OX = DepthwiseAttr.MIN_OX;
const MAX_OX = DepthwiseAttr.MAX_OX, DENSE3 = DepthwiseAttr.DENSE3;

/**
 * Grid rows (n*gridH + gy) in [begin, end): out[pixel][c] = epilogue(sum over taps of
 * src[n][cy + oy][cx + ox][c] * w[tap][c]), zero outside the source, (cy, cx) = (gy*strideH + offH,
 * gx*strideW + offW). Table entries (16 bytes): oy, ox, byte offset of the tap's weight row, and
 * byte offset (oy*srcW + ox)*C*4 of the tap's source pixel from the corner. DENSE3 != 0 says the
 * table is a 3x3 window in (oy, ox) order: rows whose three source rows lie inside then slide along
 * the row (slideRow3, slideRow3Stride2) instead of gathering tiles.
 */
export function depthwise_f32(src: usize, w: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let C = ldi(attrs, CH);
  if (!ASC_FEATURE_SIMD || C < 4) {
    depthwiseScalar(src, w, out, attrs, begin, end);
    return;
  }
  let srcH = ldi(attrs, SRC_H), srcW = ldi(attrs, SRC_W);
  let gridH = ldi(attrs, GRID_H), gridW = ldi(attrs, GRID_W);
  let sH = ldi(attrs, STRIDE_H), sW = ldi(attrs, STRIDE_W), offH = ldi(attrs, OFF_H), offW = ldi(attrs, OFF_W);
  let outH = ldi(attrs, OUT_H), outW = ldi(attrs, OUT_W);
  let oStepH = ldi(attrs, OUT_STEP_H), oStepW = ldi(attrs, OUT_STEP_W);
  let oOffH = ldi(attrs, OUT_OFF_H), oOffW = ldi(attrs, OUT_OFF_W);
  let ntaps = ldi(attrs, NTAPS), table = <usize>ldi(attrs, TABLE), zero = <usize>ldi(attrs, ZERO);
  let bias = <usize>ldi(attrs, BIAS), act = ldi(attrs, ACT), alpha = load<f32>(attrs + (ALPHA << 2));
  let prelu = <usize>ldi(attrs, PRELU);
  let minOx = ldi(attrs, MIN_OX), maxOx = ldi(attrs, MAX_OX);
  let dense3 = ldi(attrs, DENSE3) != 0 && (sW == 1 || sW == 2);
  let pixBytes = <usize>C << 2;
  let seg2 = max(8, 24576 / (6 * <i32>pixBytes));
  let imgBytes = <usize>(srcH * srcW) * pixBytes;
  let srcRowBytes = <usize>srcW * pixBytes;
  let oStep = <usize>oStepW * pixBytes;
  let oy0 = load<i32>(table), ox0 = load<i32>(table, 4);
  // Dense 3x3 tables have evenly spaced weight rows (forward: +C, input gradient: -C floats).
  let wOff0 = load<i32>(table, 8);
  let wStep = <usize>(ntaps > 1 ? load<i32>(table, 24) - wOff0 : <i32>0);

  for (let row = begin; row < end; row++) {
    let n = row / gridH, gy = row - n * gridH;
    let cy = gy * sH + offH;
    let img = src + <usize>n * imgBytes;
    // Pixel (y, x) of this image sits at img + (y*srcW + x)*C*4; corner row cy may lie outside.
    let rowBase = img + <usize>(cy * srcW) * pixBytes;
    let orow = out + <usize>((n * outH + gy * oStepH + oOffH) * outW) * pixBytes;
    if (dense3 && cy + oy0 >= 0 && cy + oy0 + 2 < srcH) {
      // 3x3 window, column stride 1 or 2, all three source rows inside: one row pass per channel vector.
      let r0 = rowBase + <usize>oy0 * srcRowBytes, o0 = orow + <usize>oOffW * pixBytes;
      let w0 = w + <usize>wOff0, b0 = offW + ox0;
      let clamp = act == Activation.RELU || act == Activation.RELU6;
      // Read the source rows the next grid row adds and its output row, one load per cache line in
      // address order, so that they stream in sequentially from memory; the loads stall on a first
      // touch from DRAM either way, but in order they keep many lines in flight ([8,56,56,96] from
      // DRAM: 2.55 ms, 2.78 without the output row, 3.4 with neither; in cache the output row's
      // loads cost ~4 %).
      if (row + 1 < end) {
        touchRows(img, cy + oy0 + 3, min(cy + oy0 + 3 + sH, srcH), srcRowBytes);
        if (gy + 1 < gridH) touchRows(orow + <usize>(oStepH * outW) * pixBytes, 0, 1, <usize>gridW * pixBytes);
      }
      let hi: f32 = act == Activation.RELU6 ? 6 : Infinity;
      if (sW == 1) slideRow3(r0, srcRowBytes, srcW, pixBytes, C, w0, wStep, bias, b0, 0, gridW, o0, oStep, clamp, hi);
      else {
        // In segments whose three source rows take about 24 KiB, so that they stay in L1 while the
        // channel vectors pass over them ([1,112,112,96] stride 2: 0.30 against 0.38 ms; at stride 1
        // the segments' restarts cost more than they save).
        for (let j0 = 0; j0 < gridW; j0 += seg2) {
          let j1 = min(gridW, j0 + seg2);
          slideRow3Stride2(r0, srcRowBytes, srcW, pixBytes, C, w0, wStep, bias, b0, j0, j1, o0, oStep, clamp, hi);
        }
      }
      if (act != Activation.LINEAR && !clamp) activatePixels(o0, gridW, oStep, C, act, alpha, prelu);
      continue;
    }
    for (let gx = 0; gx < gridW; gx += 4) {
      let cnt = min(4, gridW - gx);
      let cx0 = gx * sW + offW;
      let cx3 = (gx + cnt - 1) * sW + offW;
      let interior = cx0 + minOx >= 0 && cx3 + maxOx < srcW;
      let o0 = orow + <usize>((gx * oStepW + oOffW)) * pixBytes;
      for (let c = 0; c < C; c += 4) {
        // The last group moves back to end at C: its overlap recomputes equal values.
        let cb = <usize>min(c, C - 4) << 2;
        let b = bias != 0 ? v128.load(bias + cb) : f32x4.splat(0);
        gatherTile(
          rowBase, cy, srcH, srcW, pixBytes, table, ntaps, zero, w, cb, cx0, sW, cnt, interior, b, o0 + cb, oStep,
        );
      }
    }
    if (act != Activation.LINEAR) activatePixels(orow + <usize>oOffW * pixBytes, gridW, oStep, C, act, alpha, prelu);
  }
}

/** Sink of touchRows' loads, so that they are not optimised away. */
let touched: i32 = 0;

/** Loads one word per 64-byte line of rows [from, to) (rowBytes apart) from img. */
@inline function touchRows(img: usize, from: i32, to: i32, rowBytes: usize): void {
  let t: i32 = 0;
  for (let q = img + <usize>from * rowBytes, e = img + <usize>max(from, to) * rowBytes; q < e; q += 64) {
    t += load<i32>(q);
  }
  touched += t;
}

/**
 * One grid row of a dense 3x3 window at column stride 1 whose three source rows (from r0) lie
 * inside. Per channel vector the 9 weight vectors stay in registers while the row slides by one
 * source column at a time: source column b0 + t feeds outputs t - 2, t - 1 and t, so each output
 * costs 3 loads and 9 multiply-adds (the 4-pixel tiles cost 6.75 loads, weights included), and a
 * column outside the source adds nothing. Each output sums its window column by column, so the
 * chain carried from one column to the next is a single add. In cache this runs at about twice
 * the tiles' speed ([2,28,28,96]: 31 against 17 GFLOP/s on one thread). Outputs [j0, j1) of the
 * row. With `clamp` the sums are clamped to [0, hi] as they are stored (relu, relu6) by pmax/pmin,
 * one instruction each on x86 where wasm's NaN-propagating max/min take several (NaN stays NaN);
 * a second pass for them cost MobileNetV2's depthwise layers a third of their time. The columns
 * inside the source run without a bounds test (5-10 % faster in cache).
 */
@inline function slideRow3(r0: usize, rowBytes: usize, srcW: i32, pixBytes: usize, C: i32, w: usize, wStep: usize,
                           bias: usize, b0: i32, j0: i32, j1: i32, o0: usize, oStep: usize, clamp: bool,
                           hi: f32): void {
  for (let c = 0; c < C; c += 4) {
    // The last group moves back to end at C: its overlap recomputes equal values.
    let cb = <usize>min(c, C - 4) << 2;
    let wp = w + cb;
    let w00 = v128.load(wp), w01 = v128.load(wp + wStep), w02 = v128.load(wp + 2 * wStep);
    let w10 = v128.load(wp + 3 * wStep), w11 = v128.load(wp + 4 * wStep), w12 = v128.load(wp + 5 * wStep);
    let w20 = v128.load(wp + 6 * wStep), w21 = v128.load(wp + 7 * wStep), w22 = v128.load(wp + 8 * wStep);
    let bv = bias != 0 ? v128.load(bias + cb) : f32x4.splat(0);
    // a: output t - 2 (stored after this column), b: output t - 1, n: output t (starts here).
    let a = bv, b = bv;
    let s0 = b0 + j0;
    let p = r0 + cb + <usize>s0 * pixBytes;
    let o = o0 + cb + <usize>j0 * oStep - 2 * oStep;
    let T = j1 - j0 + 2;
    // Columns [tIn, tOut) lie inside the source; from t = 2 on, each column stores an output.
    let tIn = min(T, max(2, -s0)), tOut = max(tIn, min(T, srcW - s0));
    let t = 0;
    for (; t < tIn; t++) {
      let n = bv;
      if (<u32>(s0 + t) < <u32>srcW) {
        let x0 = v128.load(p), x1 = v128.load(p + rowBytes), x2 = v128.load(p + 2 * rowBytes);
        a = f32x4.add(a, madd(x2, w22, madd(x1, w12, f32x4.mul(x0, w02))));
        b = f32x4.add(b, madd(x2, w21, madd(x1, w11, f32x4.mul(x0, w01))));
        n = madd(x2, w20, madd(x1, w10, madd(x0, w00, bv)));
      }
      if (t >= 2) v128.store(o, clamp ? f32x4.pmin(f32x4.pmax(a, f32x4.splat(0)), f32x4.splat(hi)) : a);
      a = b;
      b = n;
      p += pixBytes;
      o += oStep;
    }
    // The interior: no bounds test, every column stores.
    for (; t < tOut; t++) {
      let x0 = v128.load(p), x1 = v128.load(p + rowBytes), x2 = v128.load(p + 2 * rowBytes);
      let y = f32x4.add(a, madd(x2, w22, madd(x1, w12, f32x4.mul(x0, w02))));
      v128.store(o, clamp ? f32x4.pmin(f32x4.pmax(y, f32x4.splat(0)), f32x4.splat(hi)) : y);
      a = f32x4.add(b, madd(x2, w21, madd(x1, w11, f32x4.mul(x0, w01))));
      b = madd(x2, w20, madd(x1, w10, madd(x0, w00, bv)));
      p += pixBytes;
      o += oStep;
    }
    for (; t < T; t++) {
      // Past the source's end: the column adds nothing.
      v128.store(o, clamp ? f32x4.pmin(f32x4.pmax(a, f32x4.splat(0)), f32x4.splat(hi)) : a);
      a = b;
      b = bv;
      o += oStep;
    }
  }
}

/**
 * slideRow3 at column stride 2: output j reads source columns b0 + 2j .. b0 + 2j + 2, the last of
 * which is also output j + 1's first, so each output costs 6 loads and 9 multiply-adds (the
 * 4-pixel tiles cost 9 loads, weights included).
 */
@inline function slideRow3Stride2(r0: usize, rowBytes: usize, srcW: i32, pixBytes: usize, C: i32, w: usize,
                                  wStep: usize, bias: usize, b0: i32, j0: i32, j1: i32, o0: usize, oStep: usize,
                                  clamp: bool, hi: f32): void {
  for (let c = 0; c < C; c += 4) {
    let cb = <usize>min(c, C - 4) << 2;
    let wp = w + cb;
    let w00 = v128.load(wp), w01 = v128.load(wp + wStep), w02 = v128.load(wp + 2 * wStep);
    let w10 = v128.load(wp + 3 * wStep), w11 = v128.load(wp + 4 * wStep), w12 = v128.load(wp + 5 * wStep);
    let w20 = v128.load(wp + 6 * wStep), w21 = v128.load(wp + 7 * wStep), w22 = v128.load(wp + 8 * wStep);
    let bv = bias != 0 ? v128.load(bias + cb) : f32x4.splat(0);
    let p = r0 + cb + <usize>(b0 + 2 * j0) * pixBytes;
    // a: output j, holding its first column's products
    let a = bv;
    if (<u32>(b0 + 2 * j0) < <u32>srcW) {
      a = madd(v128.load(p + 2 * rowBytes), w20, madd(v128.load(p + rowBytes), w10, madd(v128.load(p), w00, bv)));
    }
    let o = o0 + cb + <usize>j0 * oStep;
    for (let j = j0; j < j1; j++) {
      let s = b0 + 2 * j;
      let q = p + pixBytes;
      if (<u32>(s + 1) < <u32>srcW) {
        let x0 = v128.load(q), x1 = v128.load(q + rowBytes), x2 = v128.load(q + 2 * rowBytes);
        a = f32x4.add(a, madd(x2, w21, madd(x1, w11, f32x4.mul(x0, w01))));
      }
      let n = bv;
      q += pixBytes;
      if (<u32>(s + 2) < <u32>srcW) {
        let x0 = v128.load(q), x1 = v128.load(q + rowBytes), x2 = v128.load(q + 2 * rowBytes);
        a = f32x4.add(a, madd(x2, w22, madd(x1, w12, f32x4.mul(x0, w02))));
        n = madd(x2, w20, madd(x1, w10, madd(x0, w00, bv)));
      }
      v128.store(o, clamp ? f32x4.pmin(f32x4.pmax(a, f32x4.splat(0)), f32x4.splat(hi)) : a);
      a = n;
      p += 2 * pixBytes;
      o += oStep;
    }
  }
}

/**
 * One channel vector (byte offset cb) of up to 4 pixels of a grid row, tap by tap, with zero rows
 * outside the source; pixels past `cnt` repeat the last one and are not stored.
 */
@inline function gatherTile(rowBase: usize, cy: i32, srcH: i32, srcW: i32, pixBytes: usize, table: usize, ntaps: i32,
                           zero: usize, w: usize, cb: usize, cx0: i32, sW: i32, cnt: i32, interior: bool, b: v128,
                           ob: usize, oStep: usize): void {
  let cx1 = cx0 + min(1, cnt - 1) * sW, cx2 = cx0 + min(2, cnt - 1) * sW, cx3 = cx0 + min(3, cnt - 1) * sW;
  let acc0 = b, acc1 = b, acc2 = b, acc3 = b;
  let p0 = rowBase + <usize>cx0 * pixBytes + cb, p1 = rowBase + <usize>cx1 * pixBytes + cb;
  let p2 = rowBase + <usize>cx2 * pixBytes + cb, p3 = rowBase + <usize>cx3 * pixBytes + cb;
  let wc = w + cb;
  if (interior) {
    for (let t = 0; t < ntaps; t++) {
      let e = table + (<usize>t << 4);
      if (<u32>(cy + load<i32>(e)) >= <u32>srcH) continue;
      let off = <usize>load<i32>(e, 12);
      let wv = v128.load(wc + <usize>load<i32>(e, 8));
      acc0 = madd(v128.load(p0 + off), wv, acc0);
      acc1 = madd(v128.load(p1 + off), wv, acc1);
      acc2 = madd(v128.load(p2 + off), wv, acc2);
      acc3 = madd(v128.load(p3 + off), wv, acc3);
    }
  } else {
    for (let t = 0; t < ntaps; t++) {
      let e = table + (<usize>t << 4);
      if (<u32>(cy + load<i32>(e)) >= <u32>srcH) continue;
      let ox = load<i32>(e, 4);
      let off = <usize>load<i32>(e, 12);
      let wv = v128.load(wc + <usize>load<i32>(e, 8));
      let q0 = select<usize>(p0 + off, zero, <u32>(cx0 + ox) < <u32>srcW);
      let q1 = select<usize>(p1 + off, zero, <u32>(cx1 + ox) < <u32>srcW);
      let q2 = select<usize>(p2 + off, zero, <u32>(cx2 + ox) < <u32>srcW);
      let q3 = select<usize>(p3 + off, zero, <u32>(cx3 + ox) < <u32>srcW);
      acc0 = madd(v128.load(q0), wv, acc0);
      acc1 = madd(v128.load(q1), wv, acc1);
      acc2 = madd(v128.load(q2), wv, acc2);
      acc3 = madd(v128.load(q3), wv, acc3);
    }
  }
  v128.store(ob, acc0);
  if (cnt > 1) v128.store(ob + oStep, acc1);
  if (cnt > 2) v128.store(ob + 2 * oStep, acc2);
  if (cnt > 3) v128.store(ob + 3 * oStep, acc3);
}

function depthwiseScalar(src: usize, w: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let C = ldi(attrs, CH), srcH = ldi(attrs, SRC_H), srcW = ldi(attrs, SRC_W);
  let gridH = ldi(attrs, GRID_H), gridW = ldi(attrs, GRID_W);
  let sH = ldi(attrs, STRIDE_H), sW = ldi(attrs, STRIDE_W), offH = ldi(attrs, OFF_H), offW = ldi(attrs, OFF_W);
  let outH = ldi(attrs, OUT_H), outW = ldi(attrs, OUT_W);
  let oStepH = ldi(attrs, OUT_STEP_H), oStepW = ldi(attrs, OUT_STEP_W);
  let oOffH = ldi(attrs, OUT_OFF_H), oOffW = ldi(attrs, OUT_OFF_W);
  let ntaps = ldi(attrs, NTAPS), table = <usize>ldi(attrs, TABLE);
  let bias = <usize>ldi(attrs, BIAS), act = ldi(attrs, ACT), alpha = load<f32>(attrs + (ALPHA << 2));
  let prelu = <usize>ldi(attrs, PRELU);
  for (let row = begin; row < end; row++) {
    let n = row / gridH, gy = row - n * gridH;
    let cy = gy * sH + offH;
    for (let gx = 0; gx < gridW; gx++) {
      let cx = gx * sW + offW;
      let o = out + (<usize>(((n * outH + gy * oStepH + oOffH) * outW + gx * oStepW + oOffW) * C) << 2);
      for (let c = 0; c < C; c++) {
        let acc: f32 = bias != 0 ? ldf(bias, c) : 0;
        for (let t = 0; t < ntaps; t++) {
          let e = table + (<usize>t << 4);
          let y = cy + load<i32>(e), x = cx + load<i32>(e, 4);
          if (<u32>y >= <u32>srcH || <u32>x >= <u32>srcW) continue;
          let wt = w + <usize>load<i32>(e, 8);
          acc += ldf(src, ((n * srcH + y) * srcW + x) * C + c) * ldf(wt, c);
        }
        stf(o, c, activateS(acc, act, alpha, act == Activation.PRELU ? ldf(prelu, c) : 0));
      }
    }
  }
}

// Attribute words of depthwise_filter_grad_f32 (src/layouts.ts).
const G_H = DepthwiseFilterGradAttr.H, G_W = DepthwiseFilterGradAttr.W, G_C = DepthwiseFilterGradAttr.C;
const G_DY_H = DepthwiseFilterGradAttr.DY_H, G_DY_W = DepthwiseFilterGradAttr.DY_W;
const G_BATCH = DepthwiseFilterGradAttr.BATCH, G_STRIDE_H = DepthwiseFilterGradAttr.STRIDE_H;
const G_STRIDE_W = DepthwiseFilterGradAttr.STRIDE_W, G_NTAPS = DepthwiseFilterGradAttr.NTAPS;
const G_TABLE = DepthwiseFilterGradAttr.TABLE, G_ROWS3 = DepthwiseFilterGradAttr.ROWS3;
const CHUNK: i32 = 256;

/**
 * dW[tap][c] = sum over output pixels of x[corner + tap][c] * dy[pixel][c] for work items
 * (channel group g, tap group t) = g*ceil(taps/4) + t in [begin, end); with ROWS3 (filter rows of
 * 3 adjacent taps, column stride 1) the tap groups are the filter rows instead. x is padded so that every
 * tap of every pixel is inside; the table holds each tap's byte offset (oy*W + ox)*C*4 from the
 * corner. Sums stay in registers over chunks of pixels, then add into dW.
 */
export function depthwise_filter_grad_f32(x: usize, dy: usize, dw: usize, attrs: usize, begin: i32, end: i32): void {
  let H = ldi(attrs, G_H), W = ldi(attrs, G_W), C = ldi(attrs, G_C);
  let OH = ldi(attrs, G_DY_H), OW = ldi(attrs, G_DY_W), batch = ldi(attrs, G_BATCH);
  let sh = ldi(attrs, G_STRIDE_H), sw = ldi(attrs, G_STRIDE_W);
  let ntaps = ldi(attrs, G_NTAPS), table = <usize>ldi(attrs, G_TABLE);
  let M = batch * OH * OW, OHW = OH * OW;
  let rows3 = ldi(attrs, G_ROWS3) != 0;
  // Items: (channel group, group of 4 taps), or (channel group, filter row of 3 taps) in rows3 mode.
  let per = rows3 ? 3 : 4;
  let tgroups = (ntaps + per - 1) / per;
  if (!ASC_FEATURE_SIMD || C < 4) {
    for (let it = begin; it < end; it++) {
      let g = it / tgroups, tg = it - g * tgroups;
      for (let c = g << 2; c < min((g << 2) + 4, C); c++) {
        for (let t = tg * per; t < min(tg * per + per, ntaps); t++) {
          let off = <usize>ldi(table, t);
          let acc: f32 = 0;
          for (let m = 0; m < M; m++) {
            let n = m / OHW, rem = m % OHW, oh = rem / OW, ow = rem % OW;
            let xb = x + (<usize>(((n * H + oh * sh) * W + ow * sw) * C + c) << 2) + off;
            acc += load<f32>(xb) * ldf(dy, m * C + c);
          }
          stf(dw, t * C + c, acc);
        }
      }
    }
    return;
  }
  let pixBytes = <usize>C << 2;
  let xStep = <usize>sw * pixBytes;
  if (rows3) {
    rowsOf3FilterGrad(x, dy, dw, H, W, C, OH, OW, M, sh, tgroups, table, begin, end);
    return;
  }
  for (let m0 = 0; m0 < M; m0 += CHUNK) {
    let m1 = min(M, m0 + CHUNK);
    // Where the chunk starts; row segments then advance without dividing.
    let n0 = m0 / OHW, rem0 = m0 - n0 * OHW, oh0 = rem0 / OW, ow0 = rem0 - oh0 * OW;
    for (let it = begin; it < end; it++) {
      let g = it / tgroups, tg = it - g * tgroups;
      let c = min(g << 2, C - 4);
      let from = (g << 2) - c;
      let cb = <usize>c << 2;
      let t0 = tg << 2;
      let cnt = min(4, ntaps - t0);
      let t1 = t0 + min(1, cnt - 1), t2 = t0 + min(2, cnt - 1), t3 = t0 + min(3, cnt - 1);
      let off0 = <usize>ldi(table, t0) + cb, off1 = <usize>ldi(table, t1) + cb;
      let off2 = <usize>ldi(table, t2) + cb, off3 = <usize>ldi(table, t3) + cb;
      let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
      let m = m0, n = n0, oh = oh0, ow = ow0;
      while (m < m1) {
        let segEnd = min(m1, m + OW - ow);
        let xb = x + <usize>((n * H + oh * sh) * W + ow * sw) * pixBytes;
        let db = dy + <usize>m * pixBytes + cb;
        for (let i = m; i < segEnd; i++) {
          let d = v128.load(db);
          acc0 = madd(v128.load(xb + off0), d, acc0);
          acc1 = madd(v128.load(xb + off1), d, acc1);
          acc2 = madd(v128.load(xb + off2), d, acc2);
          acc3 = madd(v128.load(xb + off3), d, acc3);
          xb += xStep; db += pixBytes;
        }
        m = segEnd; ow = 0;
        if (++oh == OH) { oh = 0; n++; }
      }
      let first = m0 == 0;
      let d0 = dw + <usize>t0 * pixBytes + cb;
      if (!first) acc0 = f32x4.add(acc0, v128.load(d0));
      storeLanesFrom(d0, from, acc0);
      if (cnt > 1) {
        let d = d0 + pixBytes;
        if (!first) acc1 = f32x4.add(acc1, v128.load(d));
        storeLanesFrom(d, from, acc1);
      }
      if (cnt > 2) {
        let d = d0 + 2 * pixBytes;
        if (!first) acc2 = f32x4.add(acc2, v128.load(d));
        storeLanesFrom(d, from, acc2);
      }
      if (cnt > 3) {
        let d = d0 + 3 * pixBytes;
        if (!first) acc3 = f32x4.add(acc3, v128.load(d));
        storeLanesFrom(d, from, acc3);
      }
    }
  }
}

/**
 * depthwise_filter_grad_f32 for filter rows of 3 adjacent taps at column stride 1: work items
 * (channel group g, filter row kh) = g*rows + kh. Along a row segment each source vector is loaded
 * once and serves the three taps in turn (2 loads per 3 multiply-adds instead of 5 per 4).
 */
function rowsOf3FilterGrad(x: usize, dy: usize, dw: usize, H: i32, W: i32, C: i32, OH: i32, OW: i32, M: i32,
                           sh: i32, rows: i32, table: usize, begin: i32, end: i32): void {
  let pixBytes = <usize>C << 2;
  let OHW = OH * OW;
  for (let m0 = 0; m0 < M; m0 += CHUNK) {
    let m1 = min(M, m0 + CHUNK);
    let n0 = m0 / OHW, rem0 = m0 - n0 * OHW, oh0 = rem0 / OW, ow0 = rem0 - oh0 * OW;
    for (let it = begin; it < end; it++) {
      let g = it / rows, kh = it - g * rows;
      let c = min(g << 2, C - 4);
      let from = (g << 2) - c;
      let cb = <usize>c << 2;
      let t0 = kh * 3;
      let off = <usize>ldi(table, t0) + cb;
      let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0);
      let m = m0, n = n0, oh = oh0, ow = ow0;
      while (m < m1) {
        let segEnd = min(m1, m + OW - ow);
        let xb = x + <usize>((n * H + oh * sh) * W + ow) * pixBytes + off;
        let db = dy + <usize>m * pixBytes + cb;
        let x0 = v128.load(xb), x1 = v128.load(xb + pixBytes);
        for (let i = m; i < segEnd; i++) {
          let x2 = v128.load(xb + 2 * pixBytes);
          let d = v128.load(db);
          acc0 = madd(x0, d, acc0);
          acc1 = madd(x1, d, acc1);
          acc2 = madd(x2, d, acc2);
          x0 = x1; x1 = x2;
          xb += pixBytes; db += pixBytes;
        }
        m = segEnd; ow = 0;
        if (++oh == OH) { oh = 0; n++; }
      }
      let first = m0 == 0;
      let d0 = dw + <usize>t0 * pixBytes + cb;
      if (!first) acc0 = f32x4.add(acc0, v128.load(d0));
      storeLanesFrom(d0, from, acc0);
      let d1 = d0 + pixBytes;
      if (!first) acc1 = f32x4.add(acc1, v128.load(d1));
      storeLanesFrom(d1, from, acc1);
      let d2 = d1 + pixBytes;
      if (!first) acc2 = f32x4.add(acc2, v128.load(d2));
      storeLanesFrom(d2, from, acc2);
    }
  }
}

/** xe[p][c*M + q] = x[p][c]: repeats each channel for a channel multiplier M; pixels in [begin, end). */
export function depthwise_expand_f32(x: usize, xe: usize, C: i32, M: i32, begin: i32, end: i32): void {
  for (let p = begin; p < end; p++) {
    for (let c = 0; c < C; c++) {
      let v = ldf(x, p * C + c);
      let base = (p * C + c) * M;
      for (let q = 0; q < M; q++) stf(xe, base + q, v);
    }
  }
}

/** x[p][c] = sum over q of xe[p][c*M + q]: folds an expanded gradient back; pixels in [begin, end). */
export function depthwise_reduce_f32(xe: usize, x: usize, C: i32, M: i32, begin: i32, end: i32): void {
  for (let p = begin; p < end; p++) {
    for (let c = 0; c < C; c++) {
      let base = (p * C + c) * M;
      let s: f32 = 0;
      for (let q = 0; q < M; q++) s += ldf(xe, base + q);
      stf(x, p * C + c, s);
    }
  }
}
