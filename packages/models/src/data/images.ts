/** Labelled image sets kept as bytes, and their conversion to tensors. */
import * as tf from '@tensorflow/tfjs-core';
import { columnDataset, range, type Dataset } from './dataset.js';

/** Labelled images stored as bytes (0–255), NHWC. */
export interface ImageSet {
  /** Pixels, `count × height × width × channels` bytes. */
  readonly images: Uint8Array;
  /** Class index of each image. */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Channels per pixel (1 for MNIST). */
  readonly channels: number;
  /** Name of each class, by index. */
  readonly classNames: readonly string[];
}

/** A train/test pair of image sets. */
export interface ImageSplit {
  /** Training images. */
  readonly train: ImageSet;
  /** Held-out test images. */
  readonly test: ImageSet;
}

/** Bytes per image. */
export function imageSize(set: ImageSet): number {
  return set.height * set.width * set.channels;
}

/** The images at `indices` (in that order) as a new set (copies the bytes). */
export function takeImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = imageSize(set);
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (j < 0 || j >= set.count) throw new RangeError(`takeImages: index ${j} is outside [0, ${set.count})`);
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j];
  }
  return { ...set, images, labels, count: indices.length };
}

/** The first `n` images (a view, no copy). */
export function headImages(set: ImageSet, n: number): ImageSet {
  const count = Math.min(n, set.count);
  return {
    ...set,
    images: set.images.subarray(0, count * imageSize(set)),
    labels: set.labels.subarray(0, count),
    count,
  };
}

/** Images as a float tensor `[n, height, width, channels]` in [0, 1] (all, or those at `indices`). */
export function imagesToTensor(set: ImageSet, indices?: ArrayLike<number>): tf.Tensor4D {
  const idx = indices ?? range(set.count);
  const size = imageSize(set);
  const out = new Float32Array(idx.length * size);
  for (let i = 0; i < idx.length; i++) {
    const from = idx[i] * size;
    for (let k = 0; k < size; k++) out[i * size + k] = set.images[from + k] / 255;
  }
  return tf.tensor4d(out, [idx.length, set.height, set.width, set.channels]);
}

/** Classification dataset: xs `[n, h, w, c]` in [0, 1], ys one-hot `[n, classes]`. */
export function imageDataset(set: ImageSet): Dataset {
  return columnDataset(
    { values: set.images, sampleShape: [set.height, set.width, set.channels], scale: 1 / 255 },
    { values: set.labels, sampleShape: [], oneHot: set.classNames.length },
  );
}

/** Number of images per class, indexed by class. */
export function classCounts(set: ImageSet): number[] {
  const counts = new Array<number>(set.classNames.length).fill(0);
  for (let i = 0; i < set.count; i++) counts[set.labels[i]]++;
  return counts;
}
