// Layout helpers of the convolution kernels: zero padding (so that gradient kernels need no bounds
// checks) and NCHW <-> NHWC (the kernels compute in NHWC).
import { ldi } from './simd';

// Attribute words of conv_pad_f32.
const H = 0, W = 1, C = 2, PH = 3, PW = 4, PC = 5, TOP = 6, LEFT = 7;

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
const I_H = 0, I_W = 1, I_C = 2, I_OH = 3, I_OW = 4, I_SH = 5, I_SW = 6, I_TOP = 7, I_LEFT = 8;
const I_FH = 9, I_FW = 10, I_DH = 11, I_DW = 12, I_BASE = 13;

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
