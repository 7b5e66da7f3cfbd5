// Shared plumbing of the data-movement kernels: element widths, fills, and the strided N-d copy
// that Slice, StridedSlice, Reverse, Tile, Transpose, Unpack and SplitV reduce to.
import { StridedAttr, headedWords, type KernelName } from '@lanes/kernels-wasm';
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import { bytesPerElement, inWasm } from '../../tensor_data.js';
import { floatBits } from './float_bits.js';

/** Whether the wasm movement kernels handle a dtype (its values live in wasm memory). */
export const movable = inWasm;

/** Row-major element strides of a shape, one per dim (the last is 1). */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** The bit pattern a wasm fill writes for `value` stored as `dtype` (as its typed array would). */
export function fillBits(value: number, dtype: DataType): number {
  if (dtype === 'float32') return floatBits(value);
  if (dtype === 'int32') return new Int32Array([value])[0];
  return new Uint8Array([value])[0];
}

/** Sets every element of `out` to `value` (converted as a typed array of its dtype would). */
export function fillTensor(backend: LanesBackend, out: TensorInfo, value: number): void {
  const n = backend.data.get(out.dataId)!.length;
  const kernel = bytesPerElement(out.dtype) === 1 ? 'fill_x8' : 'fill_x32';
  backend.parallel(kernel, [backend.ptr(out), fillBits(value, out.dtype)], n);
}

/** Copy geometry: one entry per dim, strides in elements (zero broadcasts, negative reverses). */
interface StridedGeometry {
  shape: number[];
  inStrides: number[];
  outStrides: number[];
}

/** Drops size-1 dims and merges neighbours that both sides traverse contiguously. */
function simplifyGeometry(g: StridedGeometry): StridedGeometry {
  const shape: number[] = [],
    inStrides: number[] = [],
    outStrides: number[] = [];
  for (let d = 0; d < g.shape.length; d++) {
    const n = g.shape[d];
    if (n === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && inStrides[last] === g.inStrides[d] * n && outStrides[last] === g.outStrides[d] * n) {
      shape[last] *= n;
      inStrides[last] = g.inStrides[d];
      outStrides[last] = g.outStrides[d];
    } else {
      shape.push(n);
      inStrides.push(g.inStrides[d]);
      outStrides.push(g.outStrides[d]);
    }
  }
  if (shape.length === 0) return { shape: [1], inStrides: [1], outStrides: [1] };
  return { shape, inStrides, outStrides };
}

/**
 * If the geometry swaps its innermost dim with another (the output's contiguous dim is strided
 * in the input and some dim is contiguous in the input), reorders it for the tiled transpose:
 * that dim moves to second-innermost. Returns null when the tile would not pay.
 */
function tiledTransposeGeometry(g: StridedGeometry): StridedGeometry | null {
  const rank = g.shape.length;
  if (rank < 2 || g.outStrides[rank - 1] !== 1 || g.inStrides[rank - 1] === 1) return null;
  const k = g.inStrides.indexOf(1);
  if (k < 0 || k === rank - 1 || g.shape[k] < 4 || g.shape[rank - 1] < 4) return null;
  const order = [...Array(rank - 1).keys()].filter((d) => d !== k).concat([k, rank - 1]);
  return {
    shape: order.map((d) => g.shape[d]),
    inStrides: order.map((d) => g.inStrides[d]),
    outStrides: order.map((d) => g.outStrides[d]),
  };
}

/**
 * out[outOffset + Σ i_d·outStrides_d] = x[inOffset + Σ i_d·inStrides_d] over `shape` (offsets
 * in elements, pointers are the tensors' blocks). Splits across threads by rows.
 */
function stridedCopy(
  backend: LanesBackend,
  dtype: DataType,
  xPtr: number,
  inOffset: number,
  outPtr: number,
  outOffset: number,
  geometry: StridedGeometry,
): void {
  if (geometry.shape.some((n) => n === 0)) return;
  const g = simplifyGeometry(geometry);
  const w = bytesPerElement(dtype);
  const x = xPtr + inOffset * w,
    out = outPtr + outOffset * w;
  const rank = g.shape.length;
  const inner = g.shape[rank - 1];
  const tiled = w === 4 ? tiledTransposeGeometry(g) : null;
  if (tiled) {
    const P = tiled.shape[rank - 2];
    const planes = tiled.shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
    const attrs = backend.attrs(
      headedWords(StridedAttr, 'SHAPE', { RANK: rank }, tiled.shape, tiled.inStrides, tiled.outStrides),
    );
    backend.parallel('transpose_x32', [x, out, attrs], planes * Math.ceil(P / 4), 4 * inner);
    return;
  }
  const attrs = backend.attrs(headedWords(StridedAttr, 'SHAPE', { RANK: rank }, g.shape, g.inStrides, g.outStrides));
  const kernel: KernelName = w === 1 ? 'copy_nd_x8' : 'copy_nd_x32';
  // A single run is split by elements, anything else by rows.
  const items = rank === 1 ? inner : g.shape.slice(0, rank - 1).reduce((a, b) => a * b, 1);
  backend.parallel(kernel, [x, out, attrs], items, rank === 1 ? 1 : inner);
}

/** Copies a whole tensor region described by `geometry` into a new contiguous output tensor. */
export function gatherStrided(
  backend: LanesBackend,
  x: TensorInfo,
  inOffset: number,
  shape: number[],
  inStrides: number[],
  outShape: number[],
): TensorInfo {
  const out = backend.makeOutputInfo(outShape, x.dtype);
  stridedCopy(backend, x.dtype, backend.ptr(x), inOffset, backend.ptr(out), 0, {
    shape,
    inStrides,
    outStrides: rowMajorStrides(shape),
  });
  return out;
}

/** A new record sharing `x`'s block under another shape (and dtype, when the bits agree). */
export function shareAs(backend: LanesBackend, x: TensorInfo, shape: number[], dtype: DataType = x.dtype): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype };
}

/** x[begin : begin + size] (begin and size already parsed and valid) into a new tensor. */
export function slice(backend: LanesBackend, x: TensorInfo, begin: readonly number[], size: number[]): TensorInfo {
  const xStrides = rowMajorStrides(x.shape);
  const offset = begin.reduce((acc, b, d) => acc + b * xStrides[d], 0);
  return gatherStrided(backend, x, offset, size, xStrides, size);
}

/** x transposed by `perm` into a new tensor (any rank; 4x4 SIMD tiles when the inner dim moves). */
export function transpose(backend: LanesBackend, x: TensorInfo, perm: readonly number[]): TensorInfo {
  const xStrides = rowMajorStrides(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  return gatherStrided(
    backend,
    x,
    0,
    outShape,
    perm.map((p) => xStrides[p]),
    outShape,
  );
}
