// Filter gradient of a 2-D NHWC convolution: dW[r][oc] = sum over output pixels of
// x[pixel corner + tap(r)][ic(r)] * dy[pixel][oc], with r = (kh*FW + kw)*IC + ic the HWIO row.
// A GEMM with a long reduction (every output pixel) and a small output: tiles of 4 filter rows x
// 8 output channels keep their sums in registers over a chunk of pixels (x and dy of a chunk stay in
// cache), then add them into dW. Threads split the tiles, so no two write the same dW element.
// x must cover every tap of every pixel (the caller pads it) and dy's channels come in whole
// vectors of 8 (the caller pads them), so the inner loop has no bounds checks.
import { madd, ldf, stf, ldi } from './simd';
import { ConvFilterGradAttr } from './layouts';

const CHUNK: i32 = 256;

// Attribute words (layout declared once in src/layouts.ts).
const X_H = ConvFilterGradAttr.X_H, X_W = ConvFilterGradAttr.X_W, X_C = ConvFilterGradAttr.X_C;
const DY_H = ConvFilterGradAttr.DY_H, DY_W = ConvFilterGradAttr.DY_W, DY_C = ConvFilterGradAttr.DY_C;
const OC = ConvFilterGradAttr.OC, BATCH = ConvFilterGradAttr.BATCH, STRIDE_H = ConvFilterGradAttr.STRIDE_H;
const STRIDE_W = ConvFilterGradAttr.STRIDE_W, DIL_H = ConvFilterGradAttr.DIL_H, DIL_W = ConvFilterGradAttr.DIL_W;
const FH = ConvFilterGradAttr.FH, FW = ConvFilterGradAttr.FW;

/** Byte offset of filter row r's source element from a pixel's corner in x. */
@inline function rowOffset(r: i32, C: i32, FWv: i32, W: i32, dh: i32, dw: i32): usize {
  let tap = r / C, ic = r - tap * C;
  let kh = tap / FWv, kw = tap - kh * FWv;
  return <usize>((kh * dh * W + kw * dw) * C + ic) << 2;
}

/**
 * dW (FH*FW*IC rows x OC) for tiles [begin, end); tile = rowGroup * panels + panel, where
 * rowGroup covers rows 4g..4g+3 and panel covers channels 8p..8p+7.
 */
export function conv_filter_grad_f32(x: usize, dy: usize, dw: usize, attrs: usize, begin: i32, end: i32): void {
  let H = ldi(attrs, X_H), W = ldi(attrs, X_W), C = ldi(attrs, X_C);
  let OH = ldi(attrs, DY_H), OW = ldi(attrs, DY_W), DC = ldi(attrs, DY_C), NOC = ldi(attrs, OC);
  let batch = ldi(attrs, BATCH), sh = ldi(attrs, STRIDE_H), sw = ldi(attrs, STRIDE_W);
  let dh = ldi(attrs, DIL_H), dwl = ldi(attrs, DIL_W), fh = ldi(attrs, FH), fw = ldi(attrs, FW);
  let K = fh * fw * C;
  let M = batch * OH * OW;
  let OHW = OH * OW;
  if (!ASC_FEATURE_SIMD) {
    filterGradScalar(x, dy, dw, H, W, C, OH, OW, DC, NOC, M, K, sh, sw, dh, dwl, fw, begin, end);
    return;
  }
  let panels = (NOC + 7) >> 3;
  let groups = (K + 3) >> 2;
  let xStep = <usize>(sw * C) << 2;
  let quad = (C & 3) == 0;
  let dyStep = <usize>DC << 2;
  for (let m0 = 0; m0 < M; m0 += CHUNK) {
    let m1 = min(M, m0 + CHUNK);
    // Where the chunk starts; row segments then advance without dividing (divisions per tile
    // and segment cost as much as a tenth of the work).
    let n0 = m0 / OHW, rem0 = m0 - n0 * OHW, oh0 = rem0 / OW, ow0 = rem0 - oh0 * OW;
    for (let it = begin; it < end; it++) {
      // Panel-major order: consecutive tiles share dy's panel columns (kept in L1 over the chunk).
      let p = it / groups, g = it - p * groups;
      let r0 = g << 2;
      let rows = min(4, K - r0);
      let off0 = rowOffset(r0, C, fw, W, dh, dwl);
      let off1 = off0 + 4, off2 = off0 + 8, off3 = off0 + 12;
      let adjacent = quad;
      if (!quad) {
        off1 = rowOffset(r0 + min(1, rows - 1), C, fw, W, dh, dwl);
        off2 = rowOffset(r0 + min(2, rows - 1), C, fw, W, dh, dwl);
        off3 = rowOffset(r0 + min(3, rows - 1), C, fw, W, dh, dwl);
        // Few channels: 4 rows of one filter row are often adjacent in x all the same (C = 1, FW >= 4).
        adjacent = off1 == off0 + 4 && off2 == off0 + 8 && off3 == off0 + 12;
      }
      let j0 = p << 3;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let m = m0, n = n0, oh = oh0, ow = ow0;
      while (m < m1) {
        let segEnd = min(m1, m + OW - ow);
        let xb = x + (<usize>(((n * H + oh * sh) * W + ow * sw) * C) << 2);
        let db = dy + (<usize>(m * DC + j0) << 2);
        let a0 = xb + off0, a1 = xb + off1, a2 = xb + off2, a3 = xb + off3;
        if (adjacent) {
          // The 4 rows are adjacent floats of x (channels ic..ic+3 of one tap, or 4 taps of one
          // channel): one pointer, immediate offsets.
          for (let i = m; i < segEnd; i++) {
            let bl = v128.load(db), bh = v128.load(db, 16);
            let v0 = v128.load32_splat(a0), v1 = v128.load32_splat(a0, 4);
            let v2 = v128.load32_splat(a0, 8), v3 = v128.load32_splat(a0, 12);
            c00 = madd(v0, bl, c00); c01 = madd(v0, bh, c01);
            c10 = madd(v1, bl, c10); c11 = madd(v1, bh, c11);
            c20 = madd(v2, bl, c20); c21 = madd(v2, bh, c21);
            c30 = madd(v3, bl, c30); c31 = madd(v3, bh, c31);
            a0 += xStep; db += dyStep;
          }
          m = segEnd; ow = 0;
          if (++oh == OH) { oh = 0; n++; }
          continue;
        }
        for (let i = m; i < segEnd; i++) {
          let bl = v128.load(db), bh = v128.load(db, 16);
          let v0 = v128.load32_splat(a0), v1 = v128.load32_splat(a1);
          let v2 = v128.load32_splat(a2), v3 = v128.load32_splat(a3);
          c00 = madd(v0, bl, c00); c01 = madd(v0, bh, c01);
          c10 = madd(v1, bl, c10); c11 = madd(v1, bh, c11);
          c20 = madd(v2, bl, c20); c21 = madd(v2, bh, c21);
          c30 = madd(v3, bl, c30); c31 = madd(v3, bh, c31);
          a0 += xStep; a1 += xStep; a2 += xStep; a3 += xStep; db += dyStep;
        }
        m = segEnd; ow = 0;
        if (++oh == OH) { oh = 0; n++; }
      }
      let cw = min(8, NOC - j0);
      let d0 = dw + (<usize>(r0 * NOC + j0) << 2);
      let rowBytes = <usize>NOC << 2;
      accumulateRow(d0, cw, c00, c01, m0 == 0);
      if (rows > 1) accumulateRow(d0 + rowBytes, cw, c10, c11, m0 == 0);
      if (rows > 2) accumulateRow(d0 + 2 * rowBytes, cw, c20, c21, m0 == 0);
      if (rows > 3) accumulateRow(d0 + 3 * rowBytes, cw, c30, c31, m0 == 0);
    }
  }
}

/** d[0..cw) = (first ? 0 : d) + (lo, hi) lanes. */
@inline function accumulateRow(d: usize, cw: i32, lo: v128, hi: v128, first: bool): void {
  if (cw == 8) {
    if (!first) { lo = f32x4.add(lo, v128.load(d)); hi = f32x4.add(hi, v128.load(d, 16)); }
    v128.store(d, lo);
    v128.store(d, hi, 16);
    return;
  }
  let base: f32 = 0;
  for (let j = 0; j < cw; j++) {
    let v: f32;
    switch (j) {
      case 0: v = f32x4.extract_lane(lo, 0); break;
      case 1: v = f32x4.extract_lane(lo, 1); break;
      case 2: v = f32x4.extract_lane(lo, 2); break;
      case 3: v = f32x4.extract_lane(lo, 3); break;
      case 4: v = f32x4.extract_lane(hi, 0); break;
      case 5: v = f32x4.extract_lane(hi, 1); break;
      case 6: v = f32x4.extract_lane(hi, 2); break;
      default: v = f32x4.extract_lane(hi, 3); break;
    }
    if (!first) base = ldf(d, j);
    stf(d, j, base + v);
  }
}

/** The scalar build's conv_filter_grad_f32, with tiles of one row by 8 columns. */
function filterGradScalar(x: usize, dy: usize, dw: usize, H: i32, W: i32, C: i32, OH: i32, OW: i32, DC: i32,
                          NOC: i32, M: i32, K: i32, sh: i32, sw: i32, dh: i32, dwl: i32, fw: i32,
                          begin: i32, end: i32): void {
  let panels = (NOC + 7) >> 3;
  let OHW = OH * OW;
  for (let it = begin; it < end; it++) {
    let g = it / panels, p = it - g * panels;
    for (let r = g << 2; r < min((g << 2) + 4, K); r++) {
      let off = rowOffset(r, C, fw, W, dh, dwl);
      for (let j = p << 3; j < min((p << 3) + 8, NOC); j++) {
        let acc: f32 = 0;
        for (let m = 0; m < M; m++) {
          let n = m / OHW, rem = m % OHW, oh = rem / OW, ow = rem % OW;
          let xb = x + (<usize>(((n * H + oh * sh) * W + ow * sw) * C) << 2) + off;
          acc += load<f32>(xb) * ldf(dy, m * DC + j);
        }
        stf(dw, r * NOC + j, acc);
      }
    }
  }
}
