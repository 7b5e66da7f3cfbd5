// Batch normalisation: out = offset + (x - mean) * scale / sqrt(variance + eps).
// tfjs-backend-cpu indexes every parameter modulo its own length, so element i only depends on
// i mod P, P = lcm of the lengths. The caller sizes P (a multiple of that, for long rows); one
// small pass folds the parameters into three P-long tables, then rows of P stream through them.
import { ldf, stf, ldi, ldv, stv, madd } from './simd';
import { BatchnormLens } from './layouts';

/**
 * Builds tab = [mean | scale / sqrt(variance + eps) | offset], each P floats, position p taking
 * parameter element p mod its length. `lens` (BatchnormLens): lengths of mean, variance, offset, scale;
 * a 0 pointer for offset (scale) means 0 (1).
 */
export function batchnorm_table_f32(
  mean: usize, variance: usize, offset: usize, scale: usize, lens: usize, eps: f32, tab: usize, P: i32,
): void {
  let lm = ldi(lens, BatchnormLens.MEAN), lv = ldi(lens, BatchnormLens.VARIANCE);
  let lo = ldi(lens, BatchnormLens.OFFSET), ls = ldi(lens, BatchnormLens.SCALE);
  for (let p = 0; p < P; p++) {
    let s: f64 = scale != 0 ? <f64>ldf(scale, p % ls) : 1.0;
    let o: f32 = offset != 0 ? ldf(offset, p % lo) : 0;
    stf(tab, p, ldf(mean, p % lm));
    stf(tab, P + p, <f32>(s / Math.sqrt(<f64>ldf(variance, p % lv) + <f64>eps)));
    stf(tab, 2 * P + p, o);
  }
}

/** Normalises rows [begin, end) of x viewed as rows of P (the last one may be short); n = size of x. */
export function batchnorm_f32(x: usize, tab: usize, out: usize, P: i32, n: i32, begin: i32, end: i32): void {
  let tm = tab, ta = tab + (<usize>P << 2), to = tab + (<usize>P << 3);
  for (let r = begin; r < end; r++) {
    let base = r * P;
    let len = min(P, n - base);
    let xp = x + (<usize>base << 2), op = out + (<usize>base << 2);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      for (; i + 8 <= len; i += 8) {
        let d0 = f32x4.sub(ldv(xp, i), ldv(tm, i));
        let d1 = f32x4.sub(ldv(xp, i + 4), ldv(tm, i + 4));
        stv(op, i, madd(d0, ldv(ta, i), ldv(to, i)));
        stv(op, i + 4, madd(d1, ldv(ta, i + 4), ldv(to, i + 4)));
      }
      for (; i + 4 <= len; i += 4) {
        stv(op, i, madd(f32x4.sub(ldv(xp, i), ldv(tm, i)), ldv(ta, i), ldv(to, i)));
      }
    }
    for (; i < len; i++) stf(op, i, (ldf(xp, i) - ldf(tm, i)) * ldf(ta, i) + ldf(to, i));
  }
}
