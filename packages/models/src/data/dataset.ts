/**
 * The one dataset shape the trainers consume: samples addressable by index, turned into tensors
 * one batch at a time (so 60 000 MNIST digits stay bytes until a batch needs them).
 */
import * as tf from '@tensorflow/tfjs-core';

/** A batch of model inputs and targets; whoever asked for it disposes both tensors. */
export interface Batch {
  /** Model input, first dimension = batch size. */
  readonly xs: tf.Tensor;
  /** Targets, first dimension = batch size. */
  readonly ys: tf.Tensor;
}

/** Samples addressable by index. */
export interface Dataset {
  /** Number of samples. */
  readonly size: number;
  /** Builds the tensors of the samples at `indices`, in that order. */
  batch(indices: ArrayLike<number>): Batch;
}

/** One column of a table dataset: `size` rows of `sampleShape` values each, row-major. */
export interface Column {
  /** Row-major values, `size × product(sampleShape)` long. */
  readonly values: Float32Array | Int32Array | Uint8Array;
  /** Shape of one sample (`[]` for a scalar). */
  readonly sampleShape: readonly number[];
  /** Factor applied to float tensors (1/255 turns bytes into [0, 1]); default 1. */
  readonly scale?: number;
  /** Tensor dtype; default 'float32'. */
  readonly dtype?: 'float32' | 'int32';
  /** When set, values are class indices expanded to one-hot rows of this depth (float32). */
  readonly oneHot?: number;
}

/** Number of values in one sample of a column. */
export function rowSize(column: Column): number {
  return column.sampleShape.reduce((a, b) => a * b, 1);
}

/** The rows of `column` at `indices` as one tensor of shape `[indices.length, ...sampleShape]`. */
export function gatherColumn(column: Column, indices: ArrayLike<number>): tf.Tensor {
  const n = indices.length;
  const size = rowSize(column);
  if (column.oneHot !== undefined) {
    const depth = column.oneHot;
    const out = new Float32Array(n * depth);
    for (let i = 0; i < n; i++) {
      const label = column.values[indices[i]];
      if (label < 0 || label >= depth) throw new RangeError(`label ${label} is outside [0, ${depth})`);
      out[i * depth + label] = 1;
    }
    return tf.tensor(out, [n, depth], 'float32');
  }
  const dtype = column.dtype ?? 'float32';
  const out = dtype === 'int32' ? new Int32Array(n * size) : new Float32Array(n * size);
  const scale = column.scale ?? 1;
  const src = column.values;
  for (let i = 0; i < n; i++) {
    const from = indices[i] * size;
    const to = i * size;
    if (scale === 1 || dtype === 'int32') {
      for (let k = 0; k < size; k++) out[to + k] = src[from + k];
    } else {
      for (let k = 0; k < size; k++) out[to + k] = src[from + k] * scale;
    }
  }
  return tf.tensor(out, [n, ...column.sampleShape], dtype);
}

/** A dataset over two columns (inputs and targets) with the same number of rows. */
export function columnDataset(x: Column, y: Column): Dataset {
  const size = x.values.length / rowSize(x);
  const ySize = y.oneHot !== undefined ? y.values.length : y.values.length / rowSize(y);
  if (!Number.isInteger(size) || size !== ySize) {
    throw new Error(`columnDataset: inputs have ${size} rows but targets have ${ySize}`);
  }
  return {
    size,
    batch: (indices) => ({ xs: gatherColumn(x, indices), ys: gatherColumn(y, indices) }),
  };
}

/** The samples of `dataset` at `indices`, re-indexed from 0. */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const map = Int32Array.from(indices);
  for (const i of map) {
    if (i < 0 || i >= dataset.size) throw new RangeError(`subset: index ${i} is outside [0, ${dataset.size})`);
  }
  return {
    size: map.length,
    batch: (idx) => {
      const mapped = new Int32Array(idx.length);
      for (let i = 0; i < idx.length; i++) mapped[i] = map[idx[i]];
      return dataset.batch(mapped);
    },
  };
}

/** The whole dataset as one batch (for evaluation of small sets). */
export function wholeBatch(dataset: Dataset): Batch {
  return dataset.batch(range(dataset.size));
}

/** 0, 1, …, n-1. */
export function range(n: number): Int32Array {
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
}

/** Splits `order` into consecutive batches of `batchSize` (the last one may be smaller). */
export function* batchesOf(order: Int32Array, batchSize: number): Generator<Int32Array> {
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
  for (let i = 0; i < order.length; i += batchSize) yield order.subarray(i, Math.min(order.length, i + batchSize));
}
