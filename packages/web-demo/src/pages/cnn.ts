// CNN: draw or pick a digit → class probabilities; learned filters; every layer's feature maps
// (pooling included); translation invariance; weight sharing in numbers.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildMlp, convFilters, layerOutputs, modelInputShape, type LayerOutput } from '@lanes/models';
import { digitSource } from '../lib/digit_source';
import { loadDigits, pixelsTensor } from '../lib/digits';

type Digits = Awaited<ReturnType<typeof loadDigits>>;
import { argmax, el, section } from '../lib/dom';
import { shiftDigit } from '../lib/shift';
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
  // Tests (and curious users) can tell which input the bars show: `data-version` counts inputs.
  let input: Float32Array = new Float32Array(784);
  let version = 0;
  const slot = modelSlot(shippedModel);
  const view = inputView(digits, (pixels) => setInput(pixels));
  const translation = translationSection(() => void update());
  const maps = featureMapsSection();
  const modelMessage = messageLine('model-message');
  const learned = learnedSections(slot.current);
  const upload = modelUploadSection(slot, digits, modelMessage, signal, () => {
    learned.refresh(slot.inspected);
    root.dataset.inputVersion = String(++version); // the bars must show the new model's answer
    void update();
  });
  root.append(view.node, upload, translation.node, learned.filters(), maps.node, learned.sharing());

  function setInput(pixels: Float32Array): void {
    input = pixels;
    root.dataset.inputVersion = String(++version);
    void update();
  }
  const update = serialised(
    async () => {
      const shown = version;
      const model = slot.current;
      const p = await translation.predict(model, input, view.show);
      if (signal.aborted) return;
      view.bars.update(p.subarray(0, 10));
      view.bars.node.dataset.version = String(shown);
      const one = pixelsTensor(input);
      // A wrapped upload shows its own layers, fed the same pixels in its own layout.
      const inspected = slot.inspected;
      const probe = inspected === model ? one : tf.reshape(one, [1, ...modelInputShape(inspected).map((d) => d ?? 1)]);
      let outputs: LayerOutput[];
      try {
        outputs = await layerOutputs(inspected, probe);
      } finally {
        tf.dispose([one, probe]);
      }
      if (!signal.aborted) maps.show(outputs);
    },
    (e) =>
      // An uploaded model can still fail at run time (an op this backend lacks…): say so, keep the page.
      modelMessage.error(
        new UploadError(
          `the model failed on this input: ${e instanceof Error ? e.message : String(e)}`,
          'use the shipped model or upload another',
        ),
      ),
    // Models replaced meanwhile are free now: no render uses them any more.
    () => slot.disposeRetired(),
    signal,
  );
  signal.addEventListener('abort', () => slot.leave(update.busy()));
  view.source.pick();
  await update();
}

/**
 * The model in use: the shipped one, or one the user uploaded. Replaced models are retired and
 * disposed once no render uses them (after the current one, or when leaving the page).
 */
function modelSlot(shipped: tfl.LayersModel) {
  let current = shipped;
  // The model whose layers the page shows: `current`, or the one it wraps (a [N, 784] or [N, 28, 28] upload).
  let inspected = shipped;
  let retired: tfl.LayersModel[] = [];
  return {
    shipped,
    get current(): tfl.LayersModel {
      return current;
    },
    get inspected(): tfl.LayersModel {
      return inspected;
    },
    use(next: tfl.LayersModel, inner = next): void {
      if (current !== shipped) retired.push(current);
      current = next;
      inspected = inner;
    },
    disposeRetired(): void {
      retired.forEach((m) => m.dispose());
      retired = [];
    },
    /** Leaving the page: an uploaded model is retired too, and freed now unless a render runs. */
    leave(busy: boolean): void {
      if (current !== shipped) retired.push(current);
      if (!busy) this.disposeRetired();
    },
  };
}
type ModelSlot = ReturnType<typeof modelSlot>;

/**
 * `run` made safe to call at any time: calls during a run are folded into one more run after it
 * (until `signal` aborts); `onError` gets a run's failure, `after` runs when the queue is empty.
 */
function serialised(
  run: () => Promise<void>,
  onError: (e: unknown) => void,
  after: () => void,
  signal: AbortSignal,
): (() => Promise<void>) & { busy(): boolean } {
  let busy = false;
  let again = false;
  const update = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await run();
      } while (again && !signal.aborted);
    } catch (e) {
      onError(e);
      console.warn(e);
    } finally {
      busy = false;
      after();
    }
  };
  return Object.assign(update, { busy: () => busy });
}

/** The digit chooser (draw, pick, upload), the model input and its class probabilities. */
function inputView(digits: Digits, onInput: (pixels: Float32Array) => void) {
  const bars = probabilityBars('cnn-probs');
  const canvas = imageCanvas(new Float32Array(784), 28, 28, {
    scale: 4,
    id: 'cnn-input',
    title: 'model input (28×28)',
  });
  const source = digitSource(digits, (d) => onInput(d.pixels));
  const upload = digitUpload((d) => {
    source.show(d.pixels, `uploaded “${d.name}”`);
    onInput(d.pixels);
  }, source.node);
  const node = el(
    'div',
    { className: 'columns' },
    el('div', {}, source.node, upload),
    el(
      'div',
      {},
      el('div', { className: 'row' }, canvas, el('span', { className: 'caption' }, 'model input')),
      bars.node,
    ),
  );
  return { node, bars, source, show: (pixels: Float32Array) => paint(canvas, pixels, 28, 28) };
}

/** Translation invariance: a shifted copy of the input and the classes of a sweep of shifts. */
function translationSection(onShift: () => void) {
  const shiftX = el('input', { type: 'range', min: '-8', max: '8', value: '0', id: 'shift-x' });
  const shiftY = el('input', { type: 'range', min: '-8', max: '8', value: '0', id: 'shift-y' });
  const shiftedView = imageCanvas(new Float32Array(784), 28, 28, { scale: 3, id: 'cnn-shifted' });
  const shiftedPrediction = el('span', { id: 'shifted-prediction' });
  const invariance = el('p', { id: 'invariance' });
  const shiftRow = el('div', { className: 'shift-row', id: 'shift-row' });
  shiftX.addEventListener('input', onShift);
  shiftY.addEventListener('input', onShift);
  const node = section(
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
  );

  /** Classifies the input, its (x, y) shift and the sweep in one batch; shows the shifts; returns all probabilities. */
  async function predict(
    model: tfl.LayersModel,
    input: Float32Array,
    showInput: (pixels: Float32Array) => void,
  ): Promise<Float32Array> {
    showInput(input);
    const dx = Number(shiftX.value),
      dy = Number(shiftY.value);
    const shifted = shiftDigit(input, dx, dy);
    paint(shiftedView, shifted, 28, 28);
    const batch = new Float32Array(784 * (2 + SHIFTS.length));
    batch.set(input, 0);
    batch.set(shifted, 784);
    SHIFTS.forEach((s, k) => batch.set(shiftDigit(input, s, 0), 784 * (2 + k)));
    const x = pixelsTensor(batch);
    const y = model.predict(x) as tf.Tensor;
    const p = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    const shiftedClass = argmax(p.subarray(10, 20));
    shiftedPrediction.textContent = `shifted (${dx}, ${dy}) px → ${shiftedClass} (${(100 * p[10 + shiftedClass]).toFixed(1)} %)`;
    showSweep(p);
    return p;
  }

  function showSweep(p: Float32Array): void {
    const base = argmax(p.subarray(0, 10));
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
  }

  return { node, predict };
}

/** Every layer's feature maps. */
function featureMapsSection() {
  const maps = el('div', { id: 'feature-maps' });
  const node = section(
    'Feature maps of every layer',
    'layers',
    el(
      'p',
      {},
      `The first ${MAPS_PER_LAYER} channels of each image layer (each map scaled to its own range); max pooling keeps the largest value of every 2×2 window, halving width and height.`,
    ),
    maps,
  );
  return { node, show: (outputs: LayerOutput[]) => maps.replaceChildren(...outputs.map(layerView)) };
}

/** The sections that depend on the model's weights (filters, parameter counts), rebuilt when it changes. */
function learnedSections(model: tfl.LayersModel) {
  let filters = filtersSection(model);
  let sharing = weightSharingSection(model);
  return {
    filters: () => filters,
    sharing: () => sharing,
    refresh(next: tfl.LayersModel): void {
      const f = filtersSection(next),
        s = weightSharingSection(next);
      filters.replaceWith(f);
      sharing.replaceWith(s);
      filters = f;
      sharing = s;
    },
  };
}

/** Loading a user's model: files in, checks, accuracy, swap; any failure keeps the current model. */
function modelUploadSection(
  slot: ModelSlot,
  digits: Digits,
  message: ReturnType<typeof messageLine>,
  signal: AbortSignal,
  onChange: () => void,
): HTMLElement {
  const reset = el('button', { id: 'model-reset', disabled: true }, 'Use the shipped model');
  const current = el('span', { id: 'model-name', dataset: { model: MODEL } }, `shipped ${MODEL}`);
  const use = (next: tfl.LayersModel, name: string, inner = next): void => {
    slot.use(next, inner);
    current.textContent = name;
    current.dataset.model = next === slot.shipped ? MODEL : 'uploaded';
    reset.disabled = next === slot.shipped;
    onChange();
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
    use(slot.shipped, `shipped ${MODEL}`);
    delete current.dataset.accuracy;
    message.clear();
  });
  const node = section(
    'Your own model',
    'own-model',
    el(
      'p',
      {},
      'Load a classifier saved by Keras (one .keras or .h5 file, e.g. model.save("model.keras")) or by tfjs (model.json and its weights file, chosen together; e.g. `lanes train mnist-cnn --out DIR` writes them). It must take [N, 28, 28, 1] with pixels in [0, 1] (x / 255) and give [N, 10].',
    ),
    el('div', { className: 'controls' }, el('label', {}, 'model files ', input), reset, ' in use: ', current),
    el('p', { className: 'caption' }, 'Or drop the file(s) on this section.'),
    message.node,
  );
  acceptDrops(node, take);
  return node;
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
