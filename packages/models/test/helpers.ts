import { loadMnist } from '../src/node/datasets.js';
import type { ImageSplit } from '../src/index.js';

let mnist: Promise<ImageSplit> | undefined;

/** MNIST, loaded once per test file. */
export function mnistOnce(): Promise<ImageSplit> {
  mnist ??= loadMnist();
  return mnist;
}
