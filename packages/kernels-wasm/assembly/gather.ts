// GatherV2, GatherNd and ScatterNd over int32 indices. Indices are validated by the caller
// (tfjs-backend-cpu throws on bad ones), so the kernels trust them.
import { word, copyBytes, fillRun } from './copy';
import { GatherAttr, GatherNdAttr, ScatterNdAttr } from './layouts';

// ---- GatherV2 --------------------------------------------------------------------------------
// x is [batch, outer, dimSize, slice], indices [batch, nIdx], out [batch, outer, nIdx, slice].
// attrs: GatherAttr: outer, dimSize, nIdx, slice. Work items are output rows (one slice each).

@inline function gatherRows<T>(x: usize, indices: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let outer = word(attrs, GatherAttr.OUTER);
  let dimSize = word(attrs, GatherAttr.DIM_SIZE);
  let nIdx = word(attrs, GatherAttr.N_IDX);
  let bytes = <usize>word(attrs, GatherAttr.SLICE) * sizeof<T>();
  for (let r = begin; r < end; r++) {
    let i = r % nIdx;
    let bo = r / nIdx;
    let b = bo / outer;
    let index = load<i32>(indices + (<usize>(b * nIdx + i) << 2));
    copyBytes(out + <usize>r * bytes, x + <usize>(bo * dimSize + index) * bytes, bytes);
  }
}

/** GatherV2 of 4-byte elements, output rows [begin, end). */
export function gather_x32(x: usize, indices: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  gatherRows<u32>(x, indices, out, attrs, begin, end);
}

/** GatherV2 of 1-byte elements, output rows [begin, end). */
export function gather_x8(x: usize, indices: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  gatherRows<u8>(x, indices, out, attrs, begin, end);
}

// ---- GatherNd / ScatterNd --------------------------------------------------------------------
// indices is [n, sliceRank]; a row's flat slice number is sum(index[j] * strides[j]).
// attrs: GatherNdAttr: sliceRank, sliceSize, strides[sliceRank].

@inline function flatSlice(indices: usize, attrs: usize, i: i32, sliceRank: i32): i32 {
  let flat = 0;
  let p = indices + (<usize>(i * sliceRank) << 2);
  for (let j = 0; j < sliceRank; j++) flat += load<i32>(p + (<usize>j << 2)) * word(attrs, GatherNdAttr.STRIDES + j);
  return flat;
}

@inline function gatherNdRows<T>(params: usize, indices: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let sliceRank = word(attrs, GatherNdAttr.SLICE_RANK);
  let bytes = <usize>word(attrs, GatherNdAttr.SLICE_SIZE) * sizeof<T>();
  for (let i = begin; i < end; i++) {
    let flat = flatSlice(indices, attrs, i, sliceRank);
    copyBytes(out + <usize>i * bytes, params + <usize>flat * bytes, bytes);
  }
}

/** GatherNd of 4-byte elements, slices [begin, end). */
export function gather_nd_x32(params: usize, indices: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  gatherNdRows<u32>(params, indices, out, attrs, begin, end);
}

/** GatherNd of 1-byte elements, slices [begin, end). */
export function gather_nd_x8(params: usize, indices: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  gatherNdRows<u8>(params, indices, out, attrs, begin, end);
}

// ScatterNd sums duplicate indices in index order, as tfjs-backend-cpu. Work items are columns
// of the slice: each thread owns a column range of every output row, so no two threads add
// into the same element. attrs: ScatterNdAttr.

@inline function scatterCols<T>(indices: usize, updates: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  let sliceRank = word(attrs, ScatterNdAttr.SLICE_RANK);
  let sliceSize = word(attrs, ScatterNdAttr.SLICE_SIZE);
  let numUpdates = word(attrs, ScatterNdAttr.NUM_UPDATES);
  let outRows = word(attrs, ScatterNdAttr.OUT_ROWS);
  let w = <usize>sizeof<T>();
  let cols = <usize>(end - begin);
  for (let r = 0; r < outRows; r++) fillRun<T>(out + <usize>(r * sliceSize + begin) * w, <T>0, end - begin, 1);
  for (let i = 0; i < numUpdates; i++) {
    let flat = 0;
    let p = indices + (<usize>(i * sliceRank) << 2);
    for (let j = 0; j < sliceRank; j++) flat += load<i32>(p + (<usize>j << 2)) * word(attrs, ScatterNdAttr.STRIDES + j);
    let dst = out + <usize>(flat * sliceSize + begin) * w;
    let src = updates + <usize>(i * sliceSize + begin) * w;
    for (let k: usize = 0; k < cols; k++) {
      store<T>(dst + k * w, load<T>(dst + k * w) + load<T>(src + k * w));
    }
  }
}

/** ScatterNd (summing duplicates) of float32 updates, slice columns [begin, end). */
export function scatter_nd_f32(indices: usize, updates: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  scatterCols<f32>(indices, updates, out, attrs, begin, end);
}

/** ScatterNd (summing duplicates, wrapping) of int32 updates, slice columns [begin, end). */
export function scatter_nd_i32(indices: usize, updates: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  scatterCols<i32>(indices, updates, out, attrs, begin, end);
}

/** ScatterNd of bool updates: byte sums wrap like the Uint8Array tfjs-backend-cpu adds into. */
export function scatter_nd_u8(indices: usize, updates: usize, out: usize, attrs: usize, begin: i32, end: i32): void {
  scatterCols<u8>(indices, updates, out, attrs, begin, end);
}
