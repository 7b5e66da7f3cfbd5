// Batch normalisation: out = offset + (x - mean) * scale / sqrt(variance + eps).
// tfjs-backend-cpu indexes every parameter modulo its own length, so element i only depends on
// i mod P, P = lcm of the lengths. The caller sizes P (a multiple of that, for long rows); one
// small pass folds the parameters into a table of P positions, then rows of P stream through it.
import { ldf, ldi, madd } from './simd';
import { BatchnormLens } from './layouts';

/**
 * Builds the table of P positions (P a multiple of 4, or the whole tensor when shorter), position p
 * taking parameter element p mod its length: per group of 4 positions, 48 bytes holding 4 means,
 * 4 scale / sqrt(variance + eps) and 4 offsets, so that one pointer walks all three with constant
 * offsets. `lens` (BatchnormLens): lengths of mean, variance, offset, scale; a 0 pointer for
 * offset (scale) means 0 (1). Size: ceil(P / 4) * 48 bytes.
 */
export function batchnorm_table_f32(
  mean: usize, variance: usize, offset: usize, scale: usize, lens: usize, eps: f32, tab: usize, P: i32,
): void {
  let lm = ldi(lens, BatchnormLens.MEAN), lv = ldi(lens, BatchnormLens.VARIANCE);
  let lo = ldi(lens, BatchnormLens.OFFSET), ls = ldi(lens, BatchnormLens.SCALE);
  for (let p = 0; p < P; p++) {
    let s: f64 = scale != 0 ? <f64>ldf(scale, p % ls) : 1.0;
    let o: f32 = offset != 0 ? ldf(offset, p % lo) : 0;
    let e = tabEntry(tab, p);
    store<f32>(e, ldf(mean, p % lm));
    store<f32>(e, <f32>(s / Math.sqrt(<f64>ldf(variance, p % lv) + <f64>eps)), 16);
    store<f32>(e, o, 32);
  }
}

/** Address of position p's mean in the table (its scale 16 bytes on, its offset 32). */
@inline function tabEntry(tab: usize, p: i32): usize {
  return tab + <usize>(p >> 2) * 48 + (<usize>(p & 3) << 2);
}

/** Normalises rows [begin, end) of x viewed as rows of P (the last one may be short); n = size of x. */
export function batchnorm_f32(x: usize, tab: usize, out: usize, P: i32, n: i32, begin: i32, end: i32): void {
  for (let r = begin; r < end; r++) {
    let base = r * P;
    let len = min(P, n - base);
    let xp = x + (<usize>base << 2), op = out + (<usize>base << 2);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let t = tab;
      for (; i + 8 <= len; i += 8) {
        let d0 = f32x4.sub(v128.load(xp), v128.load(t));
        let d1 = f32x4.sub(v128.load(xp, 16), v128.load(t, 48));
        v128.store(op, madd(d0, v128.load(t, 16), v128.load(t, 32)));
        v128.store(op, madd(d1, v128.load(t, 64), v128.load(t, 80)), 16);
        xp += 32; op += 32; t += 96;
      }
      if (i + 4 <= len) {
        v128.store(op, madd(f32x4.sub(v128.load(xp), v128.load(t)), v128.load(t, 16), v128.load(t, 32)));
        xp += 16; op += 16; i += 4;
      }
    }
    for (; i < len; i++) {
      let e = tabEntry(tab, i);
      store<f32>(op, (load<f32>(xp) - load<f32>(e)) * load<f32>(e, 16) + load<f32>(e, 32));
      xp += 4; op += 4;
    }
  }
}
