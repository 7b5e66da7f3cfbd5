// Line charts with uPlot, sized to their container (narrow screens included).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom';

/** One line of a chart. */
export interface Line {
  label: string;
  stroke: string;
  /** Own y axis on the right (e.g. accuracy next to a loss). */
  right?: boolean;
  dash?: number[];
}

/** A live chart: `set` replaces the data (x column first, one column per line). */
export interface Chart {
  node: HTMLElement;
  set: (data: number[][]) => void;
  destroy: () => void;
}

/** Creates a chart; it is drawn once `node` is in the document (call `set` after attaching). */
export function lineChart(id: string, xLabel: string, lines: Line[], height = 220, xTime = false): Chart {
  const node = el('div', { className: 'chart', id });
  let plot: uPlot | undefined;
  let data: number[][] = [[], ...lines.map(() => [])];
  const width = (): number => Math.max(240, Math.min(node.clientWidth || 600, 900));
  const make = (): uPlot =>
    new uPlot(
      {
        width: width(),
        height,
        scales: { x: { time: xTime }, y: {}, r: {} },
        axes: [
          { label: xLabel },
          { scale: 'y' },
          ...(lines.some((l) => l.right) ? [{ scale: 'r', side: 1 as const, grid: { show: false } }] : []),
        ],
        series: [
          { label: xLabel },
          ...lines.map((l) => ({
            label: l.label,
            stroke: l.stroke,
            width: 2,
            scale: l.right ? 'r' : 'y',
            dash: l.dash,
            points: { show: false },
          })),
        ],
      },
      data as uPlot.AlignedData,
      node,
    );
  const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height }));
  resize.observe(node);
  return {
    node,
    set: (d) => {
      data = d;
      if (!plot) plot = make();
      else plot.setData(d as uPlot.AlignedData);
      node.dataset.points = String(d[0].length);
    },
    destroy: () => {
      resize.disconnect();
      plot?.destroy();
    },
  };
}

/** A bar chart of shares (class histograms) as plain HTML. */
export function histogram(
  id: string,
  labels: readonly string[],
): { node: HTMLElement; update: (shares: ArrayLike<number>) => void } {
  const bars = labels.map(() => el('span', { className: 'col-fill' }));
  const values = labels.map(() => el('span', { className: 'col-value' }));
  const node = el(
    'div',
    { className: 'histogram', id },
    ...labels.map((l, i) =>
      el(
        'div',
        { className: 'col' },
        values[i],
        el('span', { className: 'col-track' }, bars[i]),
        el('span', { className: 'col-label' }, l),
      ),
    ),
  );
  return {
    node,
    update: (shares) => {
      const max = Math.max(...Array.from(shares), 1e-9);
      labels.forEach((_, i) => {
        bars[i].style.height = `${(100 * shares[i]) / max}%`;
        values[i].textContent = `${Math.round(100 * shares[i])}`;
      });
      node.dataset.shares = Array.from(shares, (s) => s.toFixed(3)).join(',');
    },
  };
}
