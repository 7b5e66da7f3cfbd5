// float64 references of the data-movement ops and the image resizes: each output element named by
// the input element(s) it comes from, in plain index arithmetic. Shapes follow tfjs-core's
// geometry (stridedSlice's from tfjs-core's slice_util, the one piece of shape logic reused).
import { slice_util } from '@tensorflow/tfjs-core';
import { ref, sizeOf, stridesOf, unravel, type DType, type Ref } from './ref64_core.js';

/** An output of `shape` whose element i is x[src(index of i)]. */
function pick(x: ArrayLike<number>, shape: number[], dtype: DType, src: (idx: number[]) => number): Ref {
  return ref(
    shape,
    dtype,
    Array.from({ length: sizeOf(shape) }, (_, i) => x[src(unravel(i, shape))]!),
  );
}

/** Flat index of a multi-index in `shape`. */
function flat(idx: readonly number[], shape: readonly number[]): number {
  const st = stridesOf(shape);
  return idx.reduce((a, v, d) => a + v * st[d]!, 0);
}

/** Concatenation along `axis`. */
export function concat64(
  parts: Array<{ values: ArrayLike<number>; shape: number[] }>,
  axis: number,
  dtype: DType,
): Ref {
  const shape = parts[0]!.shape.slice();
  shape[axis] = parts.reduce((a, p) => a + p.shape[axis]!, 0);
  const starts: number[] = [];
  parts.reduce((a, p) => (starts.push(a), a + p.shape[axis]!), 0);
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    let k = parts.length - 1;
    while (starts[k]! > idx[axis]!) k--;
    const part = parts[k]!;
    const local = idx.slice();
    local[axis] = idx[axis]! - starts[k]!;
    out[i] = part.values[flat(local, part.shape)]!;
  }
  return ref(shape, dtype, out);
}

/** slice(begin, size) (size -1: to the end). */
export function slice64(x: ArrayLike<number>, shape: number[], begin: number[], size: number[], dtype: DType): Ref {
  const outShape = size.map((s, i) => (s === -1 ? shape[i]! - begin[i]! : s));
  return pick(x, outShape, dtype, (idx) =>
    flat(
      idx.map((v, d) => v + begin[d]!),
      shape,
    ),
  );
}

/** reverse over `axes`. */
export function reverse64(x: ArrayLike<number>, shape: number[], axes: number[], dtype: DType): Ref {
  return pick(x, shape, dtype, (idx) =>
    flat(
      idx.map((v, d) => (axes.includes(d) ? shape[d]! - 1 - v : v)),
      shape,
    ),
  );
}

/**
 * stridedSlice: tfjs-core's slice_util gives the geometry (per dim of x: begin, end, stride; the
 * final shape); the values are picked here.
 */
export function stridedSlice64(
  x: ArrayLike<number>,
  shape: number[],
  dtype: DType,
  begin: number[],
  end: number[],
  strides: number[],
  masks: { begin: number; end: number; ellipsis: number; newAxis: number; shrink: number },
): Ref {
  const info = slice_util.sliceInfo(
    shape,
    begin,
    end,
    strides,
    masks.begin,
    masks.end,
    masks.ellipsis,
    masks.newAxis,
    masks.shrink,
  );
  // The processing shape, one dim per dim of x (a shrunk one has size 1), read in row-major order
  // and then given the final shape (new axes and shrunk dims are 1s).
  const dense = info.begin.map((b, d) => Math.max(0, Math.ceil((info.end[d]! - b) / info.strides[d]!)));
  const picked = pick(x, dense, dtype, (idx) =>
    flat(
      idx.map((v, d) => info.begin[d]! + v * info.strides[d]!),
      shape,
    ),
  );
  return { ...picked, shape: info.finalShape.slice() };
}

/** Constant pad. */
export function pad64(
  x: ArrayLike<number>,
  shape: number[],
  pads: Array<[number, number]>,
  value: number,
  dtype: DType,
): Ref {
  const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  return ref(
    outShape,
    dtype,
    Array.from({ length: sizeOf(outShape) }, (_, i) => {
      const idx = unravel(i, outShape).map((v, d) => v - pads[d]![0]);
      return idx.every((v, d) => v >= 0 && v < shape[d]!) ? x[flat(idx, shape)]! : value;
    }),
  );
}

/** mirrorPad: reflect (edge not repeated) or symmetric (edge repeated). */
export function mirrorPad64(
  x: ArrayLike<number>,
  shape: number[],
  pads: Array<[number, number]>,
  mode: 'reflect' | 'symmetric',
  dtype: DType,
): Ref {
  const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const off = mode === 'reflect' ? 0 : 1;
  return pick(x, outShape, dtype, (idx) =>
    flat(
      idx.map((v, d) => {
        const n = shape[d]!;
        const i = v - pads[d]![0];
        return i < 0 ? -i - off : i >= n ? 2 * n - 2 + off - i : i;
      }),
      shape,
    ),
  );
}

/** tile. */
export function tile64(x: ArrayLike<number>, shape: number[], reps: number[], dtype: DType): Ref {
  const outShape = shape.map((d, i) => d * reps[i]!);
  return pick(x, outShape, dtype, (idx) =>
    flat(
      idx.map((v, d) => v % shape[d]!),
      shape,
    ),
  );
}

/** gather along `axis` with `batchDims` leading batch dims shared by x and the indices. */
export function gather64(
  x: ArrayLike<number>,
  shape: number[],
  indices: ArrayLike<number>,
  iShape: number[],
  axis: number,
  batchDims: number,
  dtype: DType,
): Ref {
  const outShape = [...shape.slice(0, axis), ...iShape.slice(batchDims), ...shape.slice(axis + 1)];
  const ni = iShape.length - batchDims;
  return pick(x, outShape, dtype, (idx) => {
    const batch = idx.slice(0, batchDims);
    const iIdx = [...batch, ...idx.slice(axis, axis + ni)];
    const at = indices[flat(iIdx, iShape)]!;
    return flat([...idx.slice(0, axis), at, ...idx.slice(axis + ni)], shape);
  });
}

/** gatherND with indices [n, k] into the first k dims. */
export function gatherND64(
  x: ArrayLike<number>,
  shape: number[],
  indices: ArrayLike<number>,
  n: number,
  k: number,
  dtype: DType,
): Ref {
  const outShape = [n, ...shape.slice(k)];
  return pick(x, outShape, dtype, (idx) =>
    flat([...Array.from({ length: k }, (_, j) => indices[idx[0]! * k + j]!), ...idx.slice(1)], shape),
  );
}

/** tfjs's resize scale along one axis. */
function scale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** One axis of a bilinear resize: per output index, [low, high, weight of high] (tfjs's sampling). */
function bilinearAxis(inSize: number, outSize: number, align: boolean, half: boolean): Array<[number, number, number]> {
  const r = scale(inSize, outSize, align);
  return Array.from({ length: outSize }, (_, i) => {
    const f = half ? r * (i + 0.5) - 0.5 : r * i;
    const lo = Math.max(0, Math.floor(f));
    return [lo, Math.min(inSize - 1, Math.ceil(f)), f - lo];
  });
}

/** One axis of a nearest-neighbour resize: per output index, its source index. */
function nearestAxis(inSize: number, outSize: number, align: boolean, half: boolean): number[] {
  const r = scale(inSize, outSize, align);
  return Array.from({ length: outSize }, (_, i) => {
    const f = half ? r * (i + 0.5) : r * i;
    const s = Math.min(inSize - 1, align ? Math.round(f) : Math.floor(f));
    return half ? Math.max(0, s) : s;
  });
}

/** The resize as a list of (output index, input index, weight) contributions, NHWC. */
function resizeTerms(
  [n, h, w, c]: number[],
  [oh, ow]: number[],
  nearest: boolean,
  align: boolean,
  half: boolean,
): Array<[number, number, number]> {
  const terms: Array<[number, number, number]> = [];
  const rows: Array<Array<[number, number]>> = nearest
    ? nearestAxis(h, oh, align, half).map((s) => [[s, 1]])
    : bilinearAxis(h, oh, align, half).map(([lo, hi, t]) => [
        [lo, 1 - t],
        [hi, t],
      ]);
  const cols: Array<Array<[number, number]>> = nearest
    ? nearestAxis(w, ow, align, half).map((s) => [[s, 1]])
    : bilinearAxis(w, ow, align, half).map(([lo, hi, t]) => [
        [lo, 1 - t],
        [hi, t],
      ]);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (const [r, wr] of rows[i]!)
          for (const [q, wq] of cols[j]!)
            for (let k = 0; k < c; k++)
              terms.push([((b * oh + i) * ow + j) * c + k, ((b * h + r) * w + q) * c + k, wr * wq]);
  return terms;
}

/**
 * Bilinear or nearest resize of NHWC x to [oh, ow] with tfjs's formulas (bilinear: lerp the two
 * top pixels, the two bottom ones, then those, as tfjs does, so NaN / ±Inf propagate as there);
 * with `dy`, its gradient: the transpose of the same linear map. mag: Σ|terms| of each output.
 */
export function resize64(
  x: ArrayLike<number>,
  shape: number[],
  size: [number, number],
  opts: { nearest: boolean; align: boolean; half: boolean },
  dy?: ArrayLike<number>,
): Ref {
  const [n, h, w, c] = shape as [number, number, number, number];
  const outShape = [n, size[0], size[1], c];
  if (dy === undefined && opts.nearest) {
    const rows = nearestAxis(h, size[0], opts.align, opts.half),
      cols = nearestAxis(w, size[1], opts.align, opts.half);
    return pick(x, outShape, 'float32', ([b, i, j, k]) => flat([b!, rows[i!]!, cols[j!]!, k!], shape));
  }
  if (dy === undefined) {
    const rows = bilinearAxis(h, size[0], opts.align, opts.half),
      cols = bilinearAxis(w, size[1], opts.align, opts.half);
    const out = new Float64Array(sizeOf(outShape)),
      mag = new Float64Array(out.length);
    for (let o = 0; o < out.length; o++) {
      const [b, i, j, k] = unravel(o, outShape) as [number, number, number, number];
      const [top, bottom, tr] = rows[i]!,
        [left, right, tc] = cols[j]!;
      const at = (r: number, q: number) => x[flat([b, r, q, k], shape)]!;
      const upper = at(top, left) + (at(top, right) - at(top, left)) * tc;
      const lower = at(bottom, left) + (at(bottom, right) - at(bottom, left)) * tc;
      out[o] = upper + (lower - upper) * tr;
      mag[o] =
        Math.abs(at(top, left)) + Math.abs(at(top, right)) + Math.abs(at(bottom, left)) + Math.abs(at(bottom, right));
    }
    return ref(outShape, 'float32', out, mag, 4);
  }
  const out = new Float64Array(sizeOf(shape)),
    mag = new Float64Array(out.length),
    counts = new Float64Array(out.length);
  for (const [o, i, wt] of resizeTerms(shape, size, opts.nearest, opts.align, opts.half)) {
    out[i] += dy[o]! * wt;
    mag[i] += Math.abs(dy[o]! * wt);
    counts[i]++;
  }
  return ref(shape, 'float32', out, mag, Math.max(0, ...counts) + 2);
}
