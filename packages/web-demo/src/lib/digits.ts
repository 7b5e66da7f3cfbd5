// The 1000 MNIST test digits (100 per class) that @lanes/models builds as a browser asset.
import * as tf from '@tensorflow/tfjs-core';
import { decodeImageAsset, imagesToTensor, takeImages, type ImageSet } from '@lanes/models';
import assetUrl from '@lanes/models/assets/mnist-test-1000.bin?url';

let digits: Promise<ImageSet> | undefined;

/** The test digits (fetched once). */
export function loadDigits(): Promise<ImageSet> {
  digits ??= fetch(assetUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`MNIST asset: HTTP ${r.status}`);
      return r.arrayBuffer();
    })
    .then((b) => decodeImageAsset(new Uint8Array(b)));
  return digits;
}

/** Digit `i` as 784 floats in [0, 1]. */
export function digitPixels(set: ImageSet, i: number): Float32Array {
  return Float32Array.from(set.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
}

/** Pixels (784 per image, concatenated) as a `[n, 28, 28, 1]` tensor. */
export function pixelsTensor(pixels: Float32Array): tf.Tensor4D {
  return tf.tensor4d(pixels, [pixels.length / 784, 28, 28, 1]);
}

/** The first `n` digits of each class, interleaved (0, 1, …, 9, 0, 1, …): a small balanced batch. */
export function balancedBatch(set: ImageSet, n: number): { x: tf.Tensor4D; labels: Int32Array } {
  const perClass = new Map<number, number[]>();
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i];
    if (!perClass.has(l)) perClass.set(l, []);
    perClass.get(l)!.push(i);
  }
  const idx: number[] = [];
  for (let k = 0; idx.length < n; k++) {
    for (let c = 0; c < 10 && idx.length < n; c++) {
      const list = perClass.get(c);
      if (list && k < list.length) idx.push(list[k]);
    }
  }
  const part = takeImages(set, idx);
  return { x: imagesToTensor(part), labels: Int32Array.from(part.labels) };
}

/** Index of the `k`-th digit of class `label` in the set. */
export function digitOfClass(set: ImageSet, label: number, k = 0): number {
  let seen = 0;
  for (let i = 0; i < set.count; i++) if (set.labels[i] === label && seen++ === k) return i;
  throw new Error(`no digit ${label} #${k}`);
}
