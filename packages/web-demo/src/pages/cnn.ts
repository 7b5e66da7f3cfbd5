// CNN: draw or pick a digit → class probabilities; learned filters; every layer's feature maps
// (pooling included); translation invariance; weight sharing in numbers.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildMlp, convFilters, layerOutputs, modelInputShape, type LayerOutput } from '@lanes/models';
import { digitSource } from '../lib/digit_source';
import { loadDigits, pixelsTensor } from '../lib/digits';
import { argmax, el, section } from '../lib/dom';
import { shiftDigit } from '../lib/mnist_centre';
import { isShipped, loadModel, missingModel } from '../lib/pretrained';
import {
  acceptDrops,
  accuracyOf,
  describeUpload,
  digitUpload,
  messageLine,
  modelChooser,
  UploadError,
} from '../lib/upload';
import { imageCanvas, paint, probabilityBars } from '../lib/render';

const MODEL = 'mnist-cnn';
const SHIFTS = Array.from({ length: 17 }, (_, i) => i - 8);
const MAPS_PER_LAYER = 8;

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  root.append(
    el('h1', {}, 'Convolutional network'),
    el(
      'p',
      {},
      'Draw a digit (mouse or finger), pick one of the MNIST test digits or upload a picture. The digit is scaled to 20×20 and centred by its centre of mass in 28×28, as MNIST was made.',
    ),
  );
  if (!isShipped(MODEL)) {
    root.append(missingModel(MODEL, 'This page'));
    return;
  }
  const [shippedModel, digits] = await Promise.all([loadModel(MODEL), loadDigits()]);
  if (signal.aborted) return;
  // The model in use: the shipped one, or one the user uploaded (disposed when replaced or when
  // leaving the page, after any render that may still use it).
  let model = shippedModel;
  // The model whose layers the page shows: `model`, or the one it wraps (a [N, 784] or [N, 28, 28] upload).
  let inspected = shippedModel;
  let retired: tfl.LayersModel[] = [];
  signal.addEventListener('abort', () => {
    if (model !== shippedModel) retired.push(model);
    if (!busy) disposeRetired();
  });
  function disposeRetired(): void {
    retired.forEach((m) => m.dispose());
    retired = [];
  }

  let input: Float32Array = new Float32Array(784);
  const bars = probabilityBars('cnn-probs');
  const inputView = imageCanvas(input, 28, 28, { scale: 4, id: 'cnn-input', title: 'model input (28×28)' });
  const source = digitSource(digits, (d) => setInput(d.pixels));
  const upload = digitUpload((d) => {
    source.show(d.pixels, `uploaded “${d.name}”`);
    setInput(d.pixels);
  }, source.node);
  const modelMessage = messageLine('model-message');
  const modelSection = modelUpload();
  const shiftX = el('input', { type: 'range', min: '-8', max: '8', value: '0', id: 'shift-x' });
  const shiftY = el('input', { type: 'range', min: '-8', max: '8', value: '0', id: 'shift-y' });
  const shiftedView = imageCanvas(input, 28, 28, { scale: 3, id: 'cnn-shifted' });
  const shiftedPrediction = el('span', { id: 'shifted-prediction' });
  const invariance = el('p', { id: 'invariance' });
  const shiftRow = el('div', { className: 'shift-row', id: 'shift-row' });
  shiftX.addEventListener('input', () => void update());
  shiftY.addEventListener('input', () => void update());

  const maps = el('div', { id: 'feature-maps' });
  let filters = filtersSection(model);
  let sharing = weightSharingSection(model);
  root.append(
    el(
      'div',
      { className: 'columns' },
      el('div', {}, source.node, upload),
      el(
        'div',
        {},
        el('div', { className: 'row' }, inputView, el('span', { className: 'caption' }, 'model input')),
        bars.node,
      ),
    ),
    modelSection,
    section(
      'Translation invariance',
      'translation',
      el(
        'p',
        {},
        'Convolutions slide the same filters everywhere and pooling forgets small offsets, so a shifted digit keeps its class — up to a point.',
      ),
      el('div', { className: 'controls' }, 'x ', shiftX, ' y ', shiftY),
      el('div', { className: 'row' }, shiftedView, shiftedPrediction),
      el('p', { className: 'caption' }, 'Prediction for horizontal shifts −8 … +8 px:'),
      shiftRow,
      invariance,
    ),
    filters,
    section(
      'Feature maps of every layer',
      'layers',
      el(
        'p',
        {},
        `The first ${MAPS_PER_LAYER} channels of each image layer (each map scaled to its own range); max pooling keeps the largest value of every 2×2 window, halving width and height.`,
      ),
      maps,
    ),
    sharing,
  );

  let busy = false;
  let again = false;
  async function update(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await render();
      } while (again && !signal.aborted);
    } catch (e) {
      // An uploaded model can still fail at run time (an op this backend lacks…): say so, keep the page.
      modelMessage.error(
        new UploadError(
          `the model failed on this input: ${e instanceof Error ? e.message : String(e)}`,
          'use the shipped model or upload another',
        ),
      );
      console.warn(e);
    } finally {
      busy = false;
      // Models replaced meanwhile are free now: no render uses them any more.
      disposeRetired();
    }
  }

  /** Loading a user's model: files in, checks, swap; any failure keeps the current model. */
  function modelUpload(): HTMLElement {
    const reset = el('button', { id: 'model-reset', disabled: true }, 'Use the shipped model');
    const current = el('span', { id: 'model-name', dataset: { model: MODEL } }, `shipped ${MODEL}`);
    const message = modelMessage;
    const use = (next: tfl.LayersModel, name: string, inner = next): void => {
      if (model !== shippedModel) retired.push(model);
      model = next;
      current.textContent = name;
      current.dataset.model = next === shippedModel ? MODEL : 'uploaded';
      reset.disabled = next === shippedModel;
      inspected = inner;
      const f = filtersSection(inspected),
        s = weightSharingSection(inspected);
      filters.replaceWith(f);
      sharing.replaceWith(s);
      filters = f;
      sharing = s;
      root.dataset.inputVersion = String(++version); // the bars must show the new model's answer
      void update();
    };
    const { input, take } = modelChooser({
      id: 'model-upload',
      message,
      signal,
      prepare: (up) => accuracyOf(up.model, digits),
      use: (up, score, files) => {
        use(up.model, `uploaded ${up.name} (${up.model.countParams().toLocaleString('en')} parameters)`, up.inner);
        current.dataset.accuracy = String(score.accuracy);
        return `Using the uploaded model: ${describeUpload(up, files.length)}, input [N, 28, 28, 1] → [N, 10]; ${score.text}.`;
      },
    });
    reset.addEventListener('click', () => {
      use(shippedModel, `shipped ${MODEL}`);
      delete current.dataset.accuracy;
      message.clear();
    });
    const node = section(
      'Your own model',
      'own-model',
      el(
        'p',
        {},
        'Load a classifier saved by Keras (one .keras or .h5 file, e.g. model.save("model.keras")) or by tfjs (model.json and its weights file, chosen together; e.g. `lanes train cnn --out DIR` writes them). It must take [N, 28, 28, 1] with pixels in [0, 1] (x / 255) and give [N, 10].',
      ),
      el('div', { className: 'controls' }, el('label', {}, 'model files ', input), reset, ' in use: ', current),
      el('p', { className: 'caption' }, 'Or drop the file(s) on this section.'),
      message.node,
    );
    acceptDrops(node, take);
    return node;
  }

  // Tests (and curious users) can tell which input the bars show: `data-version` counts inputs.
  let version = 0;
  function setInput(pixels: Float32Array): void {
    input = pixels;
    root.dataset.inputVersion = String(++version);
    void update();
  }

  async function render(): Promise<void> {
    const shown = version;
    paint(inputView, input, 28, 28);
    const dx = Number(shiftX.value),
      dy = Number(shiftY.value);
    const shifted = shiftDigit(input, dx, dy);
    paint(shiftedView, shifted, 28, 28);
    // One batch: the input, the (dx, dy) shift, and the horizontal shift sweep.
    const batch = new Float32Array(784 * (2 + SHIFTS.length));
    batch.set(input, 0);
    batch.set(shifted, 784);
    SHIFTS.forEach((s, k) => batch.set(shiftDigit(input, s, 0), 784 * (2 + k)));
    const x = pixelsTensor(batch);
    const y = model.predict(x) as tf.Tensor;
    const p = await y.data();
    tf.dispose([x, y]);
    if (signal.aborted) return;
    const probs = p.subarray(0, 10);
    bars.update(probs);
    bars.node.dataset.version = String(shown);
    const shiftedClass = argmax(p.subarray(10, 20));
    shiftedPrediction.textContent = `shifted (${dx}, ${dy}) px → ${shiftedClass} (${(100 * p[10 + shiftedClass]).toFixed(1)} %)`;
    const base = argmax(probs);
    const classes = SHIFTS.map((_, k) => argmax(p.subarray(20 + 10 * k, 30 + 10 * k)));
    shiftRow.replaceChildren(
      ...SHIFTS.map((s, k) =>
        el('span', { className: classes[k] === base ? 'same' : 'changed', title: `${s} px` }, String(classes[k])),
      ),
    );
    let lo = 8,
      hi = 8;
    while (lo > 0 && classes[lo - 1] === base) lo--;
    while (hi < SHIFTS.length - 1 && classes[hi + 1] === base) hi++;
    invariance.textContent = `Predicted ${base} for every shift from ${SHIFTS[lo]} to +${SHIFTS[hi]} px.`;
    invariance.dataset.from = String(SHIFTS[lo]);
    invariance.dataset.to = String(SHIFTS[hi]);

    const one = pixelsTensor(input);
    // A wrapped upload shows its own layers, fed the same pixels in its own layout.
    const probe = inspected === model ? one : tf.reshape(one, [1, ...modelInputShape(inspected).map((d) => d ?? 1)]);
    let outputs: LayerOutput[];
    try {
      outputs = await layerOutputs(inspected, probe);
    } finally {
      tf.dispose([one, probe]);
    }
    if (!signal.aborted) maps.replaceChildren(...outputs.map(layerView));
  }

  source.pick();
  await update();
}

/** One layer's output: image layers as feature maps, vectors as a strip. */
function layerView(o: LayerOutput): HTMLElement {
  const shape = o.shape.slice(1);
  const head = el('h3', {}, `${o.name} `, el('small', {}, `${o.className} → ${shape.join('×')}`));
  if (shape.length === 3) {
    const [h, w, c] = shape;
    const shown = Math.min(c, MAPS_PER_LAYER);
    const scale = Math.max(1, Math.round(56 / h));
    const canvases = Array.from({ length: shown }, (_, k) =>
      imageCanvas(o.values, w, h, { scale, normalise: true, title: `channel ${k}` }, c, k),
    );
    return el(
      'div',
      { className: 'layer', dataset: { layer: o.name } },
      head,
      el('div', { className: 'maps' }, ...canvases),
    );
  }
  const n = shape[0];
  const cols = Math.min(n, 64);
  const strip = imageCanvas(o.values, cols, Math.ceil(n / cols), { scale: 6, normalise: true });
  return el('div', { className: 'layer', dataset: { layer: o.name } }, head, strip);
}

function filtersSection(model: tfl.LayersModel): HTMLElement {
  const parts = convFilters(model).map((f) => {
    const [kh, kw, cin, cout] = f.shape;
    const shown = Math.min(cout, cin === 1 ? 32 : 16);
    const canvases = Array.from({ length: shown }, (_, k) =>
      imageCanvas(
        f.values,
        kw,
        kh,
        { scale: 6, colors: 'diverging', title: `filter ${k}${cin > 1 ? ', input channel 0' : ''}` },
        cin * cout,
        k,
      ),
    );
    return el(
      'div',
      { className: 'layer' },
      el(
        'h3',
        {},
        `${f.name} `,
        el(
          'small',
          {},
          `${kh}×${kw}, ${cin} → ${cout} channels${cin > 1 ? ` (input channel 0 of the first ${shown})` : ''}`,
        ),
      ),
      el('div', { className: 'maps' }, ...canvases),
    );
  });
  return section(
    'Learned filters',
    'filters',
    el('p', {}, 'Red weights add, blue ones subtract: the first layer learns stroke and edge detectors.'),
    ...parts,
  );
}

function weightSharingSection(model: tfl.LayersModel): HTMLElement {
  const mlp = buildMlp();
  const mlpParams = mlp.countParams();
  mlp.dispose();
  const cnnParams = model.countParams();
  const conv = model.layers
    .filter((l) => l.getClassName() === 'Conv2D')
    .map((l) => `${l.name}: ${l.countParams().toLocaleString('en')}`)
    .join(', ');
  return section(
    'Weight sharing',
    'params',
    el(
      'table',
      { id: 'param-counts' },
      el('tr', {}, el('th', {}, 'model'), el('th', {}, 'parameters')),
      el('tr', {}, el('td', {}, 'this CNN'), el('td', { id: 'cnn-params' }, cnnParams.toLocaleString('en'))),
      el(
        'tr',
        {},
        el('td', {}, 'MLP 784 → 512 → 256 → 10'),
        el('td', { id: 'mlp-params' }, mlpParams.toLocaleString('en')),
      ),
    ),
    el(
      'p',
      {},
      `The convolutions reuse each small filter at every position (${conv}), so they see the whole image with few weights; most of the CNN's parameters sit in its dense layer.`,
    ),
  );
}
