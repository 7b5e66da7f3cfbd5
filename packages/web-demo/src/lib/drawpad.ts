// A canvas to draw a digit on with mouse, pen or finger (Pointer Events), white ink on black.
import { centreDigit } from '@lanes/models';
import { el } from './dom';

const SIZE = 280; // canvas pixels (10 per MNIST pixel)
const BRUSH = 22;

/** A drawing surface that reports MNIST-centred 28×28 pixels after every stroke segment. */
export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private last: { x: number; y: number } | undefined;
  private pending = false;

  /** `onChange` gets the centred 784 pixels (throttled to one call per animation frame). */
  constructor(
    private readonly onChange: (pixels: Float32Array) => void,
    id = 'drawpad',
  ) {
    this.canvas = el('canvas', { width: SIZE, height: SIZE, className: 'drawpad', id });
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    this.canvas.addEventListener('pointerdown', (e) => {
      try {
        this.canvas.setPointerCapture(e.pointerId);
      } catch {
        // synthetic pointers (tests) have no capture; strokes still follow pointermove
      }
      this.last = this.point(e);
      this.stroke(this.last, this.last);
      e.preventDefault();
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!this.last) return;
      const p = this.point(e);
      this.stroke(this.last, p);
      this.last = p;
      e.preventDefault();
    });
    const end = (): void => {
      this.last = undefined;
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
  }

  /** Blank (black) canvas; does not report. */
  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, SIZE, SIZE);
  }

  /** Shows a 28×28 image (e.g. a picked test digit), upscaled, so it can be drawn over. */
  show(pixels: Float32Array): void {
    const img = this.ctx.createImageData(SIZE, SIZE);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const v = Math.round(255 * pixels[Math.floor(y / 10) * 28 + Math.floor(x / 10)]);
        const o = (y * SIZE + x) * 4;
        img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
        img.data[o + 3] = 255;
      }
    }
    this.ctx.putImageData(img, 0, 0);
  }

  /** The drawing, MNIST-centred. */
  read(): Float32Array {
    const rgba = this.ctx.getImageData(0, 0, SIZE, SIZE).data;
    const gray = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4] / 255;
    return centreDigit(gray, SIZE, SIZE);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIZE, y: ((e.clientY - r.top) / r.height) * SIZE };
  }

  private stroke(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = '#fff';
    c.lineWidth = BRUSH;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(a.x, a.y);
    c.lineTo(b.x, b.y);
    c.stroke();
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.onChange(this.read());
      });
    }
  }
}
