// Gradients of activations that tfjs registers as kernels (the rest are composed from ops).
import { ldf, stf, ldv, stv } from './simd';

/** EluGrad: dx = y >= 0 ? dy : dy * (y + 1), from the forward output y, for i in [begin, end). */
export function elu_grad_f32(dy: usize, y: usize, out: usize, begin: i32, end: i32): void {
  let i = begin;
  if (ASC_FEATURE_SIMD) {
    let one = f32x4.splat(1), zero = f32x4.splat(0);
    for (; i + 4 <= end; i += 4) {
      let g = ldv(dy, i), v = ldv(y, i);
      stv(out, i, v128.bitselect(g, f32x4.mul(g, f32x4.add(v, one)), f32x4.ge(v, zero)));
    }
  }
  for (; i < end; i++) {
    let g = ldf(dy, i), v = ldf(y, i);
    stf(out, i, v >= 0 ? g : g * (v + 1));
  }
}
