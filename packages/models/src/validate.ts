/**
 * Checks on what users hand to the public entry points (attacks, classify / predict helpers,
 * inspection, generator evaluation): one Error naming the function, the argument, what was
 * expected and what came, thrown before any tensor is made (so nothing leaks).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Labels } from './adversarial/types.js';
import type { ImageSet } from './data/images.js';

/** What a tensor argument must look like. */
export interface TensorSpec {
  /** Exact rank. */
  readonly rank?: number;
  /** Smallest rank (batch dimension plus at least one more, say). */
  readonly minRank?: number;
  /** Sizes after the batch dimension; `null` matches any size. Implies the rank. */
  readonly inner?: readonly (number | null)[];
  /** Exact batch size (e.g. 1 for one sample). Otherwise any N ≥ 1. */
  readonly batch?: number;
  /** Dtype, or the dtypes allowed. Default 'float32'. */
  readonly dtype?: tf.DataType | readonly tf.DataType[];
  /** Inclusive range every value must lie in. Values must be finite in any case. */
  readonly range?: readonly [number, number];
  /** What the argument holds, for the message (e.g. 'pixels'). Default 'values'. */
  readonly what?: string;
}

/** The error thrown by the checks (a plain Error subclass, so callers may tell it apart). */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

const shapeText = (shape: readonly (number | null)[]): string =>
  `[${shape.map((d) => (d === null ? 'N' : String(d))).join(', ')}]`;

function expectedShape(spec: TensorSpec): string {
  if (spec.inner) return shapeText([spec.batch ?? null, ...spec.inner]);
  if (spec.rank !== undefined) return `rank ${spec.rank}`;
  if (spec.minRank !== undefined) return `rank ≥ ${spec.minRank} ([N, …])`;
  return 'any shape';
}

/**
 * Checks everything that does not need the values: a live tensor, dtype, rank, sizes, a non-empty
 * batch. Throws an {@link InvalidInputError} `where: arg …: expected …, got …`.
 */
export function checkTensorShape(
  where: string,
  arg: string,
  x: unknown,
  spec: TensorSpec = {},
): asserts x is tf.Tensor {
  const fail = (problem: string, expected: string, got: string): never => {
    throw new InvalidInputError(`${where}: ${arg} ${problem}: expected ${expected}, got ${got}`);
  };
  if (!(x instanceof tf.Tensor))
    fail(
      'is not a tensor',
      `a tf.Tensor ${expectedShape(spec)}`,
      x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x,
    );
  const t = x as tf.Tensor;
  if (t.isDisposed) fail('was disposed', 'a live tensor', `a disposed tensor ${shapeText(t.shape)}`);
  const dtypes: readonly tf.DataType[] = typeof spec.dtype === 'string' ? [spec.dtype] : (spec.dtype ?? ['float32']);
  if (!dtypes.includes(t.dtype)) fail('has the wrong dtype', dtypes.join(' or '), t.dtype);
  const rank = spec.inner ? spec.inner.length + 1 : spec.rank;
  if (rank !== undefined && t.rank !== rank)
    fail('has the wrong rank', `${expectedShape(spec)} (rank ${rank})`, `shape ${shapeText(t.shape)} (rank ${t.rank})`);
  if (spec.minRank !== undefined && t.rank < spec.minRank)
    fail('has the wrong rank', expectedShape(spec), `shape ${shapeText(t.shape)} (rank ${t.rank})`);
  if (t.rank === 0) return;
  if (t.shape[0] === 0) fail('is an empty batch', 'at least one example (N ≥ 1)', `shape ${shapeText(t.shape)}`);
  if (spec.batch !== undefined && t.shape[0] !== spec.batch)
    fail('has the wrong batch size', `${spec.batch} (shape ${expectedShape(spec)})`, `shape ${shapeText(t.shape)}`);
  if (spec.inner && spec.inner.some((d, i) => d !== null && d !== t.shape[i + 1]))
    fail('has the wrong shape', expectedShape(spec), shapeText(t.shape));
  if (t.size === 0) fail('is empty', 'at least one value per example', `shape ${shapeText(t.shape)}`);
}

/** Checks that `values` are finite and inside `range`; `where: arg …` names the first bad one. */
export function checkValues(
  where: string,
  arg: string,
  values: ArrayLike<number>,
  range?: readonly [number, number],
  what = 'values',
): void {
  let firstNonFinite = -1,
    nonFinite = 0,
    firstOutside = -1,
    outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      if (nonFinite++ === 0) firstNonFinite = i;
    } else if (range && (v < range[0] || v > range[1])) {
      if (outside++ === 0) firstOutside = i;
    }
  }
  const inRange = range ? ` in [${range[0]}, ${range[1]}]` : '';
  if (nonFinite > 0) {
    const v = values[firstNonFinite];
    const name = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    throw new InvalidInputError(
      `${where}: ${arg} contains ${name}: expected finite ${what}${inRange}, got ${name} at index ${firstNonFinite} (${nonFinite} non-finite of ${values.length})`,
    );
  }
  if (outside > 0) {
    const v = values[firstOutside];
    // 0–255 bytes passed as floats are the usual mistake: say so.
    const hint = range && range[1] === 1 && v >= 2 && v <= 255 ? ' — pixels in 0–255? divide by 255' : '';
    throw new InvalidInputError(
      `${where}: ${arg} is out of range: expected ${what}${inRange}, got ${v} at index ${firstOutside} (${outside} of ${values.length} outside)${hint}`,
    );
  }
}

/**
 * Checks a price series: at least `minLength` prices, each finite and positive (the models read
 * log returns, so a zero or negative price has none).
 */
export function checkPrices(where: string, prices: ArrayLike<number>, minLength: number): void {
  if (prices === null || typeof prices !== 'object' || typeof prices.length !== 'number') {
    throw new InvalidInputError(
      `${where}: prices are not a series: expected an array of prices, got ${prices === null ? 'null' : typeof prices}`,
    );
  }
  if (prices.length < minLength) {
    throw new InvalidInputError(
      `${where}: prices are too short: expected at least ${minLength} prices, got ${prices.length}`,
    );
  }
  checkValues(where, 'prices', prices, undefined, 'prices');
  for (let i = 0; i < prices.length; i++) {
    if (prices[i] <= 0)
      throw new InvalidInputError(
        `${where}: prices has a price that is not positive: expected prices > 0 (log returns), got ${prices[i]} at index ${i}`,
      );
  }
}

/** {@link checkTensorShape}, then the values (read synchronously). For synchronous entry points. */
export function checkTensor(where: string, arg: string, x: unknown, spec: TensorSpec = {}): asserts x is tf.Tensor {
  checkTensorShape(where, arg, x, spec);
  if (x.dtype === 'float32' || x.dtype === 'int32')
    checkValues(where, arg, x.dataSync() as Float32Array, spec.range, spec.what);
}

/** {@link checkTensorShape}, then the values (read asynchronously). For async entry points. */
export async function checkTensorAsync(where: string, arg: string, x: unknown, spec: TensorSpec = {}): Promise<void> {
  checkTensorShape(where, arg, x, spec);
  if (x.dtype === 'float32' || x.dtype === 'int32')
    checkValues(where, arg, (await x.data()) as Float32Array, spec.range, spec.what);
}

/**
 * Checks class labels: one non-negative integer per example (`n`), as an int32 `Tensor1D` or
 * plain numbers; `classes`, when known, bounds them.
 */
export async function checkLabels(
  where: string,
  arg: string,
  labels: Labels | undefined,
  n: number,
  classes?: number,
): Promise<void> {
  const fail = (problem: string, expected: string, got: string): never => {
    throw new InvalidInputError(`${where}: ${arg} ${problem}: expected ${expected}, got ${got}`);
  };
  let values: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.isDisposed) fail('was disposed', 'a live tensor', 'a disposed tensor');
    if (labels.rank !== 1) fail('has the wrong rank', `a Tensor1D of ${n} labels`, `shape ${shapeText(labels.shape)}`);
    values = await labels.data();
  } else if (
    labels !== null &&
    typeof labels === 'object' &&
    typeof (labels as ArrayLike<number>).length === 'number'
  ) {
    values = labels;
  } else {
    return fail(
      'are not labels',
      `${n} class indices (an int32 Tensor1D or numbers)`,
      labels === null ? 'null' : typeof labels,
    );
  }
  if (values.length !== n) fail('has the wrong length', `${n} (one per example)`, String(values.length));
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v) || v < 0 || (classes !== undefined && v >= classes)) {
      fail(
        'is not a class index',
        `integers in [0, ${classes === undefined ? '∞' : classes - 1}]`,
        `${String(values[i])} at index ${i}`,
      );
    }
  }
}

/** The fixed input shape of a layers model after the batch dimension (`null` for free sizes). */
export function modelInputShape(model: tfl.LayersModel): (number | null)[] {
  return model.inputs[0]?.shape.slice(1) ?? [];
}

/** Checks an image batch against a model's input: {@link TensorSpec} with the model's sizes. */
export async function checkModelInput(
  where: string,
  arg: string,
  model: tfl.LayersModel,
  x: unknown,
  spec: Omit<TensorSpec, 'inner' | 'rank'> = {},
): Promise<void> {
  await checkTensorAsync(where, arg, x, { ...spec, inner: modelInputShape(model) });
}

/**
 * Attack inputs: `x` a non-empty float32 batch `[N, …]` with finite values in [clipMin, clipMax]
 * (default [0, 1]), N labels (and N targets), a finite ε ≥ 0 when given.
 */
export async function checkAttackInputs(
  where: string,
  x: unknown,
  labels: Labels,
  options: { clipMin?: number; clipMax?: number; target?: Labels; eps?: number } = {},
): Promise<void> {
  const lo = options.clipMin ?? 0,
    hi = options.clipMax ?? 1;
  if (options.eps !== undefined && !(Number.isFinite(options.eps) && options.eps >= 0)) {
    throw new InvalidInputError(`${where}: eps is not a budget: expected a finite number ≥ 0, got ${options.eps}`);
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new InvalidInputError(
      `${where}: clipMin/clipMax are not a range: expected finite clipMin < clipMax, got [${lo}, ${hi}]`,
    );
  }
  await checkTensorAsync(where, 'x', x, { minRank: 2, range: [lo, hi], what: 'pixels' });
  const n = (x as tf.Tensor).shape[0];
  await checkLabels(where, 'labels', labels, n);
  if (options.target !== undefined) await checkLabels(where, 'target', options.target, n);
}

/**
 * Checks that every weight of `model` is finite: a model file whose weights hold NaN or ±Inf
 * loads without complaint and then predicts NaN everywhere. Names the first bad weight.
 */
export function checkModelWeights(where: string, model: tfl.LayersModel): void {
  for (const w of model.weights) {
    const v = w.read();
    if (v.dtype !== 'float32') continue;
    const values = v.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        let count = 0;
        for (const u of values) if (!Number.isFinite(u)) count++;
        const name = Number.isNaN(values[i]) ? 'NaN' : values[i] > 0 ? 'Infinity' : '-Infinity';
        throw new InvalidInputError(
          `${where}: the model's weight ${w.originalName} contains ${name}: expected finite weights, got ${name} at index ${i} (${count} non-finite of ${values.length})`,
        );
      }
    }
  }
}

/**
 * Checks a labelled image set against the `[h, w, c]` a model takes (`null` = any size): at least
 * one image, and as many bytes and labels as `count` says.
 */
export function checkImageSet(where: string, arg: string, set: ImageSet, shape: readonly (number | null)[]): void {
  const fail = (problem: string, expected: string, got: string): never => {
    throw new InvalidInputError(`${where}: ${arg} ${problem}: expected ${expected}, got ${got}`);
  };
  if (!Number.isInteger(set.count) || set.count < 1) fail('is empty', 'at least one image', `${set.count} images`);
  const dims = [set.height, set.width, set.channels];
  if (shape.length !== 3 || shape.some((d, i) => d !== null && d !== dims[i])) {
    fail(
      'has the wrong image shape',
      `${shapeText([null, ...shape])} (the model's input)`,
      shapeText([set.count, ...dims]),
    );
  }
  const size = set.height * set.width * set.channels;
  if (set.images.length < set.count * size)
    fail('is truncated', `${set.count} × ${size} = ${set.count * size} pixel bytes`, String(set.images.length));
  if (set.labels.length < set.count) fail('is missing labels', `${set.count} labels`, String(set.labels.length));
}

/** Checks a count option: an integer ≥ `min`. */
export function checkCount(where: string, arg: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidInputError(`${where}: ${arg} is not a count: expected an integer ≥ ${min}, got ${value}`);
}

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Bytes the weights of a manifest occupy, or undefined when it holds strings (variable length).
 * Quantized weights count at their stored size.
 */
export function weightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const s of specs) {
    const bytes = DTYPE_BYTES[s.quantization?.dtype ?? s.dtype];
    if (bytes === undefined) return undefined;
    total += bytes * s.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/**
 * Checks that weight files hold exactly the bytes model.json's manifest describes: a truncated or
 * foreign weights file otherwise fails deep inside tfjs ("offset is out of bounds") or loads
 * garbage silently when it is too long.
 */
export function checkWeightBytes(
  where: string,
  specs: readonly tf.io.WeightsManifestEntry[],
  byteLength: number,
): void {
  const want = weightBytes(specs);
  if (want === undefined || want === byteLength) return;
  const what = byteLength < want ? 'too short (truncated?)' : 'too long (from another model?)';
  throw new InvalidInputError(
    `${where}: the weights are ${what}: expected ${want} bytes for the ${specs.length} weights model.json lists, got ${byteLength}`,
  );
}

/** Checks that each example of `x` (`[N, …]`) has `features` values, for models that flatten their input. */
export function checkFeatures(where: string, arg: string, x: tf.Tensor, features: number): void {
  checkTensorShape(where, arg, x, { minRank: 2 });
  const got = x.size / x.shape[0];
  if (got !== features) {
    throw new InvalidInputError(
      `${where}: ${arg} has the wrong size: expected ${features} values per example (as in training), got ${got} (shape ${shapeText(x.shape)})`,
    );
  }
}
