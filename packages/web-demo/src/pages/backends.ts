// Backends: switch between lanes / wasm / cpu / webgl, check that they agree, time each op of a
// CNN forward pass, and race them in a small benchmark.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  BACKENDS,
  backendFailure,
  currentBackend,
  lanesInfo,
  useBackend,
  wasmFeatures,
  type BackendName,
} from '../lib/backends';
import { loadDigits, balancedBatch } from '../lib/digits';
import { el, fmt, progressBar, section } from '../lib/dom';
import { isShipped, loadModel } from '../lib/pretrained';

const MODEL = 'mnist-cnn';

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  const info = await lanesInfo();
  const wasm = await wasmFeatures();
  const active = currentBackend();
  const product = await squareProduct();
  root.append(
    el('h1', {}, 'Backends'),
    el(
      'p',
      {},
      "The same TensorFlow.js program on four backends: 'lanes' (this project: AssemblyScript kernels compiled to WebAssembly SIMD, threads over shared memory), tfjs-backend-wasm (XNNPACK), plain JavaScript 'cpu', and WebGL.",
    ),
    el(
      'dl',
      { id: 'backend-info' },
      el('dt', {}, 'active backend'),
      el('dd', { id: 'backend' }, active),
      el('dt', {}, 'lanes build'),
      el('dd', { id: 'build' }, info.build),
      el('dt', {}, 'lanes threads'),
      el('dd', { id: 'threads' }, String(info.threads)),
      el('dt', {}, 'shared memory'),
      el('dd', { id: 'shared' }, String(info.sharedMemory)),
      el('dt', {}, 'cross-origin isolated'),
      el('dd', { id: 'isolated' }, String(globalThis.crossOriginIsolated)),
      el('dt', {}, 'tfjs-backend-wasm'),
      el(
        'dd',
        { id: 'wasm-features' },
        `${wasm.simd ? 'SIMD' : 'no SIMD'}, ${wasm.threads ? 'threads' : 'one thread'}`,
      ),
      el('dt', {}, `[[1,2],[3,4]]² on ${active}`),
      el('dd', { id: 'matmul' }, product),
    ),
  );

  const buttons = BACKENDS.map((b) => el('button', { id: `use-${b}`, className: b === active ? 'active' : '' }, b));
  const switchNote = el('p', { id: 'switch-note', className: 'caption' });
  buttons.forEach((button, i) =>
    button.addEventListener('click', async () => {
      const ok = await useBackend(BACKENDS[i]);
      switchNote.textContent = ok ? '' : `${BACKENDS[i]}: ${backendFailure(BACKENDS[i])}`;
      const now = currentBackend();
      buttons.forEach((other, j) => other.classList.toggle('active', BACKENDS[j] === now));
      root.querySelector('#backend')!.textContent = now;
      root.querySelector('#matmul')!.textContent = await squareProduct();
      root.querySelector('#matmul')!.previousElementSibling!.textContent = `[[1,2],[3,4]]² on ${now}`;
    }),
  );
  root.append(
    section(
      'Switch',
      'switch',
      el('div', { className: 'controls' }, ...buttons),
      switchNote,
      el(
        'p',
        { className: 'caption' },
        'Every page runs on the backend chosen here (or in the bar above). A backend that cannot start in this browser says why and the previous one stays.',
      ),
    ),
  );

  const model = isShipped(MODEL) ? await loadModel(MODEL) : undefined;
  const digits = await loadDigits();
  if (signal.aborted) return;
  root.append(agreementSection(model, digits), profileSection(model, digits), benchmarkSection(model, digits, signal));
}

async function squareProduct(): Promise<string> {
  const a = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  const p = tf.matMul(a, a);
  const v = await p.data();
  tf.dispose([a, p]);
  return Array.from(v).join(', ');
}

/** A deterministic input in [0, 1) without tf.random (whose kernels differ per backend). */
function fixedValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

/** The computation every backend runs: a conv → relu → pool → matmul → softmax chain, and the CNN on 20 digits. */
async function reference(model: tfl.LayersModel | undefined, x: tf.Tensor4D): Promise<Float32Array> {
  const input = tf.tensor4d(fixedValues(2 * 16 * 16 * 3, 1), [2, 16, 16, 3]);
  const filter = tf.tensor4d(
    fixedValues(3 * 3 * 3 * 8, 2).map((v) => v - 0.5),
    [3, 3, 3, 8],
  );
  const weights = tf.tensor2d(
    fixedValues(7 * 7 * 8 * 10, 3).map((v) => v - 0.5),
    [7 * 7 * 8, 10],
  );
  const chain = tf.tidy(() => {
    const h = tf.maxPool(tf.relu(tf.conv2d(input, filter, 1, 'valid')), 2, 2, 'valid');
    return tf.softmax(tf.matMul(tf.reshape(h, [2, -1]), weights));
  });
  const parts = [await chain.data()];
  tf.dispose([input, filter, weights, chain]);
  if (model) {
    const y = tf.tidy(() => model.predict(x) as tf.Tensor);
    parts.push(await y.data());
    y.dispose();
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Runs `f` on `backend` and switches back; undefined if the backend cannot start. */
async function onBackend<T>(backend: BackendName, f: () => Promise<T>): Promise<T | undefined> {
  const previous = currentBackend();
  if (!(await useBackend(backend))) return undefined;
  try {
    return await f();
  } finally {
    await useBackend(previous);
  }
}

function agreementSection(
  model: tfl.LayersModel | undefined,
  digits: Awaited<ReturnType<typeof loadDigits>>,
): HTMLElement {
  const run = el('button', { id: 'compare' }, 'Compare backends');
  const body = el('tbody');
  const table = el(
    'table',
    { id: 'agreement' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'backend'),
        el('th', {}, 'first outputs'),
        el('th', {}, 'max |Δ| vs cpu'),
        el('th', {}, 'predicted digits'),
      ),
    ),
    body,
  );
  const note = el('p', { className: 'caption', id: 'agreement-note' });
  run.addEventListener('click', async () => {
    run.disabled = true;
    body.replaceChildren();
    const { x, labels } = balancedBatch(digits, 20);
    const results = new Map<BackendName, Float32Array>();
    for (const b of ['cpu', ...BACKENDS.filter((b) => b !== 'cpu')] as BackendName[]) {
      note.textContent = `running on ${b}…`;
      const out = await onBackend(b, () => reference(model, x));
      const cpu = results.get('cpu');
      const row = el('tr', { dataset: { backend: b } });
      if (!out) {
        row.append(el('td', {}, b), el('td', { colSpan: 3 }, `unavailable: ${backendFailure(b) ?? ''}`));
        row.dataset.available = 'false';
      } else {
        results.set(b, out);
        let maxDiff = 0;
        if (cpu) for (let i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - cpu[i]));
        const predicted = model
          ? Array.from({ length: labels.length }, (_, i) => {
              const p = out.subarray(20 + 10 * i, 30 + 10 * i);
              return p.indexOf(Math.max(...p));
            }).join('')
          : '—';
        row.dataset.available = 'true';
        row.dataset.maxDiff = String(maxDiff);
        row.dataset.values = Array.from(out.subarray(0, 4), (v) => v.toFixed(6)).join(',');
        row.dataset.predicted = predicted;
        row.append(
          el('td', {}, b),
          el('td', {}, Array.from(out.subarray(0, 4), (v) => v.toFixed(6)).join(', ')),
          el('td', {}, maxDiff.toExponential(2)),
          el('td', { className: 'digits' }, predicted),
        );
      }
      body.append(row);
    }
    x.dispose();
    note.textContent = `${results.size} backends ran the same conv/relu/pool/matmul/softmax chain${model ? ' and the CNN on 20 test digits (labels ' + Array.from(labels).join('') + ')' : ''}.`;
    run.disabled = false;
  });
  return section(
    'Results agree',
    'agreement-section',
    el(
      'p',
      {},
      'Each backend runs the same fixed computation; the largest difference from plain-JavaScript cpu stays at float32 rounding level.',
    ),
    run,
    table,
    note,
  );
}

function profileSection(
  model: tfl.LayersModel | undefined,
  digits: Awaited<ReturnType<typeof loadDigits>>,
): HTMLElement {
  const run = el('button', { id: 'profile' }, 'Time each op');
  const out = el('div', { id: 'op-timings' });
  run.addEventListener('click', async () => {
    run.disabled = true;
    const { x } = balancedBatch(digits, 64);
    const work = model
      ? () => model.predict(x) as tf.Tensor
      : () => tf.relu(tf.conv2d(x, tf.ones([5, 5, 1, 32]), 1, 'valid'));
    tf.dispose(work()); // warm up (first calls compile shaders / grow memory)
    const profile = await tf.profile(() => work());
    tf.dispose(profile.result as tf.Tensor);
    x.dispose();
    const byName = new Map<string, { count: number; ms: number }>();
    for (const k of profile.kernels) {
      if (k.name.endsWith('__op')) continue; // op scopes wrap the kernels listed separately
      const t = byName.get(k.name) ?? { count: 0, ms: 0 };
      t.count++;
      t.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      byName.set(k.name, t);
    }
    const rows = [...byName].sort((a, b) => b[1].ms - a[1].ms);
    out.replaceChildren(
      el('p', {}, `${model ? 'CNN forward pass' : 'conv2d + relu'} on 64 digits, backend ${currentBackend()}:`),
      el(
        'table',
        {},
        el('tr', {}, el('th', {}, 'kernel'), el('th', {}, 'calls'), el('th', {}, 'ms')),
        ...rows.map(([name, t]) =>
          el(
            'tr',
            { dataset: { kernel: name } },
            el('td', {}, name),
            el('td', {}, String(t.count)),
            el('td', {}, fmt(t.ms, 2)),
          ),
        ),
      ),
    );
    run.disabled = false;
  });
  return section(
    'Per-op timings',
    'profile-section',
    el('p', {}, 'tf.profile on the active backend: time spent in each kernel.'),
    run,
    out,
  );
}

function benchmarkSection(
  model: tfl.LayersModel | undefined,
  digits: Awaited<ReturnType<typeof loadDigits>>,
  signal: AbortSignal,
): HTMLElement {
  const run = el('button', { id: 'bench' }, 'Run mini-benchmark');
  const progress = progressBar('bench-progress');
  const body = el('tbody');
  const ops = ['matMul 256×256', 'conv2d 16×28×28×32 * 5×5×32×64', ...(model ? ['CNN, 64 digits'] : [])];
  const table = el(
    'table',
    { id: 'bench-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'backend'), ...ops.map((o) => el('th', {}, `${o} (ms)`)))),
    body,
  );
  run.addEventListener('click', async () => {
    run.disabled = true;
    body.replaceChildren();
    const { x } = balancedBatch(digits, 64);
    const total = BACKENDS.length * ops.length;
    let done = 0;
    for (const b of BACKENDS) {
      if (signal.aborted) break;
      const times = await onBackend(b, async () => {
        const a = tf.tensor2d(fixedValues(256 * 256, 4), [256, 256]);
        const img = tf.tensor4d(fixedValues(16 * 28 * 28 * 32, 5), [16, 28, 28, 32]);
        const f = tf.tensor4d(fixedValues(5 * 5 * 32 * 64, 6), [5, 5, 32, 64]);
        const work: (() => tf.Tensor)[] = [
          () => tf.matMul(a, a),
          () => tf.conv2d(img, f, 1, 'valid'),
          ...(model ? [() => model.predict(x) as tf.Tensor] : []),
        ];
        const ms: number[] = [];
        for (const w of work) {
          ms.push(await medianMs(w));
          progress.set(++done, total, `${b}: ${ops[ms.length - 1]}`);
        }
        tf.dispose([a, img, f]);
        return ms;
      });
      if (!times) done += ops.length;
      body.append(
        el(
          'tr',
          { dataset: { backend: b } },
          el('td', {}, b),
          ...(times
            ? times.map((t) => el('td', {}, fmt(t, t < 10 ? 2 : 1)))
            : [el('td', { colSpan: ops.length }, 'unavailable')]),
        ),
      );
    }
    x.dispose();
    progress.set(total, total, 'done');
    run.disabled = false;
  });
  return section(
    'Mini-benchmark',
    'bench-section',
    el('p', {}, 'Median of 5 runs after a warm-up, each on a fresh backend switch (your machine, now).'),
    run,
    progress.node,
    table,
  );
}

async function medianMs(work: () => tf.Tensor): Promise<number> {
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const y = work();
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return times[2];
}
