import {
  ResizeBilinear,
  ResizeBilinearGrad,
  ResizeNearestNeighbor,
  ResizeNearestNeighborGrad,
  util,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { KernelName } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { bytesPerElement } from '../tensor_data.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { movable } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

// The source-index tables are computed here with tfjs-backend-cpu's own expressions (in f64
// JavaScript), so the wasm kernels pick exactly the same pixels and weights.

interface ResizeAttrs {
  alignCorners: boolean;
  halfPixelCenters: boolean;
  size: [number, number];
}

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
  dims: number[],
  tableBytes: number,
  write: (view: DataView) => void,
  items: number,
  cost: number,
): void {
  withTable(backend, tableBytes, write, (table) => {
    backend.parallel(kernel, [backend.ptr(x), backend.ptr(out), table, backend.attrs(dims)], items, cost);
  });
}

const bilinearFallback = cpuKernel(ResizeBilinear);

const resizeBilinearKernel: KernelFunc = (args) => {
  const images = args.inputs.images as TensorInfo;
  const [batch, inH, inW, C] = images.shape;
  if (images.dtype !== 'float32' || inH * inW === 0) return bilinearFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners, halfPixelCenters, size } = args.attrs as unknown as ResizeAttrs;
  const [outH, outW] = size;
  const out = backend.makeOutputInfo([batch, outH, outW, C], 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  const entries = (view: DataView, base: number, n: number, inSize: number, ratio: number) => {
    for (let i = 0; i < n; i++) {
      const frac = halfPixelCenters ? ratio * (i + 0.5) - 0.5 : ratio * i;
      const lo = Math.max(0, Math.floor(frac));
      view.setInt32(base + 16 * i, lo, true);
      view.setInt32(base + 16 * i + 4, Math.min(inSize - 1, Math.ceil(frac)), true);
      view.setFloat64(base + 16 * i + 8, frac - lo, true);
    }
  };
  runResize(
    backend,
    'resize_bilinear_f32',
    images,
    out,
    [inH, inW, C, outH, outW],
    16 * (outH + outW),
    (view) => {
      entries(view, 0, outH, inH, scale(inH, outH, alignCorners));
      entries(view, 16 * outH, outW, inW, scale(inW, outW, alignCorners));
    },
    batch * outH,
    outW * C * 4,
  );
  return out;
};

const bilinearGradFallback = cpuKernel(ResizeBilinearGrad);

// Returns the images' shape; tfjs-backend-cpu swaps height and width in its result's shape,
// which only works for square images.
const resizeBilinearGradKernel: KernelFunc = (args) => {
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  if (dy.dtype !== 'float32') return bilinearGradFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners } = args.attrs as unknown as ResizeAttrs;
  const [batch, inH, inW, C] = images.shape;
  const [, outH, outW] = dy.shape;
  const out = backend.makeOutputInfo(images.shape.slice(), 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  const entries = (view: DataView, base: number, n: number, inSize: number, ratio: number) => {
    for (let i = 0; i < n; i++) {
      const src = i * ratio;
      const lo = Math.floor(src);
      view.setInt32(base + 16 * i, lo, true);
      view.setInt32(base + 16 * i + 4, Math.min(Math.ceil(src), inSize - 1), true);
      view.setFloat64(base + 16 * i + 8, src - lo, true);
    }
  };
  runResize(
    backend,
    'resize_bilinear_grad_f32',
    dy,
    out,
    [inH, inW, C, outH, outW],
    16 * (outH + outW),
    (view) => {
      entries(view, 0, outH, inH, scale(inH, outH, alignCorners));
      entries(view, 16 * outH, outW, inW, scale(inW, outW, alignCorners));
    },
    batch,
    outH * outW * C * 4,
  );
  return out;
};

const nearestFallback = cpuKernel(ResizeNearestNeighbor);

const resizeNearestKernel: KernelFunc = (args) => {
  const images = args.inputs.images as TensorInfo;
  const [batch, inH, inW, C] = images.shape;
  if (!movable(images.dtype) || inH * inW === 0) return nearestFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners, halfPixelCenters, size } = args.attrs as unknown as ResizeAttrs;
  const [outH, outW] = size;
  const out = backend.makeOutputInfo([batch, outH, outW, C], images.dtype);
  if (util.sizeFromShape(out.shape) === 0) return out;
  const entries = (view: DataView, base: number, n: number, inSize: number, ratio: number) => {
    for (let i = 0; i < n; i++) {
      const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
      let src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
      if (halfPixelCenters) src = Math.max(0, src);
      view.setInt32(base + 4 * i, src, true);
    }
  };
  const kernel = bytesPerElement(images.dtype) === 1 ? 'resize_nearest_x8' : 'resize_nearest_x32';
  runResize(
    backend,
    kernel,
    images,
    out,
    [inH, inW, C, outH, outW],
    4 * (outH + outW),
    (view) => {
      entries(view, 0, outH, inH, scale(inH, outH, alignCorners));
      entries(view, 4 * outH, outW, inW, scale(inW, outW, alignCorners));
    },
    batch * outH,
    outW * C,
  );
  return out;
};

/**
 * For each dx index along one axis, the [start, end) range of dy indices whose nearest source
 * is that index, searched within tfjs-backend-cpu's window (which it never exceeds in practice,
 * but it defines the result). Null if a range is not contiguous (then the cpu kernel runs).
 */
function nearestGradRanges(xSize: number, ySize: number, ratio: number, alignCorners: boolean): Int32Array | null {
  const inv = 1 / ratio;
  const win = Math.ceil(inv) * 2 + 2;
  const ranges = new Int32Array(2 * xSize);
  const nearest = (y: number) => Math.min(xSize - 1, alignCorners ? Math.round(y * ratio) : Math.floor(y * ratio));
  for (let r = 0; r < xSize; r++) {
    let lo = 0,
      hi = ySize;
    if (Number.isFinite(win)) {
      const start = Math.floor(Math.floor(r * inv) - win / 2);
      lo = Math.max(0, start);
      hi = Math.min(ySize, start + win);
    }
    let first = -1,
      last = -2,
      count = 0;
    for (let y = lo; y < hi; y++) {
      if (nearest(y) !== r) continue;
      if (first < 0) first = y;
      last = y;
      count++;
    }
    if (count > 0 && count !== last - first + 1) return null;
    ranges[2 * r] = count > 0 ? first : 0;
    ranges[2 * r + 1] = count > 0 ? last + 1 : 0;
  }
  return ranges;
}

const nearestGradFallback = cpuKernel(ResizeNearestNeighborGrad);

const resizeNearestGradKernel: KernelFunc = (args) => {
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  if (dy.dtype !== 'float32' || images.dtype !== 'float32') return nearestGradFallback(args);
  const backend = args.backend as LanesBackend;
  const { alignCorners } = args.attrs as unknown as ResizeAttrs;
  const [batch, inH, inW, C] = images.shape;
  const [, outH, outW] = dy.shape;
  const rows = nearestGradRanges(inH, outH, scale(inH, outH, alignCorners), alignCorners);
  const cols = nearestGradRanges(inW, outW, scale(inW, outW, alignCorners), alignCorners);
  if (!rows || !cols) return nearestGradFallback(args);
  const out = backend.makeOutputInfo(images.shape.slice(), 'float32');
  if (util.sizeFromShape(out.shape) === 0) return out;
  runResize(
    backend,
    'resize_nearest_grad_f32',
    dy,
    out,
    [inH, inW, C, outH, outW],
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
