// 2-D convolution over NHWC as an implicit GEMM (XNNPACK's igemm without the indirection buffer):
// an output tile of 4 pixels x 8 channels accumulates, segment by segment, rows of source pixels
// (C contiguous floats each) against a filter packed into panels of 8 columns ([panel][K][8]).
// A segment is a run of filter taps whose source pixels and packed rows are both consecutive
// (a filter row when the width dilation is 1), so the inner loop runs over w*C floats; pixels a
// segment only partly covers (padding) fall back to tap by tap, reading a zero row where outside.
//
// The same kernel computes Conv2D (grid = output pixels, source = x) and the input gradient
// (grid = one stride phase of dx, source = dy, packed = the rotated, transposed filter): only the
// grid-to-source map, the grid-to-output map and the segment table differ; the caller builds them.
import { Activation } from './opcodes';
import { madd, ldf, stf, ldi } from './simd';
import { activateS, activatePixels, loadLanes, storeLanes } from './conv_epilogue';
import { IgemmAttr, GemmTile } from './layouts';

const NR: i32 = GemmTile.NR;
const MR: i32 = 4;

// Attribute words of conv_igemm_f32 (layout declared once in src/layouts.ts).
const SRC_H = IgemmAttr.SRC_H, SRC_W = IgemmAttr.SRC_W, SRC_C = IgemmAttr.SRC_C, GRID_H = IgemmAttr.GRID_H;
const GRID_W = IgemmAttr.GRID_W, STRIDE_H = IgemmAttr.STRIDE_H, STRIDE_W = IgemmAttr.STRIDE_W;
const OFF_H = IgemmAttr.OFF_H, OFF_W = IgemmAttr.OFF_W, OUT_H = IgemmAttr.OUT_H, OUT_W = IgemmAttr.OUT_W;
const OUT_STEP_H = IgemmAttr.OUT_STEP_H, OUT_STEP_W = IgemmAttr.OUT_STEP_W, OUT_OFF_H = IgemmAttr.OUT_OFF_H;
const OUT_OFF_W = IgemmAttr.OUT_OFF_W, COLS = IgemmAttr.COLS, ROWS = IgemmAttr.ROWS, NSEG = IgemmAttr.NSEG;
const TABLE = IgemmAttr.TABLE, ZERO = IgemmAttr.ZERO, BIAS = IgemmAttr.BIAS, ACT = IgemmAttr.ACT;
const ALPHA = IgemmAttr.ALPHA, PRELU = IgemmAttr.PRELU;

/** Packs a row-major K×N filter (HWIO flattened: K = FH*FW*IC) into zero-padded panels of 8 columns. */
export function conv_pack_f32(w: usize, packed: usize, K: i32, N: i32): void {
  let panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    let j0 = p * NR;
    let cw = min(NR, N - j0);
    let dst = packed + (<usize>(p * K * NR) << 2);
    for (let k = 0; k < K; k++) {
      let src = k * N + j0;
      for (let j = 0; j < cw; j++) stf(dst, k * NR + j, ldf(w, src + j));
      for (let j = cw; j < NR; j++) stf(dst, k * NR + j, 0);
    }
  }
}

/**
 * Packs an HWIO filter for the input gradient: row (kh, FW-1-kw, oc), column ic, so that taps
 * whose dy pixels are consecutive (ascending ow) also have consecutive packed rows.
 */
export function conv_pack_transposed_f32(w: usize, packed: usize, FH: i32, FW: i32, IC: i32, OC: i32): void {
  let K = FH * FW * OC;
  let panels = (IC + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    let j0 = p * NR;
    let cw = min(NR, IC - j0);
    let dst = packed + (<usize>(p * K * NR) << 2);
    let r = 0;
    for (let kh = 0; kh < FH; kh++) {
      for (let kr = 0; kr < FW; kr++) {
        let tap = kh * FW + (FW - 1 - kr);
        for (let oc = 0; oc < OC; oc++) {
          let src = (tap * IC + j0) * OC + oc;
          for (let j = 0; j < cw; j++) stf(dst, r * NR + j, ldf(w, src + j * OC));
          for (let j = cw; j < NR; j++) stf(dst, r * NR + j, 0);
          r++;
        }
      }
    }
  }
}

/**
 * out[pixels begin..end of the grid] = epilogue(sum over segments of source rows · packed rows).
 * `attrs` holds the geometry words listed above; the segment table holds (oy, ox, width, row)
 * per segment: source pixel (cy + oy, cx + ox + t) meets packed rows row + t*C .. +C for t < width,
 * where (cy, cx) = (gy*strideH + offH, gx*strideW + offW) for grid pixel (n, gy, gx).
 */
export function conv_igemm_f32(src: usize, packed: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  if (!ASC_FEATURE_SIMD) {
    igemmScalar(src, packed, out, attrs, begin, end);
    return;
  }
  let srcH = ldi(attrs, SRC_H), srcW = ldi(attrs, SRC_W), C = ldi(attrs, SRC_C);
  let gridH = ldi(attrs, GRID_H), gridW = ldi(attrs, GRID_W);
  let sH = ldi(attrs, STRIDE_H), sW = ldi(attrs, STRIDE_W), offH = ldi(attrs, OFF_H), offW = ldi(attrs, OFF_W);
  let outH = ldi(attrs, OUT_H), outW = ldi(attrs, OUT_W);
  let oStepH = ldi(attrs, OUT_STEP_H), oStepW = ldi(attrs, OUT_STEP_W);
  let oOffH = ldi(attrs, OUT_OFF_H), oOffW = ldi(attrs, OUT_OFF_W);
  let N = ldi(attrs, COLS), K = ldi(attrs, ROWS), nseg = ldi(attrs, NSEG);
  let table = <usize>ldi(attrs, TABLE), zero = <usize>ldi(attrs, ZERO);
  let bias = <usize>ldi(attrs, BIAS), act = ldi(attrs, ACT), alpha = load<f32>(attrs + (ALPHA << 2));
  let prelu = <usize>ldi(attrs, PRELU);

  let clamp = act == Activation.RELU || act == Activation.RELU6;
  let z = f32x4.splat(0), top = f32x4.splat(act == Activation.RELU6 ? 6 : Infinity);
  let gridHW = gridH * gridW;
  let imgBytes = <usize>(srcH * srcW * C) << 2;
  let panels = (N + NR - 1) / NR;
  // Cursor over grid pixels: (n, gy, gx) of pixel m.
  let n = begin / gridHW;
  let rem = begin - n * gridHW;
  let gy = rem / gridW;
  let gx = rem - gy * gridW;

  for (let m = begin; m < end; m += MR) {
    let cnt = min(MR, end - m);
    // Pixels past `cnt` repeat the last one (computed, never stored), so one code path serves all tiles.
    let img0 = src + <usize>n * imgBytes, cy0 = gy * sH + offH, cx0 = gx * sW + offW;
    let o0 = out + (<usize>(((n * outH + gy * oStepH + oOffH) * outW + gx * oStepW + oOffW) * N) << 2);
    if (++gx == gridW) { gx = 0; if (++gy == gridH) { gy = 0; n++; } }
    let img1 = img0, cy1 = cy0, cx1 = cx0, o1 = o0;
    if (cnt > 1) {
      img1 = src + <usize>n * imgBytes; cy1 = gy * sH + offH; cx1 = gx * sW + offW;
      o1 = out + (<usize>(((n * outH + gy * oStepH + oOffH) * outW + gx * oStepW + oOffW) * N) << 2);
      if (++gx == gridW) { gx = 0; if (++gy == gridH) { gy = 0; n++; } }
    }
    let img2 = img1, cy2 = cy1, cx2 = cx1, o2 = o1;
    if (cnt > 2) {
      img2 = src + <usize>n * imgBytes; cy2 = gy * sH + offH; cx2 = gx * sW + offW;
      o2 = out + (<usize>(((n * outH + gy * oStepH + oOffH) * outW + gx * oStepW + oOffW) * N) << 2);
      if (++gx == gridW) { gx = 0; if (++gy == gridH) { gy = 0; n++; } }
    }
    let img3 = img2, cy3 = cy2, cx3 = cx2, o3 = o2;
    if (cnt > 3) {
      img3 = src + <usize>n * imgBytes; cy3 = gy * sH + offH; cx3 = gx * sW + offW;
      o3 = out + (<usize>(((n * outH + gy * oStepH + oOffH) * outW + gx * oStepW + oOffW) * N) << 2);
      if (++gx == gridW) { gx = 0; if (++gy == gridH) { gy = 0; n++; } }
    }

    for (let p = 0; p < panels; p++) {
      let j0 = p * NR;
      let bpanel = packed + (<usize>(p * K * NR) << 2);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let s = 0; s < nseg; s++) {
        let e = table + (<usize>s << 4);
        let oy = load<i32>(e), ox = load<i32>(e, 4), sw = load<i32>(e, 8), row = load<i32>(e, 12);
        let y0 = cy0 + oy, y1 = cy1 + oy, y2 = cy2 + oy, y3 = cy3 + oy;
        let r0 = <u32>y0 < <u32>srcH, r1 = <u32>y1 < <u32>srcH, r2 = <u32>y2 < <u32>srcH, r3 = <u32>y3 < <u32>srcH;
        if (!(r0 | r1 | r2 | r3)) continue;
        let x0 = cx0 + ox, x1 = cx1 + ox, x2 = cx2 + ox, x3 = cx3 + ox;
        let lim = srcW - sw;
        let full = (lim >= 0) & r0 & r1 & r2 & r3 & (<u32>x0 <= <u32>lim) & (<u32>x1 <= <u32>lim) &
          (<u32>x2 <= <u32>lim) & (<u32>x3 <= <u32>lim);
        let subs = full ? 1 : sw;
        let len = full ? sw * C : C;
        for (let t = 0; t < subs; t++) {
          let t0 = x0 + t, t1 = x1 + t, t2 = x2 + t, t3 = x3 + t;
          let a0 = select<usize>(img0 + (<usize>((y0 * srcW + t0) * C) << 2), zero, r0 & (<u32>t0 < <u32>srcW));
          let a1 = select<usize>(img1 + (<usize>((y1 * srcW + t1) * C) << 2), zero, r1 & (<u32>t1 < <u32>srcW));
          let a2 = select<usize>(img2 + (<usize>((y2 * srcW + t2) * C) << 2), zero, r2 & (<u32>t2 < <u32>srcW));
          let a3 = select<usize>(img3 + (<usize>((y3 * srcW + t3) * C) << 2), zero, r3 & (<u32>t3 < <u32>srcW));
          let bk = bpanel + (<usize>((row + t * C) * NR) << 2);
          for (let k = 0; k < len; k++) {
            let bl = v128.load(bk), bh = v128.load(bk, 16);
            let v0 = v128.load32_splat(a0);
            c00 = madd(v0, bl, c00); c01 = madd(v0, bh, c01);
            let v1 = v128.load32_splat(a1);
            c10 = madd(v1, bl, c10); c11 = madd(v1, bh, c11);
            let v2 = v128.load32_splat(a2);
            c20 = madd(v2, bl, c20); c21 = madd(v2, bh, c21);
            let v3 = v128.load32_splat(a3);
            c30 = madd(v3, bl, c30); c31 = madd(v3, bh, c31);
            a0 += 4; a1 += 4; a2 += 4; a3 += 4; bk += 32;
          }
        }
      }
      // Epilogue: bias, then store the rows and columns that exist (activation after all panels).
      let w = min(NR, N - j0);
      let b0 = loadLanes(bias, j0, N), b1 = loadLanes(bias, j0 + 4, N);
      c00 = f32x4.add(c00, b0); c01 = f32x4.add(c01, b1); c10 = f32x4.add(c10, b0); c11 = f32x4.add(c11, b1);
      c20 = f32x4.add(c20, b0); c21 = f32x4.add(c21, b1); c30 = f32x4.add(c30, b0); c31 = f32x4.add(c31, b1);
      if (clamp) {
        // relu and relu6 as the tile is stored: max then min, with activateV's NaN and zero rules.
        c00 = f32x4.min(f32x4.max(c00, z), top); c01 = f32x4.min(f32x4.max(c01, z), top);
        c10 = f32x4.min(f32x4.max(c10, z), top); c11 = f32x4.min(f32x4.max(c11, z), top);
        c20 = f32x4.min(f32x4.max(c20, z), top); c21 = f32x4.min(f32x4.max(c21, z), top);
        c30 = f32x4.min(f32x4.max(c30, z), top); c31 = f32x4.min(f32x4.max(c31, z), top);
      }
      let jb = <usize>j0 << 2;
      if (w == NR) {
        v128.store(o0 + jb, c00); v128.store(o0 + jb, c01, 16);
        if (cnt > 1) { v128.store(o1 + jb, c10); v128.store(o1 + jb, c11, 16); }
        if (cnt > 2) { v128.store(o2 + jb, c20); v128.store(o2 + jb, c21, 16); }
        if (cnt > 3) { v128.store(o3 + jb, c30); v128.store(o3 + jb, c31, 16); }
      } else {
        storeLanes(o0 + jb, 0, w, c00); storeLanes(o0 + jb, 4, w, c01);
        if (cnt > 1) { storeLanes(o1 + jb, 0, w, c10); storeLanes(o1 + jb, 4, w, c11); }
        if (cnt > 2) { storeLanes(o2 + jb, 0, w, c20); storeLanes(o2 + jb, 4, w, c21); }
        if (cnt > 3) { storeLanes(o3 + jb, 0, w, c30); storeLanes(o3 + jb, 4, w, c31); }
      }
    }
    // Other activations: the tile's outputs are still in L1; activate them in place, out of the hot loop.
    if (act != Activation.LINEAR && !clamp) {
      activatePixels(o0, 1, 0, N, act, alpha, prelu);
      if (cnt > 1) activatePixels(o1, 1, 0, N, act, alpha, prelu);
      if (cnt > 2) activatePixels(o2, 1, 0, N, act, alpha, prelu);
      if (cnt > 3) activatePixels(o3, 1, 0, N, act, alpha, prelu);
    }
  }
}

/** The scalar build's conv_igemm_f32: same contract, one output value at a time. */
function igemmScalar(src: usize, packed: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let srcH = ldi(attrs, SRC_H), srcW = ldi(attrs, SRC_W), C = ldi(attrs, SRC_C);
  let gridH = ldi(attrs, GRID_H), gridW = ldi(attrs, GRID_W);
  let sH = ldi(attrs, STRIDE_H), sW = ldi(attrs, STRIDE_W), offH = ldi(attrs, OFF_H), offW = ldi(attrs, OFF_W);
  let outH = ldi(attrs, OUT_H), outW = ldi(attrs, OUT_W);
  let oStepH = ldi(attrs, OUT_STEP_H), oStepW = ldi(attrs, OUT_STEP_W);
  let oOffH = ldi(attrs, OUT_OFF_H), oOffW = ldi(attrs, OUT_OFF_W);
  let N = ldi(attrs, COLS), K = ldi(attrs, ROWS), nseg = ldi(attrs, NSEG);
  let table = <usize>ldi(attrs, TABLE);
  let bias = <usize>ldi(attrs, BIAS), act = ldi(attrs, ACT), alpha = load<f32>(attrs + (ALPHA << 2));
  let prelu = <usize>ldi(attrs, PRELU);
  let gridHW = gridH * gridW;
  for (let m = begin; m < end; m++) {
    let n = m / gridHW, rem = m % gridHW, gy = rem / gridW, gx = rem % gridW;
    let cy = gy * sH + offH, cx = gx * sW + offW;
    let img = src + (<usize>(n * srcH * srcW * C) << 2);
    let o = out + (<usize>(((n * outH + gy * oStepH + oOffH) * outW + gx * oStepW + oOffW) * N) << 2);
    for (let j = 0; j < N; j++) {
      let bp = packed + (<usize>((j / NR) * K * NR + j % NR) << 2);
      let acc: f32 = bias != 0 ? ldf(bias, j) : 0;
      for (let s = 0; s < nseg; s++) {
        let e = table + (<usize>s << 4);
        let y = cy + load<i32>(e), x0 = cx + load<i32>(e, 4), sw = load<i32>(e, 8), row = load<i32>(e, 12);
        if (<u32>y >= <u32>srcH) continue;
        for (let t = 0; t < sw; t++) {
          if (<u32>(x0 + t) >= <u32>srcW) continue;
          let a = img + (<usize>((y * srcW + x0 + t) * C) << 2);
          let r = row + t * C;
          for (let c = 0; c < C; c++) acc += ldf(a, c) * ldf(bp, (r + c) * NR);
        }
      }
      stf(o, j, activateS(acc, act, alpha, act == Activation.PRELU ? ldf(prelu, j) : 0));
    }
  }
}
