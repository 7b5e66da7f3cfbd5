// Pictures of tensors: grayscale images, heatmaps, image grids and probability bars.
import { el, argmax } from './dom';

/** Colour of `v` in [0, 1]: black → white. */
function gray(v: number): [number, number, number] {
  const g = Math.round(255 * Math.min(1, Math.max(0, v)));
  return [g, g, g];
}

/** Colour of `v` in [-1, 1]: blue (negative) → white → red (positive). */
function diverging(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(-1, v));
  return t >= 0
    ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
    : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/** Options of {@link imageCanvas}. */
export interface ImageOptions {
  /** CSS pixels per value (default 4). */
  scale?: number;
  /** 'gray': [min, max] → black..white; 'diverging': ±max → blue..red (default 'gray'). */
  colors?: 'gray' | 'diverging';
  /** Value range; default [0, 1] for gray, the largest |v| for diverging. */
  range?: [number, number];
  /** Scale the range to the values' own min/max (feature maps). */
  normalise?: boolean;
  id?: string;
  title?: string;
}

/** `values` (height × width, row-major, read with `stride` and `offset` like one channel of NHWC) as a canvas. */
export function imageCanvas(
  values: ArrayLike<number>,
  width: number,
  height: number,
  options: ImageOptions = {},
  stride = 1,
  offset = 0,
): HTMLCanvasElement {
  const canvas = el('canvas', { width, height, className: 'pixels', title: options.title ?? '' });
  if (options.id) canvas.id = options.id;
  const scale = options.scale ?? 4;
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  paint(canvas, values, width, height, options, stride, offset);
  return canvas;
}

/** Repaints a canvas made by {@link imageCanvas}. */
export function paint(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  width: number,
  height: number,
  options: ImageOptions = {},
  stride = 1,
  offset = 0,
): void {
  const n = width * height;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[offset + i * stride];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const div = options.colors === 'diverging';
  let [min, max] =
    options.range ??
    (div ? [-Math.max(Math.abs(lo), Math.abs(hi), 1e-12), Math.max(Math.abs(lo), Math.abs(hi), 1e-12)] : [0, 1]);
  if (options.normalise)
    [min, max] = div
      ? [-Math.max(Math.abs(lo), Math.abs(hi), 1e-12), Math.max(Math.abs(lo), Math.abs(hi), 1e-12)]
      : [lo, hi > lo ? hi : lo + 1];
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < n; i++) {
    const v = values[offset + i * stride];
    const [r, g, b] = div ? diverging(v / max) : gray((v - min) / (max - min));
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** `count` square images (`size × size` each, concatenated) in a grid canvas with `cols` columns. */
export function gridCanvas(
  pixels: Float32Array,
  count: number,
  cols: number,
  size = 28,
  scale = 2,
  id?: string,
): HTMLCanvasElement {
  const rows = Math.ceil(count / cols);
  const canvas = el('canvas', {
    width: cols * (size + 1) - 1,
    height: rows * (size + 1) - 1,
    className: 'pixels grid',
  });
  if (id) canvas.id = id;
  canvas.style.width = `${canvas.width * scale}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#14213d';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const img = ctx.createImageData(size, size);
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < size * size; i++) {
      const g = Math.round(255 * Math.min(1, Math.max(0, pixels[k * size * size + i])));
      img.data[i * 4] = img.data[i * 4 + 1] = img.data[i * 4 + 2] = g;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, (k % cols) * (size + 1), Math.floor(k / cols) * (size + 1));
  }
  return canvas;
}

/** Ten labelled bars for class probabilities; `update` redraws and marks the winner. */
export function probabilityBars(
  id: string,
  labels: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
): { node: HTMLElement; update: (p: ArrayLike<number>) => void } {
  const fills = labels.map(() => el('span', { className: 'fill' }));
  const values = labels.map(() => el('span', { className: 'value' }));
  const rows = labels.map((l, i) =>
    el(
      'div',
      { className: 'bar' },
      el('span', { className: 'label' }, l),
      el('span', { className: 'track' }, fills[i]),
      values[i],
    ),
  );
  const verdict = el('p', { className: 'verdict' });
  const node = el('div', { className: 'probabilities', id }, verdict, ...rows);
  return {
    node,
    update: (p) => {
      const best = argmax(p);
      labels.forEach((_, i) => {
        fills[i].style.width = `${(100 * p[i]).toFixed(1)}%`;
        values[i].textContent = `${(100 * p[i]).toFixed(1)}`;
        rows[i].classList.toggle('best', i === best);
      });
      node.dataset.prediction = String(best);
      node.dataset.confidence = String(p[best]);
      verdict.innerHTML = `prediction <b class="prediction">${labels[best]}</b> (${(100 * p[best]).toFixed(1)} %)`;
    },
  };
}
