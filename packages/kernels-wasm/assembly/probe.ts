// Compiled with each build's flags: one instruction of every feature that build uses, so that
// `WebAssembly.validate` on these few bytes says whether the build runs, without its ~140 KB.

/** Touches memory (shared in the threaded builds), SIMD and relaxed SIMD where the build has them. */
export function probe(p: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const v = v128.load(p);
    v128.store(p, f32x4.relaxed_madd(v, v, v));
  } else if (ASC_FEATURE_SIMD) {
    v128.store(p, f32x4.add(v128.load(p), v128.load(p)));
  } else {
    store<f32>(p, load<f32>(p) + 1);
  }
}
