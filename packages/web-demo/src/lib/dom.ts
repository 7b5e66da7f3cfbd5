// Tiny DOM helpers: pages build their markup with these instead of a framework.

type Props<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'dataset' | 'style'>> & {
  dataset?: Record<string, string>;
  style?: Partial<CSSStyleDeclaration>;
};

/** Creates an element with properties and children (strings become text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props<K> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const { dataset, style, ...rest } = props;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  if (style) Object.assign(node.style, style);
  node.append(...children);
  return node;
}

/** A labelled section of a page. */
export function section(title: string, id: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', { id }, el('h2', {}, title), ...children);
}

/** A progress bar with a text label; `set(done, total, text)` updates it. */
export function progressBar(id: string): {
  node: HTMLElement;
  set: (done: number, total: number, text?: string) => void;
} {
  const bar = el('progress', { max: 1, value: 0 });
  const label = el('span', { className: 'progress-label' });
  const node = el('div', { className: 'progress', id }, bar, label);
  return {
    node,
    set: (done, total, text) => {
      bar.max = Math.max(total, 1);
      bar.value = done;
      label.textContent = text ?? `${done} / ${total}`;
    },
  };
}

/** Formats a number with `digits` decimals. */
export function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A percentage with one decimal. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Reports an error inside `root` (and on the console as a warning, not an error). */
export function showError(root: HTMLElement, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  root.append(el('p', { className: 'error' }, `Error: ${message}`));
  console.warn(e);
}
