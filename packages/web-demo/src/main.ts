// The demo's shell: navigation bar, backend switcher and hash routing to one page module at a time.
import './style.css';
import '@tensorflow/tfjs-core';
import {
  BACKENDS,
  backendFailure,
  currentBackend,
  onBackendChange,
  useBackend,
  type BackendName,
} from './lib/backends';
import { el, showError } from './lib/dom';
import type { PageModule } from './pages/page';

const PAGES: Record<string, { title: string; load: () => Promise<PageModule> }> = {
  cnn: { title: 'CNN', load: () => import('./pages/cnn') },
  adversarial: { title: 'Adversarial', load: () => import('./pages/adversarial') },
  gan: { title: 'GAN', load: () => import('./pages/gan') },
  rnn: { title: 'LSTM / GRU', load: () => import('./pages/rnn') },
  batchnorm: { title: 'BatchNorm', load: () => import('./pages/batchnorm') },
  backends: { title: 'Backends', load: () => import('./pages/backends') },
};
const DEFAULT_PAGE = 'cnn';

const nav = document.getElementById('nav')!;
const root = document.getElementById('page')!;
const links = Object.entries(PAGES).map(([id, p]) => el('a', { href: `#${id}`, id: `nav-${id}` }, p.title));
const select = el(
  'select',
  { id: 'backend-select', title: 'backend' },
  ...BACKENDS.map((b) => el('option', { value: b }, b)),
);
const status = el('span', { id: 'backend-status' });
nav.append(
  el('span', { className: 'brand' }, 'Lanes'),
  ...links,
  el('label', { className: 'backend' }, 'backend ', select, status),
);

select.addEventListener('change', async () => {
  const want = select.value as BackendName;
  select.disabled = true;
  status.textContent = '…';
  const ok = await useBackend(want);
  select.value = currentBackend();
  select.disabled = false;
  status.textContent = ok ? '' : `${want} unavailable`;
  status.title = ok ? '' : (backendFailure(want) ?? '');
  if (ok) void route(); // re-run the page on the new backend
});

onBackendChange((name) => {
  select.value = name;
});

let controller: AbortController | undefined;
let generation = 0;

async function route(): Promise<void> {
  const id = location.hash.slice(1) in PAGES ? location.hash.slice(1) : DEFAULT_PAGE;
  const mine = ++generation;
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  links.forEach((a) => a.classList.toggle('active', a.id === `nav-${id}`));
  document.title = `${PAGES[id].title} — Lanes`;
  root.replaceChildren(el('p', { className: 'loading' }, 'Loading…'));
  delete root.dataset.ready;
  try {
    const page = await PAGES[id].load();
    if (mine !== generation) return;
    root.replaceChildren();
    await page.mount(root, signal);
    if (mine === generation) root.dataset.ready = id;
  } catch (e) {
    if (mine === generation && !signal.aborted) showError(root, e);
  }
}

window.addEventListener('hashchange', () => void route());

const started = (await useBackend('lanes')) || (await useBackend('cpu'));
select.value = currentBackend();
if (!started) status.textContent = 'no backend started';
await route();
