// Layout helpers of the convolution kernels: zero padding (so that gradient kernels need no bounds
// checks) and NCHW <-> NHWC (the kernels compute in NHWC).
import { ldi } from './simd';
import { gemm_mr } from './matmul';
import { ConvPadAttr, Im2colAttr, Col2imAttr } from './layouts';

// Attribute words of conv_pad_f32 (layouts declared once in src/layouts.ts).
const H = ConvPadAttr.H, W = ConvPadAttr.W, C = ConvPadAttr.C, PH = ConvPadAttr.PH, PW = ConvPadAttr.PW;
const PC = ConvPadAttr.PC, TOP = ConvPadAttr.TOP, LEFT = ConvPadAttr.LEFT;

/**
 * dst [N][PH][PW][PC] = src [N][H][W][C] placed at (TOP, LEFT, 0), zeros elsewhere; rows
 * (n*PH + py) in [begin, end).
 */
export function conv_pad_f32(src: usize, dst: usize, attrs: usize, begin: i32, end: i32): void {
  let h = ldi(attrs, H), w = ldi(attrs, W), c = ldi(attrs, C);
  let ph = ldi(attrs, PH), pw = ldi(attrs, PW), pc = ldi(attrs, PC);
  let top = ldi(attrs, TOP), left = ldi(attrs, LEFT);
  let rowBytes = <usize>(pw * pc) << 2;
  for (let row = begin; row < end; row++) {
    let n = row / ph, py = row - n * ph;
    let d = dst + <usize>row * rowBytes;
    let sy = py - top;
    if (<u32>sy >= <u32>h) {
      memory.fill(d, 0, rowBytes);
      continue;
    }
    let s = src + (<usize>((n * h + sy) * w * c) << 2);
    let x0 = max(0, left), x1 = min(pw, left + w); // destination columns that hold source pixels
    if (x0 > 0) memory.fill(d, 0, <usize>(x0 * pc) << 2);
    if (x1 < pw) memory.fill(d + (<usize>(max(x0, x1) * pc) << 2), 0, <usize>((pw - max(x0, x1)) * pc) << 2);
    if (x1 <= x0) continue;
    let sx0 = x0 - left;
    if (pc == c) {
      memory.copy(d + (<usize>(x0 * pc) << 2), s + (<usize>(sx0 * c) << 2), <usize>((x1 - x0) * c) << 2);
    } else {
      for (let x = x0; x < x1; x++) {
        let dp = d + (<usize>(x * pc) << 2);
        memory.copy(dp, s + (<usize>((x - left) * c) << 2), <usize>c << 2);
        memory.fill(dp + (<usize>c << 2), 0, <usize>(pc - c) << 2);
      }
    }
  }
}

/** dst [N][HW][C] = src [N][C][HW], for blocks of 8 pixels (n*ceil(HW/8) + b) in [begin, end). */
export function conv_nchw_to_nhwc_f32(src: usize, dst: usize, c: i32, hw: i32, begin: i32, end: i32): void {
  let blocks = (hw + 7) >> 3;
  for (let it = begin; it < end; it++) {
    let n = it / blocks, p0 = (it - n * blocks) << 3;
    let p1 = min(hw, p0 + 8);
    let s = src + (<usize>(n * c * hw) << 2);
    let d = dst + (<usize>(n * hw * c) << 2);
    for (let ch = 0; ch < c; ch++) {
      for (let p = p0; p < p1; p++) {
        store<f32>(d + (<usize>(p * c + ch) << 2), load<f32>(s + (<usize>(ch * hw + p) << 2)));
      }
    }
  }
}

/** dst [N][C][HW] = src [N][HW][C], for blocks of 8 pixels (n*ceil(HW/8) + b) in [begin, end). */
export function conv_nhwc_to_nchw_f32(src: usize, dst: usize, c: i32, hw: i32, begin: i32, end: i32): void {
  let blocks = (hw + 7) >> 3;
  for (let it = begin; it < end; it++) {
    let n = it / blocks, p0 = (it - n * blocks) << 3;
    let p1 = min(hw, p0 + 8);
    let s = src + (<usize>(n * hw * c) << 2);
    let d = dst + (<usize>(n * c * hw) << 2);
    for (let ch = 0; ch < c; ch++) {
      for (let p = p0; p < p1; p++) {
        store<f32>(d + (<usize>(ch * hw + p) << 2), load<f32>(s + (<usize>(p * c + ch) << 2)));
      }
    }
  }
}

// Attribute words of conv_im2col_f32.
const I_H = Im2colAttr.H, I_W = Im2colAttr.W, I_C = Im2colAttr.C, I_OH = Im2colAttr.OH, I_OW = Im2colAttr.OW;
const I_SH = Im2colAttr.SH, I_SW = Im2colAttr.SW, I_TOP = Im2colAttr.TOP, I_LEFT = Im2colAttr.LEFT;
const I_FH = Im2colAttr.FH, I_FW = Im2colAttr.FW, I_DH = Im2colAttr.DH, I_DW = Im2colAttr.DW;
const I_BASE = Im2colAttr.BASE;

/**
 * cols[i][(kh*FW + kw)*C + c] = x[n][oh*SH - TOP + kh*DH][ow*SW - LEFT + kw*DW][c] (0 outside) for
 * output pixels BASE + i, i in [begin, end): the explicit im2col rows that a convolution with few
 * input channels multiplies as one long segment instead of many short ones.
 */
export function conv_im2col_f32(x: usize, cols: usize, attrs: usize, begin: i32, end: i32): void {
  let h = ldi(attrs, I_H), w = ldi(attrs, I_W), c = ldi(attrs, I_C), oh = ldi(attrs, I_OH), ow = ldi(attrs, I_OW);
  let sh = ldi(attrs, I_SH), sw = ldi(attrs, I_SW), top = ldi(attrs, I_TOP), left = ldi(attrs, I_LEFT);
  let fh = ldi(attrs, I_FH), fw = ldi(attrs, I_FW), dh = ldi(attrs, I_DH), dw = ldi(attrs, I_DW);
  let base = ldi(attrs, I_BASE);
  let K = fh * fw * c;
  let pixBytes = <usize>c << 2;
  let m = base + begin;
  let n = m / (oh * ow), rem = m - n * oh * ow, y = rem / ow, xo = rem - y * ow;
  let span = fw * c; // floats of one filter row when its taps are adjacent (dilation 1)
  for (let i = begin; i < end; i++) {
    let d = cols + (<usize>(i * K) << 2);
    let img = x + <usize>(n * h * w) * pixBytes;
    let ix0 = xo * sw - left;
    let rowInside = dw == 1 && ix0 >= 0 && ix0 + fw <= w;
    for (let kh = 0; kh < fh; kh++) {
      let iy = y * sh - top + kh * dh;
      if (<u32>iy >= <u32>h) {
        memory.fill(d, 0, <usize>span << 2);
        d += <usize>span << 2;
        continue;
      }
      let s = img + <usize>(iy * w + ix0) * pixBytes;
      if (rowInside) {
        // The whole filter row is one contiguous run of the source row.
        if (span <= 16) {
          for (let j = 0; j < span; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + (<usize>j << 2)));
        } else {
          memory.copy(d, s, <usize>span << 2);
        }
        d += <usize>span << 2;
        continue;
      }
      for (let kw = 0; kw < fw; kw++) {
        let ix = ix0 + kw * dw;
        if (<u32>ix < <u32>w) memory.copy(d, img + <usize>(iy * w + ix) * pixBytes, pixBytes);
        else memory.fill(d, 0, pixBytes);
        d += pixBytes;
      }
    }
    if (++xo == ow) { xo = 0; if (++y == oh) { y = 0; n++; } }
  }
}

// Further attribute words of conv_im2col_packed_f32 (its MR word is gemm_mr(), unused here).
const I_COUNT = Im2colAttr.COUNT;

/**
 * conv_im2col_f32's rows for output pixels BASE + [0, COUNT), written straight into gemm_f32's
 * packed A layout ([panel][K][MR], panels of MR pixels), for row panels [begin, end): the GEMM then
 * needs no packing pass, and its register tile is wider than the implicit GEMM's. MR is gemm_mr().
 * Every window must lie inside x (the caller pads x, so TOP and LEFT are usually 0): the copy runs
 * k by k with one pointer per pixel and no bounds checks. Rows past COUNT repeat the last pixel
 * (gemm_f32 computes them but never stores them). With one channel and stride 1 most panels read
 * MR adjacent floats per k, copied as vectors.
 */
export function conv_im2col_packed_f32(x: usize, packed: usize, attrs: usize, begin: i32, end: i32): void {
  let h = ldi(attrs, I_H), w = ldi(attrs, I_W), c = ldi(attrs, I_C), oh = ldi(attrs, I_OH), ow = ldi(attrs, I_OW);
  let sh = ldi(attrs, I_SH), sw = ldi(attrs, I_SW), top = ldi(attrs, I_TOP), left = ldi(attrs, I_LEFT);
  let fh = ldi(attrs, I_FH), fw = ldi(attrs, I_FW), dh = ldi(attrs, I_DH), dw = ldi(attrs, I_DW);
  let base = ldi(attrs, I_BASE), count = ldi(attrs, I_COUNT);
  const mr = gemm_mr(); // a constant once inlined: the unrolled stores below depend on it
  let kStep = <usize>mr << 2; // bytes between consecutive k of one pixel
  let panelBytes = <usize>(fh * fw * c) * kStep;
  let m = base + begin * mr;
  let n = m / (oh * ow), rem = m - n * oh * ow, y = rem / ow, xo = rem - y * ow;
  let rowStep = <usize>(dh * w * c) << 2, tapStep = <usize>(dw * c) << 2;
  let imgBytes = <usize>(h * w * c) << 2;
  for (let p = begin; p < end; p++) {
    let s0: usize = 0, s1: usize = 0, s2: usize = 0, s3: usize = 0, s4: usize = 0, s5: usize = 0;
    let s: usize = 0;
    let valid = min(mr, count - p * mr);
    for (let i = 0; i < mr; i++) {
      if (i < valid) {
        s = x + <usize>n * imgBytes + (<usize>(((y * sh - top) * w + xo * sw - left) * c) << 2);
        if (++xo == ow) { xo = 0; if (++y == oh) { y = 0; n++; } }
      }
      if (i == 0) s0 = s; else if (i == 1) s1 = s; else if (i == 2) s2 = s;
      else if (i == 3) s3 = s; else if (i == 4) s4 = s; else s5 = s;
    }
    let d = packed + <usize>p * panelBytes;
    // One channel, stride 1, pixels of one output row: the panel's values of each k are adjacent
    // floats of x, copied as two overlapping vectors (lanes 0-3 and MR-4..MR-1).
    if (ASC_FEATURE_SIMD && s1 == s0 + 4 && s2 == s0 + 8 && s3 == s0 + 12 && (mr < 5 || s4 == s0 + 16) &&
        (mr < 6 || s5 == s0 + 20)) {
      let tail = <usize>(mr - 4) << 2;
      for (let kh = 0; kh < fh; kh++) {
        let t = s0 + <usize>kh * rowStep;
        for (let kw = 0; kw < fw; kw++) {
          v128.store(d, v128.load(t));
          v128.store(d + tail, v128.load(t + tail));
          d += kStep;
          t += tapStep;
        }
      }
      continue;
    }
    for (let kh = 0; kh < fh; kh++) {
      let o = <usize>kh * rowStep;
      for (let kw = 0; kw < fw; kw++) {
        for (let ch = 0; ch < c; ch++) {
          let q = o + (<usize>ch << 2);
          store<f32>(d, load<f32>(s0 + q)); store<f32>(d, load<f32>(s1 + q), 4);
          store<f32>(d, load<f32>(s2 + q), 8); store<f32>(d, load<f32>(s3 + q), 12);
          if (mr > 4) store<f32>(d, load<f32>(s4 + q), 16);
          if (mr > 5) store<f32>(d, load<f32>(s5 + q), 20);
          d += kStep;
        }
        o += tapStep;
      }
    }
  }
}

// Attribute words of conv_col2im_f32; the table of FW (ix0, ox0, count) triples follows them.
const C_H = Col2imAttr.H, C_W = Col2imAttr.W, C_C = Col2imAttr.C, C_OW = Col2imAttr.OW, C_SH = Col2imAttr.SH;
const C_SW = Col2imAttr.SW, C_TOP = Col2imAttr.TOP, C_FH = Col2imAttr.FH, C_FW = Col2imAttr.FW, C_DH = Col2imAttr.DH;
const C_N0 = Col2imAttr.N0, C_OY0 = Col2imAttr.OY0, C_OY1 = Col2imAttr.OY1, C_ROW0 = Col2imAttr.ROW0;
const C_TABLE = Col2imAttr.WORDS;

/**
 * The input gradient from column rows: dx[n][iy][ix][c] = sum over taps (kh, kw), in that order, of
 * cols[pixel (n, oy, ox)][(kh*FW + kw)*C + c] where oy*SH = iy + TOP - kh*DH and ox*SW = ix + LEFT - kw*DW.
 * cols holds the dy pixels of images N0.. with rows OY0 <= oy < OY1 (a row of OW pixels of FH*FW*C
 * floats each); taps that land elsewhere contribute nothing, so the caller must hold every row that
 * the dx rows ROW0 + [begin, end) (flat n*H + iy) need. Column kw of the filter reaches dx columns
 * ix0 + j*SW from dy columns ox0 + j, j < count: the table gives those per kw, since they are the
 * same for every row (and divisions here would cost more than the sums). Each dx value is summed
 * by one thread in a fixed order: results do not depend on how threads split the rows.
 */
export function conv_col2im_f32(cols: usize, dx: usize, attrs: usize, begin: i32, end: i32): void {
  let h = ldi(attrs, C_H), w = ldi(attrs, C_W), c = ldi(attrs, C_C), ow = ldi(attrs, C_OW);
  let sh = ldi(attrs, C_SH), sw = ldi(attrs, C_SW), top = ldi(attrs, C_TOP);
  let fh = ldi(attrs, C_FH), fw = ldi(attrs, C_FW), dh = ldi(attrs, C_DH);
  let n0 = ldi(attrs, C_N0), oy0 = ldi(attrs, C_OY0), oy1 = ldi(attrs, C_OY1), row0 = ldi(attrs, C_ROW0);
  let table = attrs + (<usize>C_TABLE << 2);
  let K = fh * fw * c;
  let colBytes = <usize>K << 2;
  let rowBytes = <usize>(w * c) << 2;
  let dStep = <usize>(sw * c) << 2;
  let r = row0 + begin;
  let n = r / h, iy = r - n * h;
  for (let i = begin; i < end; i++) {
    let d = dx + <usize>(row0 + i) * rowBytes;
    memory.fill(d, 0, rowBytes);
    let img = cols + <usize>(((n - n0) * (oy1 - oy0)) * ow) * colBytes;
    for (let kh = 0; kh < fh; kh++) {
      let a = iy + top - kh * dh;
      if (a < 0) break; // a only decreases with kh
      let oy = a / sh;
      if (oy * sh != a || oy < oy0 || oy >= oy1) continue;
      let crow = img + <usize>((oy - oy0) * ow) * colBytes + (<usize>(kh * fw * c) << 2);
      for (let kw = 0; kw < fw; kw++) {
        let e = table + (<usize>(kw * 3) << 2);
        let ix = load<i32>(e), ox = load<i32>(e, 4), count = load<i32>(e, 8);
        let s = crow + <usize>ox * colBytes + (<usize>(kw * c) << 2);
        let t = d + (<usize>(ix * c) << 2);
        if (c == 1) {
          for (let j = 0; j < count; j++) {
            store<f32>(t, load<f32>(t) + load<f32>(s));
            s += colBytes; t += dStep;
          }
        } else {
          for (let j = 0; j < count; j++) {
            let k = 0;
            if (ASC_FEATURE_SIMD) {
              for (; k + 4 <= c; k += 4) {
                let p = t + (<usize>k << 2);
                v128.store(p, f32x4.add(v128.load(p), v128.load(s + (<usize>k << 2))));
              }
            }
            for (; k < c; k++) {
              let p = t + (<usize>k << 2);
              store<f32>(p, load<f32>(p) + load<f32>(s + (<usize>k << 2)));
            }
            s += colBytes; t += dStep;
          }
        }
      }
    }
    if (++iy == h) { iy = 0; n++; }
  }
}
