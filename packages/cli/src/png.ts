/** Pictures as PNG (pngjs): image grids, adversarial triplets, line plots. Written atomically. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';

/** Gray or RGB images, values in [0, 1], `count × height × width × channels`. */
export interface Images {
  data: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

/** An RGBA canvas with a white background. */
class Canvas {
  readonly png: PNG;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }
  set(x: number, y: number, r: number, g: number, b: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.png.data[i] = r;
    this.png.data[i + 1] = g;
    this.png.data[i + 2] = b;
    this.png.data[i + 3] = 255;
  }
  /** Draws image `k` of `imgs` scaled by `scale` with its top-left corner at (x0, y0). */
  image(imgs: Images, k: number, x0: number, y0: number, scale: number, map = (v: number) => v): void {
    const { height: h, width: w, channels: c } = imgs;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const base = ((k * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const px = [0, 1, 2].map((j) =>
          Math.round(255 * Math.min(1, Math.max(0, map(imgs.data[base + (c === 1 ? 0 : j)])))),
        );
        this.set(x0 + x, y0 + y, px[0], px[1], px[2]);
      }
    }
  }
  /** Writes `text` (digits, letters a–z, a few signs) in a 3×5 pixel font. */
  text(s: string, x0: number, y0: number, scale = 2, rgb: [number, number, number] = [0, 0, 0]): void {
    let x = x0;
    for (const ch of s.toLowerCase()) {
      const glyph = FONT[ch] ?? FONT['?'];
      for (let row = 0; row < 5; row++) {
        for (let col = 0; col < 3; col++) {
          if (glyph[row * 3 + col] !== '1') continue;
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) this.set(x + col * scale + dx, y0 + row * scale + dy, ...rgb);
        }
      }
      x += 4 * scale;
    }
  }
  line(x0: number, y0: number, x1: number, y1: number, rgb: [number, number, number]): void {
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let i = 0; i <= n; i++)
      this.set(Math.round(x0 + ((x1 - x0) * i) / n), Math.round(y0 + ((y1 - y0) * i) / n), ...rgb);
  }
  encode(): Buffer {
    return PNG.sync.write(this.png);
  }
}

/** Writes bytes to `path` through a temporary file and a rename. */
export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A grid of `cols` columns, each image scaled by `scale`, 2-pixel gaps. */
export function gridPng(imgs: Images, cols: number, scale = 2): Buffer {
  const gap = 2;
  const rows = Math.ceil(imgs.count / cols);
  const cw = imgs.width * scale + gap,
    ch = imgs.height * scale + gap;
  const canvas = new Canvas(cols * cw + gap, rows * ch + gap);
  for (let k = 0; k < imgs.count; k++)
    canvas.image(imgs, k, gap + (k % cols) * cw, gap + Math.floor(k / cols) * ch, scale);
  return canvas.encode();
}

/** One row per example: original, perturbation (magnified, 0.5 = none), adversarial; predictions above. */
export function tripletPng(
  original: Images,
  adversarial: Images,
  cleanPred: ArrayLike<number>,
  advPred: ArrayLike<number>,
  scale = 3,
): Buffer {
  const w = original.width * scale,
    h = original.height * scale,
    label = 14,
    gap = 6;
  const canvas = new Canvas(3 * w + 4 * gap, original.count * (h + label + gap) + gap);
  let maxAbs = 1e-6;
  for (let i = 0; i < original.data.length; i++)
    maxAbs = Math.max(maxAbs, Math.abs(adversarial.data[i] - original.data[i]));
  const delta: Images = {
    ...original,
    data: original.data.map((v, i) => 0.5 + (adversarial.data[i] - v) / (2 * maxAbs)),
  };
  for (let k = 0; k < original.count; k++) {
    const y = gap + k * (h + label + gap);
    canvas.text(`p ${cleanPred[k]}`, gap, y);
    canvas.text(`x${(0.5 / maxAbs).toFixed(1)}`, 2 * gap + w, y);
    canvas.text(`p ${advPred[k]}`, 3 * gap + 2 * w, y, 2, advPred[k] === cleanPred[k] ? [0, 120, 0] : [200, 0, 0]);
    canvas.image(original, k, gap, y + label, scale);
    canvas.image(delta, k, 2 * gap + w, y + label, scale);
    canvas.image(adversarial, k, 3 * gap + 2 * w, y + label, scale);
  }
  return canvas.encode();
}

const COLORS: [number, number, number][] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [255, 127, 14],
  [148, 103, 189],
];

/** One line of a {@link chartPng}. */
export interface ChartSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** Axes and size of a {@link chartPng}. */
export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Fixed y range (e.g. [0, 1] for accuracies); default: the data's, including 0. */
  yRange?: [number, number];
  /** Mark each point with a small square. */
  points?: boolean;
  /** x positions of the ticks (default: five evenly spaced). */
  xTicks?: readonly number[];
  width?: number;
  height?: number;
}

/** Short tick label: 0.05, 12, 1.2e+3. */
function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/** Line chart over real x values, with ticks, axis labels, a legend and an optional title. */
export function chartPng(series: ChartSeries[], options: ChartOptions = {}): Buffer {
  const width = options.width ?? 520,
    height = options.height ?? 340;
  const canvas = new Canvas(width, height);
  const left = 56,
    right = 24,
    bottom = 40;
  // Header: the title, then the legend (right) beside the y label (left), above the plot.
  const legendTop = options.title ? 22 : 6;
  const top = legendTop + Math.max(14 * series.length, options.yLabel ? 14 : 0) + 8;
  const xs = series.flatMap((s) => Array.from(s.x)).filter(Number.isFinite);
  const ys = series.flatMap((s) => Array.from(s.y)).filter(Number.isFinite);
  let x0 = Math.min(...xs),
    x1 = Math.max(...xs);
  if (!(x1 > x0)) {
    // One x value (or none): start the axis at 0 so the point is not pinned to an edge.
    if (!Number.isFinite(x0)) x0 = x1 = 0;
    x0 = Math.min(0, x0);
    if (!(x1 > x0)) x1 = x0 + 1;
  }
  let [y0, y1] = options.yRange ?? [Math.min(0, ...ys), Math.max(...ys)];
  if (!(y1 > y0)) y1 = y0 + 1;
  const px = (v: number) => Math.round(left + ((width - left - right) * (v - x0)) / (x1 - x0));
  const py = (v: number) => Math.round(height - bottom - ((height - top - bottom) * (v - y0)) / (y1 - y0));
  const grey: [number, number, number] = [225, 225, 225];
  const xTicks = options.xTicks ?? [0, 1, 2, 3, 4].map((i) => x0 + ((x1 - x0) * i) / 4);
  for (const xv of xTicks) {
    canvas.line(px(xv), top, px(xv), height - bottom, grey);
    const xt = tick(xv);
    canvas.text(xt, px(xv) - xt.length * 4, height - bottom + 6);
  }
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4,
      yt = tick(yv);
    canvas.line(left, py(yv), width - right, py(yv), grey);
    canvas.text(yt, left - 6 - yt.length * 8, py(yv) - 5);
  }
  canvas.line(left, height - bottom, width - right, height - bottom, [0, 0, 0]);
  canvas.line(left, top, left, height - bottom, [0, 0, 0]);
  if (options.title) canvas.text(options.title, left, 6);
  if (options.xLabel)
    canvas.text(options.xLabel, Math.round((left + width - right) / 2 - options.xLabel.length * 4), height - 16);
  if (options.yLabel) canvas.text(options.yLabel, 4, legendTop);
  series.forEach((s, j) => {
    const rgb = COLORS[j % COLORS.length];
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 1; i < n; i++) canvas.line(px(s.x[i - 1]), py(s.y[i - 1]), px(s.x[i]), py(s.y[i]), rgb);
    if (options.points) {
      for (let i = 0; i < n; i++) {
        for (let d = -2; d <= 2; d++) canvas.line(px(s.x[i]) - 2, py(s.y[i]) + d, px(s.x[i]) + 2, py(s.y[i]) + d, rgb);
      }
    }
    canvas.text(s.name, width - right - 8 * s.name.length, legendTop + j * 14, 2, rgb);
  });
  return canvas.encode();
}

/** Line plot of named series over their index (training curves), with a legend. */
export function linePlotPng(series: Record<string, ArrayLike<number>>, options: ChartOptions = {}): Buffer {
  return chartPng(
    Object.entries(series).map(([name, y]) => ({ name, y, x: Array.from({ length: y.length }, (_, i) => i) })),
    options,
  );
}

/**
 * Columns of labelled images side by side, one row per example (e.g. clean and triggered digits):
 * `labels[c][k]` is written above image k of column c, in red where `alarm[c][k]` is set.
 */
export function labelledColumnsPng(
  columns: Images[],
  labels: string[][],
  alarm: boolean[][] = [],
  titles: string[] = [],
  scale = 3,
): Buffer {
  const w = columns[0].width * scale,
    h = columns[0].height * scale,
    label = 14,
    gap = 8;
  const head = titles.length ? 16 : 0;
  const rows = Math.min(...columns.map((c) => c.count));
  const canvas = new Canvas(columns.length * (w + gap) + gap, head + rows * (h + label + gap) + gap);
  titles.forEach((t, c) => canvas.text(t, gap + c * (w + gap), 4));
  for (let k = 0; k < rows; k++) {
    const y = head + gap + k * (h + label + gap);
    columns.forEach((imgs, c) => {
      canvas.text(labels[c]?.[k] ?? '', gap + c * (w + gap), y, 2, alarm[c]?.[k] ? [200, 0, 0] : [0, 0, 0]);
      canvas.image(imgs, k, gap + c * (w + gap), y + label, scale);
    });
  }
  return canvas.encode();
}

// 3×5 glyphs, rows top to bottom.
const FONT: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001111',
  a: '010101111101101',
  b: '110101110101110',
  c: '011100100100011',
  d: '110101101101110',
  e: '111100110100111',
  f: '111100110100100',
  g: '011100101101011',
  h: '101101111101101',
  i: '111010010010111',
  j: '001001001101010',
  k: '101101110101101',
  l: '100100100100111',
  m: '101111111101101',
  n: '110101101101101',
  o: '010101101101010',
  p: '110101110100100',
  q: '010101101110011',
  r: '110101110101101',
  s: '011100010001110',
  t: '111010010010010',
  u: '101101101101111',
  v: '101101101101010',
  w: '101101111111101',
  x: '101101010101101',
  y: '101101010010010',
  z: '111001010100111',
  ' ': '000000000000000',
  '.': '000000000000010',
  '-': '000000111000000',
  _: '000000000000111',
  '+': '000010111010000',
  '=': '000111000111000',
  '%': '101001010100101',
  ':': '000010000010000',
  '?': '111001010000010',
  '/': '001001010100100',
  '(': '010100100100010',
  ')': '010001001001010',
  ',': '000000000010100',
  '>': '100010001010100',
  '<': '001010100010001',
};
