// Where a page's digit comes from: drawn on a pad, or picked from the MNIST test digits.
import type { ImageSet } from '@lanes/models';
import { DrawPad } from './drawpad';
import { digitOfClass, digitPixels } from './digits';
import { el } from './dom';

/** The current digit: its pixels and, when picked from the test set, its label. */
export interface Digit {
  pixels: Float32Array;
  label?: number;
}

/**
 * The pad and its controls; `onChange` gets every new digit. `pick()` picks the selected test
 * digit; `show(pixels, text)` puts a digit from elsewhere (an upload) on the pad, without reporting it.
 */
export function digitSource(
  digits: ImageSet,
  onChange: (d: Digit) => void,
  initialClass = 0,
): { node: HTMLElement; pick: () => void; show: (pixels: Float32Array, text: string) => void } {
  const pad = new DrawPad((pixels) => {
    label.textContent = 'drawn digit';
    onChange({ pixels });
  });
  const classSelect = el(
    'select',
    { id: 'digit-class' },
    ...Array.from({ length: 10 }, (_, c) => el('option', { value: String(c) }, String(c))),
  );
  classSelect.value = String(initialClass);
  const nth = el('input', { type: 'number', id: 'digit-index', min: '0', max: '99', value: '0' });
  const pickButton = el('button', { id: 'pick-digit' }, 'Pick test digit');
  const clear = el('button', { id: 'clear-pad' }, 'Clear');
  const label = el('span', { id: 'digit-label' });
  const pick = (): void => {
    const i = digitOfClass(digits, Number(classSelect.value), Math.min(99, Math.max(0, Number(nth.value) || 0)));
    const pixels = digitPixels(digits, i);
    pad.show(pixels);
    label.textContent = `test digit #${i}, label ${digits.labels[i]}`;
    onChange({ pixels, label: digits.labels[i] });
  };
  pickButton.addEventListener('click', pick);
  clear.addEventListener('click', () => {
    pad.clear();
    label.textContent = '';
    onChange({ pixels: new Float32Array(784) });
  });
  const node = el(
    'div',
    { className: 'digit-source' },
    pad.canvas,
    el('div', { className: 'controls' }, clear, ' digit ', classSelect, ' # ', nth, pickButton),
    label,
  );
  const show = (pixels: Float32Array, text: string): void => {
    pad.show(pixels);
    label.textContent = text;
  };
  return { node, pick, show };
}
