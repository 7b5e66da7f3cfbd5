import { el } from '../lib/dom';

export async function mount(root: HTMLElement): Promise<void> {
  root.append(el('h1', {}, 'batchnorm'), el('p', { className: 'notice' }, 'This page is still being built.'));
}
