// ResizeBilinear, ResizeNearestNeighbor and their gradients over NHWC images.
// The caller computes the per-row and per-column source tables with tfjs-backend-cpu's own
// forward expressions, so the same pixels are picked; a gradient uses its forward pass's table.
// Bilinear arithmetic runs in float32 SIMD in
// tfjs-backend-cpu's order (plain mul and add, no fused multiply-add, so every build gives the
// same bits); tfjs-backend-cpu computes in f64 and rounds once, so results differ by a few ulp.
//
// attrs: ResizeAttr (src/layouts.ts): inH, inW, C, outH, outW (in = the forward op's input, out = its output).
import { word, copyBytes } from './copy';
import { ResizeAttr } from './layouts';

// Bilinear tables: outH row entries then outW column entries of 16 bytes each:
// i32 low index, i32 high index, f64 fraction.
@inline function lo(t: usize, i: i32): i32 { return load<i32>(t + (<usize>i << 4)); }
@inline function hi(t: usize, i: i32): i32 { return load<i32>(t + (<usize>i << 4), 4); }
@inline function frac(t: usize, i: i32): f64 { return load<f64>(t + (<usize>i << 4), 8); }

@inline function lerp(a: f32, b: f32, t: f32): f32 {
  return a + (b - a) * t;
}

@inline function lerpV(a: v128, b: v128, t: v128): v128 {
  return f32x4.add(a, f32x4.mul(f32x4.sub(b, a), t));
}

/** Output rows (b, r) in [begin, end) of a bilinear resize of float32 x. */
export function resize_bilinear_f32(x: usize, out: usize, table: usize, attrs: usize, begin: i32, end: i32): void {
  let inH = word(attrs, ResizeAttr.IN_H), inW = word(attrs, ResizeAttr.IN_W), C = word(attrs, ResizeAttr.C);
  let outH = word(attrs, ResizeAttr.OUT_H), outW = word(attrs, ResizeAttr.OUT_W);
  let cols = table + (<usize>outH << 4);
  let rowBytes = <usize>(inW * C) << 2;
  for (let u = begin; u < end; u++) {
    let b = u / outH, r = u - b * outH;
    let img = x + <usize>(b * inH) * rowBytes;
    let top = img + <usize>lo(table, r) * rowBytes;
    let bot = img + <usize>hi(table, r) * rowBytes;
    let rf = <f32>frac(table, r);
    let dst = out + (<usize>(u * outW * C) << 2);
    for (let c = 0; c < outW; c++) {
      let l = <usize>(lo(cols, c) * C) << 2;
      let h = <usize>(hi(cols, c) * C) << 2;
      let cf = <f32>frac(cols, c);
      let d = 0;
      if (ASC_FEATURE_SIMD) {
        let cfv = f32x4.splat(cf), rfv = f32x4.splat(rf);
        for (; d + 4 <= C; d += 4) {
          let o = <usize>d << 2;
          let t = lerpV(v128.load(top + l + o), v128.load(top + h + o), cfv);
          let bt = lerpV(v128.load(bot + l + o), v128.load(bot + h + o), cfv);
          v128.store(dst + o, lerpV(t, bt, rfv));
        }
      }
      for (; d < C; d++) {
        let o = <usize>d << 2;
        let t = lerp(load<f32>(top + l + o), load<f32>(top + h + o), cf);
        let bt = lerp(load<f32>(bot + l + o), load<f32>(bot + h + o), cf);
        store<f32>(dst + o, lerp(t, bt, rf));
      }
      dst += <usize>C << 2;
    }
  }
}

@inline function addScaled(p: usize, g: v128, w: v128): void {
  v128.store(p, f32x4.add(v128.load(p), f32x4.mul(g, w)));
}

/**
 * Gradient of the bilinear resize for batch images [begin, end): dx (the forward input's
 * shape, zeroed here) accumulates dy's values with the forward pass's table and weights
 * (halfPixelCenters included), in tfjs-backend-cpu's order.
 */
export function resize_bilinear_grad_f32(dy: usize, dx: usize, table: usize, attrs: usize, begin: i32, end: i32): void {
  let inH = word(attrs, ResizeAttr.IN_H), inW = word(attrs, ResizeAttr.IN_W), C = word(attrs, ResizeAttr.C);
  let outH = word(attrs, ResizeAttr.OUT_H), outW = word(attrs, ResizeAttr.OUT_W);
  let cols = table + (<usize>outH << 4);
  let rowBytes = <usize>(inW * C) << 2;
  let imgBytes = <usize>inH * rowBytes;
  for (let b = begin; b < end; b++) {
    let img = dx + <usize>b * imgBytes;
    memory.fill(img, 0, imgBytes);
    let src = dy + (<usize>(b * outH * outW * C) << 2);
    for (let r = 0; r < outH; r++) {
      let top = img + <usize>lo(table, r) * rowBytes;
      let bot = img + <usize>hi(table, r) * rowBytes;
      let rl = frac(table, r);
      let irl = 1.0 - rl;
      for (let c = 0; c < outW; c++) {
        let l = <usize>(lo(cols, c) * C) << 2;
        let h = <usize>(hi(cols, c) * C) << 2;
        let cl = frac(cols, c);
        let icl = 1.0 - cl;
        let wtl = <f32>(irl * icl), wtr = <f32>(irl * cl), wbl = <f32>(rl * icl), wbr = <f32>(rl * cl);
        let d = 0;
        if (ASC_FEATURE_SIMD) {
          let vtl = f32x4.splat(wtl), vtr = f32x4.splat(wtr), vbl = f32x4.splat(wbl), vbr = f32x4.splat(wbr);
          for (; d + 4 <= C; d += 4) {
            let o = <usize>d << 2;
            let g = v128.load(src + o);
            addScaled(top + l + o, g, vtl);
            addScaled(top + h + o, g, vtr);
            addScaled(bot + l + o, g, vbl);
            addScaled(bot + h + o, g, vbr);
          }
        }
        for (; d < C; d++) {
          let o = <usize>d << 2;
          let g = load<f32>(src + o);
          store<f32>(top + l + o, load<f32>(top + l + o) + g * wtl);
          store<f32>(top + h + o, load<f32>(top + h + o) + g * wtr);
          store<f32>(bot + l + o, load<f32>(bot + l + o) + g * wbl);
          store<f32>(bot + h + o, load<f32>(bot + h + o) + g * wbr);
        }
        src += <usize>C << 2;
      }
    }
  }
}

/** Four f32 lanes as two f64x2 halves. */
@inline function promoteLo(v: v128): v128 { return f64x2.promote_low_f32x4(v); }
@inline function promoteHi(v: v128): v128 { return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)); }

// Nearest-neighbour tables: outH source rows then outW source columns (i32 each).

@inline function nearestRows<T>(x: usize, out: usize, table: usize, attrs: usize, begin: i32, end: i32): void {
  let inH = word(attrs, ResizeAttr.IN_H), inW = word(attrs, ResizeAttr.IN_W), C = word(attrs, ResizeAttr.C);
  let outH = word(attrs, ResizeAttr.OUT_H), outW = word(attrs, ResizeAttr.OUT_W);
  let cols = table + (<usize>outH << 2);
  let w = <usize>sizeof<T>();
  let px = <usize>C * w;
  let rowBytes = <usize>inW * px;
  for (let u = begin; u < end; u++) {
    let b = u / outH, r = u - b * outH;
    let src = x + <usize>(b * inH + load<i32>(table + (<usize>r << 2))) * rowBytes;
    let dst = out + <usize>u * <usize>outW * px;
    for (let c = 0; c < outW; c++) {
      copyBytes(dst, src + <usize>load<i32>(cols + (<usize>c << 2)) * px, px);
      dst += px;
    }
  }
}

/** Output rows (b, r) in [begin, end) of a nearest-neighbour resize, 4-byte elements. */
export function resize_nearest_x32(x: usize, out: usize, table: usize, attrs: usize, begin: i32, end: i32): void {
  nearestRows<u32>(x, out, table, attrs, begin, end);
}

/** Output rows (b, r) in [begin, end) of a nearest-neighbour resize, 1-byte elements. */
export function resize_nearest_x8(x: usize, out: usize, table: usize, attrs: usize, begin: i32, end: i32): void {
  nearestRows<u8>(x, out, table, attrs, begin, end);
}

/**
 * Gradient of the nearest-neighbour resize for dx rows (b, r) in [begin, end). The table holds,
 * for each dx row then each dx column, the [start, end) range of dy rows/columns that map to it
 * (i32 pairs); each dx element sums that window of dy in f64, row by row.
 */
export function resize_nearest_grad_f32(dy: usize, dx: usize, table: usize, attrs: usize, begin: i32, end: i32): void {
  let inH = word(attrs, ResizeAttr.IN_H), inW = word(attrs, ResizeAttr.IN_W), C = word(attrs, ResizeAttr.C);
  let outH = word(attrs, ResizeAttr.OUT_H), outW = word(attrs, ResizeAttr.OUT_W);
  let cols = table + (<usize>inH << 3);
  let dyRow = <usize>(outW * C) << 2;
  for (let u = begin; u < end; u++) {
    let b = u / inH, r = u - b * inH;
    let r0 = load<i32>(table + (<usize>r << 3)), r1 = load<i32>(table + (<usize>r << 3), 4);
    let img = dy + <usize>(b * outH) * dyRow;
    let dst = dx + (<usize>(u * inW * C) << 2);
    for (let c = 0; c < inW; c++) {
      let c0 = load<i32>(cols + (<usize>c << 3)), c1 = load<i32>(cols + (<usize>c << 3), 4);
      let d = 0;
      if (ASC_FEATURE_SIMD) {
        for (; d + 4 <= C; d += 4) {
          let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
          for (let yr = r0; yr < r1; yr++) {
            let p = img + <usize>yr * dyRow + (<usize>d << 2);
            for (let yc = c0; yc < c1; yc++) {
              let v = v128.load(p + (<usize>(yc * C) << 2));
              a0 = f64x2.add(a0, promoteLo(v));
              a1 = f64x2.add(a1, promoteHi(v));
            }
          }
          let v0 = f32x4.demote_f64x2_zero(a0), v1 = f32x4.demote_f64x2_zero(a1);
          v128.store(dst + (<usize>d << 2), i32x4.shuffle(v0, v1, 0, 1, 4, 5));
        }
      }
      for (; d < C; d++) {
        let acc: f64 = 0;
        for (let yr = r0; yr < r1; yr++) {
          let p = img + <usize>yr * dyRow + (<usize>d << 2);
          for (let yc = c0; yc < c1; yc++) acc += <f64>load<f32>(p + (<usize>(yc * C) << 2));
        }
        store<f32>(dst + (<usize>d << 2), <f32>acc);
      }
      dst += <usize>C << 2;
    }
  }
}
