import {
  ResizeBilinear,
  ResizeBilinearGrad,
  ResizeNearestNeighbor,
  ResizeNearestNeighborGrad,
  util,
  type KernelFunc,
  type ResizeBilinearAttrs,
  type ResizeNearestNeighborAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { ResizeAttr, attrWords, type AttrFields, type KernelName } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { bytesPerElement } from '../tensor_data.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { movable } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

// The source-index tables are computed here with tfjs-backend-cpu's own expressions (in f64
// JavaScript), so the wasm kernels pick exactly the same pixels and weights.

/** tfjs-backend-cpu's scale: (in - 1) / (out - 1) with alignCorners (when out > 1), else in / out. */
function scale(inSize: number, outSize: number, alignCorners: boolean): number {
  const corners = alignCorners && outSize > 1;
  return (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
}

/** Fills a temporary table of `bytes` bytes via `write`, runs `run(ptr)`, frees the table. */
function withTable(
  backend: LanesBackend,
  bytes: number,
  write: (view: DataView) => void,
  run: (ptr: number) => void,
): void {
  const ptr = backend.storage.alloc(Math.max(16, bytes));
  try {
    write(new DataView(backend.storage.memory.buffer, ptr, bytes));
    run(ptr);
  } finally {
    backend.storage.release(ptr, Math.max(16, bytes));
  }
}

/** Runs a resize kernel `(x, out, table, attrs, begin, end)` over `items`. */
function runResize(
  backend: LanesBackend,
  kernel: KernelName,
  x: TensorInfo,
  out: TensorInfo,
  dims: AttrFields<typeof ResizeAttr>,
  tableBytes: number,
  write: (view: DataView) => void,
  items: number,
  cost: number,
): void {
  withTable(backend, tableBytes, write, (table) => {
    backend.parallel(
      kernel,
      [backend.ptr(x), backend.ptr(out), table, backend.attrs(attrWords(ResizeAttr, dims))],
      items,
      cost,
    );
  });
}

/**
 * Writes the bilinear source table the forward kernel and its gradient share: outH row entries
 * then outW column entries of 16 bytes (low index, high index, f64 weight of the high one).
 */
function bilinearTable(
  view: DataView,
  inSize: [number, number],
  outSize: [number, number],
  alignCorners: boolean,
  halfPixelCenters: boolean,
): void {
  let base = 0;
  for (let axis = 0; axis < 2; axis++) {
    const ratio = scale(inSize[axis], outSize[axis], alignCorners);
    for (let i = 0; i < outSize[axis]; i++, base += 16) {
      const frac = halfPixelCenters ? ratio * (i + 0.5) - 0.5 : ratio * i;
      const lo = Math.max(0, Math.floor(frac));
      view.setInt32(base, lo, true);
      view.setInt32(base + 4, Math.min(inSize[axis] - 1, Math.ceil(frac)), true);
      view.setFloat64(base + 8, frac - lo, true);
    }
  }
}

const bilinearFallback = cpuKernel(ResizeBilinear);

const resizeBilinearKernel: KernelFunc = (args) => {
  const images = args.inputs.images as TensorInfo;
  const [batch, inH, inW, C] = images.shape;
  if (images.dtype !== 'float32' || inH * inW === 0) return bilinearFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners, halfPixelCenters, size } = args.attrs as unknown as ResizeBilinearAttrs;
  const [outH, outW] = size;
  const out = backend.makeOutputInfo([batch, outH, outW, C], 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  runResize(
    backend,
    'resize_bilinear_f32',
    images,
    out,
    { IN_H: inH, IN_W: inW, C, OUT_H: outH, OUT_W: outW },
    16 * (outH + outW),
    (view) => bilinearTable(view, [inH, inW], [outH, outW], alignCorners, halfPixelCenters),
    batch * outH,
    outW * C * 4,
  );
  return out;
};

const bilinearGradFallback = cpuKernel(ResizeBilinearGrad);

// Returns the images' shape; tfjs-backend-cpu swaps height and width in its result's shape,
// which only works for square images. The weights are the forward pass's, halfPixelCenters
// included (tfjs-backend-cpu ignores it and differentiates the corner-aligned sampling instead).
const resizeBilinearGradKernel: KernelFunc = (args) => {
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  if (dy.dtype !== 'float32') return bilinearGradFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as ResizeBilinearAttrs;
  const [batch, inH, inW, C] = images.shape;
  const [, outH, outW] = dy.shape;
  const out = backend.makeOutputInfo(images.shape.slice(), 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  runResize(
    backend,
    'resize_bilinear_grad_f32',
    dy,
    out,
    { IN_H: inH, IN_W: inW, C, OUT_H: outH, OUT_W: outW },
    16 * (outH + outW),
    (view) => bilinearTable(view, [inH, inW], [outH, outW], alignCorners, halfPixelCenters),
    batch,
    outH * outW * C * 4,
  );
  return out;
};

/** The forward nearest-neighbour map along one axis: output index -> source index (tfjs's expressions). */
function nearestSource(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): (i: number) => number {
  const ratio = scale(inSize, outSize, alignCorners);
  return (i) => {
    const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    const src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    return halfPixelCenters ? Math.max(0, src) : src;
  };
}

const nearestFallback = cpuKernel(ResizeNearestNeighbor);

const resizeNearestKernel: KernelFunc = (args) => {
  const images = args.inputs.images as TensorInfo;
  const [batch, inH, inW, C] = images.shape;
  if (!movable(images.dtype) || inH * inW === 0) return nearestFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners, halfPixelCenters, size } = args.attrs as unknown as ResizeNearestNeighborAttrs;
  const [outH, outW] = size;
  const out = backend.makeOutputInfo([batch, outH, outW, C], images.dtype);
  if (util.sizeFromShape(out.shape) === 0) return out;
  const entries = (view: DataView, base: number, n: number, inSize: number) => {
    const source = nearestSource(inSize, n, alignCorners, halfPixelCenters);
    for (let i = 0; i < n; i++) view.setInt32(base + 4 * i, source(i), true);
  };
  const kernel = bytesPerElement(images.dtype) === 1 ? 'resize_nearest_x8' : 'resize_nearest_x32';
  runResize(
    backend,
    kernel,
    images,
    out,
    { IN_H: inH, IN_W: inW, C, OUT_H: outH, OUT_W: outW },
    4 * (outH + outW),
    (view) => {
      entries(view, 0, outH, inH);
      entries(view, 4 * outH, outW, inW);
    },
    batch * outH,
    outW * C,
  );
  return out;
};

/**
 * For each dx index along one axis, the [start, end) range of dy indices the forward pass copied
 * from it (empty: [0, 0)). The forward map is non-decreasing, so each preimage is one range; it is
 * taken over all of dy (tfjs-backend-cpu searches a window that can miss some, and ignores
 * halfPixelCenters).
 */
function nearestGradRanges(xSize: number, ySize: number, source: (y: number) => number): Int32Array {
  const ranges = new Int32Array(2 * xSize);
  for (let y = 0; y < ySize; y++) {
    const r = source(y);
    if (ranges[2 * r + 1] === 0) ranges[2 * r] = y;
    ranges[2 * r + 1] = y + 1;
  }
  return ranges;
}

const nearestGradFallback = cpuKernel(ResizeNearestNeighborGrad);

// Sums, for each dx element, the dy elements the forward pass copied from it.
const resizeNearestGradKernel: KernelFunc = (args) => {
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  if (dy.dtype !== 'float32' || images.dtype !== 'float32') return nearestGradFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as ResizeNearestNeighborAttrs;
  const [batch, inH, inW, C] = images.shape;
  const [, outH, outW] = dy.shape;
  const out = backend.makeOutputInfo(images.shape.slice(), 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  const rows = nearestGradRanges(inH, outH, nearestSource(inH, outH, alignCorners, halfPixelCenters));
  const cols = nearestGradRanges(inW, outW, nearestSource(inW, outW, alignCorners, halfPixelCenters));
  runResize(
    backend,
    'resize_nearest_grad_f32',
    dy,
    out,
    { IN_H: inH, IN_W: inW, C, OUT_H: outH, OUT_W: outW },
    8 * (inH + inW),
    (view) => {
      rows.forEach((v, i) => view.setInt32(4 * i, v, true));
      cols.forEach((v, i) => view.setInt32(8 * inH + 4 * i, v, true));
    },
    batch * inH,
    inW * C * 4,
  );
  return out;
};

export const resizeKernels: LanesKernel[] = [
  { kernelName: ResizeBilinear, kernelFunc: resizeBilinearKernel },
  { kernelName: ResizeBilinearGrad, kernelFunc: resizeBilinearGradKernel },
  { kernelName: ResizeNearestNeighbor, kernelFunc: resizeNearestKernel },
  { kernelName: ResizeNearestNeighborGrad, kernelFunc: resizeNearestGradKernel },
];
