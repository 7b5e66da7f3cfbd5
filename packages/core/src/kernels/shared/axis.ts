import { util } from '@tensorflow/tfjs-core';

/** A shape viewed as [outer, n, inner] around one axis, for kernels that walk that axis. */
export interface AxisView {
  outer: number;
  n: number;
  inner: number;
}

/** Splits `shape` around `axis` (negative counts from the end). */
export function axisView(shape: readonly number[], axis: number): AxisView {
  const a = axis < 0 ? axis + shape.length : axis;
  return {
    outer: util.sizeFromShape(shape.slice(0, a)),
    n: shape[a],
    inner: util.sizeFromShape(shape.slice(a + 1)),
  };
}
