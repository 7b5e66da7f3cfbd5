// GAN: samples of the shipped DCGAN generator, a walk through its latent space, and a small GAN
// trained live from scratch with its loss / D-accuracy curves and class coverage.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  buildDcganDiscriminator,
  buildDcganGenerator,
  evaluateGenerator,
  GanTrainer,
  generateImages,
  generatorCodesOf,
  imagesToTensor,
  interpolateLatent,
  latentDimOf,
  Rng,
  sampleLatent,
  sampleLatentPerCode,
  sampleLatentWithCode,
  type ImageSet,
  type Logs,
} from '@lanes/models';
import { histogram, lineChart } from '../lib/chart';
import { loadDigits } from '../lib/digits';
import { argmax, el, fmt, pct, progressBar, section } from '../lib/dom';
import { isShipped, loadModel, missingModel } from '../lib/pretrained';
import { gridCanvas } from '../lib/render';
import { acceptDrops, describeUpload, generatorCheck, messageLine, modelChooser } from '../lib/upload';

const GENERATOR = 'mnist-dcgan-generator';
const CLASSIFIER = 'mnist-cnn';
const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const STEPS_PER_RUN = 20;
const BATCH = 32;
/** Where the live networks are kept: the browser's IndexedDB (tf.io's 'indexeddb://' handler). */
const SAVED_G = 'indexeddb://lanes-live-generator';
const SAVED_D = 'indexeddb://lanes-live-discriminator';

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  root.append(
    el('h1', {}, 'Generative adversarial network'),
    el(
      'p',
      {},
      'A generator turns random vectors into images; a discriminator tries to tell them from real digits; each learns from the other.',
    ),
  );
  const digits = await loadDigits();
  const classifier = isShipped(CLASSIFIER) ? await loadModel(CLASSIFIER) : undefined;
  const generator = isShipped(GENERATOR) ? await loadModel(GENERATOR) : undefined;
  if (signal.aborted) return;
  if (generator) {
    const { codes, codeClasses } = generatorCodesOf(generator);
    root.append(await samplesSection(generator, classifier, digits));
    if (codes > 0) root.append(await codesSection(generator, codes, codeClasses, classifier));
    root.append(await interpolationSection(generator, codes));
  } else {
    root.append(section('Samples of the trained generator', 'samples', missingModel(GENERATOR, 'This section')));
  }
  root.append(generatorUpload(classifier, signal));
  root.append(liveSection(classifier, digits, signal));
}

/** Layers that move values without changing them, looked through to find a generator's last activation. */
const SHAPE_ONLY = new Set(['Reshape', 'Permute', 'Cropping2D', 'ZeroPadding2D', 'UpSampling2D']);

/** Whether a generator ends in tanh (outputs in [-1, 1], as most Keras DCGANs), by its last layers' configs. */
function endsInTanh(generator: tfl.LayersModel): boolean {
  const last = [...generator.layers].reverse().find((l) => !SHAPE_ONLY.has(l.getClassName()));
  return last?.getConfig().activation === 'tanh';
}

/** The user's own generator (a Keras .keras / .h5 file or a tfjs model): 32 samples, and how the CNN reads them. */
function generatorUpload(classifier: tfl.LayersModel | undefined, signal: AbortSignal): HTMLElement {
  const message = messageLine('generator-message');
  const holder = el('div', { id: 'generator-samples' });
  let current: tfl.LayersModel | undefined;
  signal.addEventListener('abort', () => current?.dispose());
  const { input, take } = modelChooser({
    id: 'generator-upload',
    message,
    signal,
    want: generatorCheck,
    prepare: async (up) => {
      const tanh = endsInTanh(up.model);
      return { tanh, shown: await samplesOf(up.model, tanh, classifier) };
    },
    use: (up, { tanh, shown }, files) => {
      current?.dispose();
      current = up.model;
      holder.replaceChildren(...shown);
      return `Using the uploaded generator: ${describeUpload(up, files.length)}, latent [N, ${latentDimOf(up.model)}] → [N, 28, 28, 1]${tanh ? '; its tanh outputs in [−1, 1] are shown as (x + 1) / 2' : ''}.`;
    },
  });
  const node = section(
    'Your own generator',
    'own-generator',
    el(
      'p',
      {},
      'Load a generator saved by Keras (one .keras or .h5 file) or by tfjs (model.json and its weights, chosen together; `lanes train mnist-dcgan-generator --out DIR` writes them), or drop it on this section. It must take [N, d] latent vectors (drawn here from a standard normal) and give [N, 28, 28, 1] images.',
    ),
    el('div', { className: 'controls' }, el('label', {}, 'generator files ', input)),
    message.node,
    holder,
  );
  acceptDrops(node, take);
  return node;
}

/** 32 samples of `generator` as a grid, and the CNN's class histogram of them. */
async function samplesOf(
  generator: tfl.LayersModel,
  tanh: boolean,
  classifier: tfl.LayersModel | undefined,
): Promise<HTMLElement[]> {
  const n = 32;
  const images = tf.tidy(() => {
    const y = generator.predict(sampleLatent(n, latentDimOf(generator), 0)) as tf.Tensor;
    return tanh ? tf.div(tf.add(y, 1), 2) : y;
  });
  try {
    const grid = await gridOf(images, 8, 'generator-grid', 3);
    if (!classifier) return [grid];
    const probs = tf.tidy(() => classifier.predict(tf.clipByValue(images, 0, 1)) as tf.Tensor);
    const p = (await probs.data()) as Float32Array;
    probs.dispose();
    const counts = new Array<number>(10).fill(0);
    let confident = 0;
    for (let i = 0; i < n; i++) {
      const row = p.subarray(10 * i, 10 * i + 10);
      const c = argmax(row);
      counts[c]++;
      if (row[c] >= 0.9) confident++;
    }
    const hist = histogram('generator-coverage', DIGIT_LABELS);
    hist.update(counts.map((k) => k / n));
    hist.node.dataset.classesCovered = String(counts.filter((k) => k > 0).length);
    hist.node.dataset.confidentShare = String(confident / n);
    return [
      grid,
      hist.node,
      el(
        'p',
        { className: 'caption' },
        `${n} samples as the CNN classifies them: ${counts.filter((k) => k > 0).length} of 10 classes present, ${pct(confident / n)} classified with ≥ 90 % confidence.`,
      ),
    ];
  } finally {
    images.dispose();
  }
}

async function gridOf(images: tf.Tensor, cols: number, id: string, scale = 2): Promise<HTMLCanvasElement> {
  const pixels = (await images.data()) as Float32Array;
  return gridCanvas(pixels, images.shape[0], cols, 28, scale, id);
}

/** Class histogram, confident share and Fréchet distance of `generator`'s samples, judged by the CNN. */
async function coverage(
  generator: tfl.LayersModel,
  classifier: tfl.LayersModel,
  digits: ImageSet,
  samples: number,
  id: string,
): Promise<HTMLElement> {
  const e = await evaluateGenerator(generator, classifier, digits, { samples, seed: 1 });
  const hist = histogram(id, DIGIT_LABELS);
  hist.update(e.classHistogram);
  hist.node.dataset.classesCovered = String(e.classesCovered);
  hist.node.dataset.confidentShare = String(e.confidentShare);
  return el(
    'div',
    {},
    hist.node,
    el(
      'p',
      { className: 'caption' },
      `${samples} samples as the CNN classifies them: ${e.classesCovered} of 10 classes present, ${pct(e.confidentShare)} classified with ≥ 90 % confidence; ` +
        `Fréchet distance ${fmt(e.frechetDistance, 1)} (two real sets of the same size: ${fmt(e.frechetRealBaseline, 1)}). An empty class is mode collapse.`,
    ),
  );
}

async function samplesSection(
  generator: tfl.LayersModel,
  classifier: tfl.LayersModel | undefined,
  digits: ImageSet,
): Promise<HTMLElement> {
  let seed = 0;
  const holder = el('div', {});
  const again = el('button', { id: 'gan-resample' }, 'New samples');
  const draw = async (): Promise<void> => {
    const images = generateImages(generator, 64, seed);
    const grid = await gridOf(images, 8, 'gan-grid', 3);
    grid.dataset.seed = String(seed);
    const mean = (await tf.mean(images).data())[0];
    grid.dataset.mean = String(mean);
    images.dispose();
    holder.replaceChildren(grid);
  };
  again.addEventListener('click', () => {
    seed++;
    void draw();
  });
  await draw();
  const judged = classifier
    ? await coverage(generator, classifier, digits, 200, 'gan-coverage')
    : missingModel(CLASSIFIER, 'Class coverage');
  return section(
    'Samples of the trained generator',
    'samples',
    el('div', { className: 'controls' }, again),
    holder,
    el('h3', {}, 'Class coverage'),
    judged,
  );
}

/** One row per latent code: the modes an InfoGAN generator found without labels, or the classes an AC-GAN was given. */
async function codesSection(
  generator: tfl.LayersModel,
  codes: number,
  codeClasses?: readonly string[],
  classifier?: tfl.LayersModel,
): Promise<HTMLElement> {
  const d = latentDimOf(generator);
  const images = tf.tidy(() => generator.predict(sampleLatentPerCode(8, d, codes, 7)) as tf.Tensor);
  const grid = await gridOf(images, 8, 'gan-codes', 2);
  grid.dataset.codes = String(codes);
  images.dispose();
  const cut = `The generator's first latent coordinate is cut into ${codes} equally likely intervals, its code. `;
  const text = codeClasses
    ? cut +
      'In training, the discriminator also had to name the digit of each real image and the code of each fake, and the generator to make that easy ' +
      `(AC-GAN: the labels supervise the codes). So the rows, one code each, draw the digits ${codeClasses.join(', ')} in order, ` +
      'while the rest of the latent picks the handwriting.'
    : cut +
      'In training, the discriminator also had to tell which code a fake came from, and the generator to make that easy ' +
      '(InfoGAN: it maximises the information the image carries about the code). Nobody told it about digits, yet each row, one code, became one kind of digit or handwriting.';
  const title = codeClasses ? 'Latent codes: one per digit (AC-GAN)' : 'Latent codes (InfoGAN)';
  if (!codeClasses) return section(title, 'codes', el('p', {}, text), grid);
  return section(
    title,
    'codes',
    el('p', {}, text),
    grid,
    el('h3', {}, 'Draw one digit'),
    await digitPicker(generator, codes, codeClasses, classifier),
  );
}

/** 16 samples of the chosen class of an AC-GAN generator, and how many of them the CNN reads as that class. */
async function digitPicker(
  generator: tfl.LayersModel,
  codes: number,
  codeClasses: readonly string[],
  classifier?: tfl.LayersModel,
): Promise<HTMLElement> {
  const d = latentDimOf(generator);
  const pick = el('select', { id: 'gan-digit-pick' }, ...codeClasses.map((c) => el('option', { value: c }, c)));
  let seed = 0;
  const again = el('button', { id: 'gan-digit-again' }, 'Other samples');
  const holder = el('div', {});
  const draw = async (): Promise<void> => {
    const code = codeClasses.indexOf(pick.value);
    const images = tf.tidy(
      () => generator.predict(sampleLatentWithCode(16, d, codes, code, 1000 * seed + code)) as tf.Tensor,
    );
    const grid = await gridOf(images, 8, 'gan-digit', 3);
    grid.dataset.digit = pick.value;
    let verdict: HTMLElement = el('p', { className: 'caption' }, `16 samples of code ${code}.`);
    if (classifier) {
      const read = tf.tidy(() => tf.argMax(classifier.predict(images) as tf.Tensor, 1));
      const agree = Array.from(await read.data()).filter((k) => DIGIT_LABELS[k] === pick.value).length;
      read.dispose();
      grid.dataset.agree = String(agree);
      verdict = el(
        'p',
        { className: 'caption' },
        `16 samples of code ${code}: the CNN reads ${agree} of them as ${pick.value}.`,
      );
    }
    images.dispose();
    holder.replaceChildren(grid, verdict);
  };
  pick.addEventListener('change', () => void draw());
  again.addEventListener('click', () => {
    seed++;
    void draw();
  });
  await draw();
  return el('div', {}, el('div', { className: 'controls' }, 'digit ', pick, ' ', again), holder);
}

async function interpolationSection(generator: tfl.LayersModel, codes: number): Promise<HTMLElement> {
  const d = latentDimOf(generator);
  const seedA = el('input', { type: 'number', id: 'interp-a', value: '3', min: '0' });
  const seedB = el('input', { type: 'number', id: 'interp-b', value: '11', min: '0' });
  const holder = el('div', {});
  const draw = async (): Promise<void> => {
    const a = sampleLatent(1, d, Number(seedA.value) || 0);
    const b = sampleLatent(1, d, Number(seedB.value) || 0);
    // With codes, z₀ (the code) stays the start's, so the walk stays within one mode.
    const path = interpolateLatent(await a.data(), await b.data(), 10, codes > 0 ? 1 : 0);
    const images = tf.tidy(() => generator.predict(path) as tf.Tensor);
    holder.replaceChildren(await gridOf(images, 10, 'gan-interpolation', 3));
    tf.dispose([a, b, path, images]);
  };
  seedA.addEventListener('change', () => void draw());
  seedB.addEventListener('change', () => void draw());
  await draw();
  return section(
    'Latent-space interpolation',
    'interpolation',
    el(
      'p',
      {},
      'Ten points on the great circle between two random latent vectors: the digit morphs smoothly, so the generator has learned a continuous space rather than memorised images.' +
        (codes > 0 ? ' The first coordinate, which carries the code, stays that of the first vector.' : ''),
    ),
    el('div', { className: 'controls' }, 'from seed ', seedA, ' to seed ', seedB),
    holder,
  );
}

function liveSection(classifier: tfl.LayersModel | undefined, digits: ImageSet, signal: AbortSignal): HTMLElement {
  const generator = buildDcganGenerator({ filters: 16, seed: 1 });
  const discriminator = buildDcganDiscriminator({ filters: 16, seed: 2 });
  const trainer = new GanTrainer(generator, discriminator, { seed: 3 });
  const order = new Rng(4);
  const history: Logs[] = [];
  const perRun = el('input', {
    type: 'number',
    id: 'gan-steps-per-run',
    min: '1',
    max: '500',
    value: String(STEPS_PER_RUN),
  });
  const run = el('button', { id: 'gan-train' }, 'Train');
  const progress = progressBar('gan-progress');
  const stepCount = el('span', { id: 'gan-steps' }, '0');
  const losses = lineChart(
    'gan-losses',
    'step',
    [
      { label: 'D loss', stroke: '#e76f51' },
      { label: 'G loss', stroke: '#264653' },
    ],
    180,
  );
  const accuracy = lineChart(
    'gan-accuracy',
    'step',
    [
      { label: 'D acc (real)', stroke: '#2a9d8f', dash: [5, 3] },
      { label: 'D acc (fake)', stroke: '#e9c46a', dash: [5, 3] },
      { label: 'D acc', stroke: '#14213d' },
    ],
    180,
  );
  const samples = el('div', { id: 'gan-live-samples' });
  const cover = el('div', { id: 'gan-live-coverage-holder' });
  const fixedZ = sampleLatent(16, latentDimOf(generator), 99);

  const showSamples = async (): Promise<void> => {
    const images = tf.tidy(() => generator.predict(fixedZ) as tf.Tensor);
    const grid = await gridOf(images, 8, 'gan-live-grid', 3);
    grid.dataset.mean = String((await tf.mean(images).data())[0]);
    samples.replaceChildren(grid);
    images.dispose();
    if (classifier) cover.replaceChildren(await coverage(generator, classifier, digits, 100, 'gan-live-coverage'));
  };
  run.addEventListener('click', async () => {
    run.disabled = true;
    const steps = Math.min(500, Math.max(1, Number(perRun.value) || STEPS_PER_RUN));
    for (let s = 0; s < steps && !signal.aborted; s++) {
      const idx = order.permutation(digits.count).subarray(0, BATCH);
      const real = imagesToTensor(digits, idx);
      const logs = await trainer.step(real);
      real.dispose();
      history.push(logs);
      stepCount.textContent = String(history.length);
      progress.set(
        s + 1,
        steps,
        `step ${history.length}: D loss ${fmt(logs.dLoss)}, G loss ${fmt(logs.gLoss)}, D accuracy ${pct(logs.dAcc)}`,
      );
      const x = history.map((_, i) => i + 1);
      losses.set([x, history.map((h) => h.dLoss), history.map((h) => h.gLoss)]);
      accuracy.set([x, history.map((h) => h.dAccReal), history.map((h) => h.dAccFake), history.map((h) => h.dAcc)]);
    }
    if (!signal.aborted) await showSamples();
    run.disabled = false;
    run.dataset.done = String(history.length);
  });
  const save = el('button', { id: 'gan-save' }, 'Save in this browser');
  const load = el('button', { id: 'gan-load' }, 'Load saved');
  const download = el('button', { id: 'gan-download' }, 'Download generator');
  const store = el(
    'p',
    { id: 'gan-store', className: 'caption' },
    'Both networks can be kept in this browser (IndexedDB) and loaded again after a reload; the generator also downloads as a tfjs model (lanes-live-generator.json and its weights) for tf.loadLayersModel.',
  );
  const busy = async (what: () => Promise<string>): Promise<void> => {
    for (const b of [run, save, load, download]) b.disabled = true;
    try {
      store.textContent = await what();
      store.dataset.state = 'ok';
    } catch (e) {
      store.textContent = `${e instanceof Error ? e.message : String(e)}`;
      store.dataset.state = 'error';
    } finally {
      for (const b of [run, save, load, download]) b.disabled = false;
    }
  };
  save.addEventListener(
    'click',
    () =>
      void busy(async () => {
        generator.setUserDefinedMetadata({ liveSteps: history.length });
        await generator.save(SAVED_G);
        await discriminator.save(SAVED_D);
        return `Saved both networks after ${history.length} steps in this browser (not the optimisers' moments: training resumes with fresh Adam statistics).`;
      }),
  );
  load.addEventListener(
    'click',
    () =>
      void busy(async () => {
        const saved = await tf.io.listModels();
        if (!saved[SAVED_G] || !saved[SAVED_D])
          throw new Error('Nothing saved in this browser yet: train a few steps, then Save.');
        const [g, d] = await Promise.all([tfl.loadLayersModel(SAVED_G), tfl.loadLayersModel(SAVED_D)]);
        const steps = (g.getUserDefinedMetadata() as { liveSteps?: number } | undefined)?.liveSteps;
        generator.setWeights(g.getWeights());
        discriminator.setWeights(d.getWeights());
        g.dispose();
        d.dispose();
        await showSamples();
        return `Loaded the networks saved on ${new Date(saved[SAVED_G].dateSaved).toLocaleString()} after ${steps ?? '?'} steps (the curves above go on from here).`;
      }),
  );
  download.addEventListener(
    'click',
    () =>
      void busy(async () => {
        await generator.save('downloads://lanes-live-generator');
        return 'Downloaded lanes-live-generator.json and lanes-live-generator.weights.bin.';
      }),
  );

  signal.addEventListener('abort', () => {
    losses.destroy();
    accuracy.destroy();
    trainer.dispose();
    generator.dispose();
    discriminator.dispose();
    fixedZ.dispose();
  });
  return section(
    'Live training',
    'live',
    el(
      'p',
      {},
      `A small DCGAN (16 base filters) learning from scratch on the 1000 test digits in this page, ${BATCH} real and ${BATCH} fake images per step (Adam 2e-4, β1 0.5, one-sided label smoothing). ` +
        "The losses oscillate rather than fall: each network's progress is the other's loss. D accuracy near 50 % is the equilibrium.",
    ),
    el('div', { className: 'controls' }, run, perRun, ' steps; so far: ', stepCount),
    progress.node,
    el('div', { className: 'controls' }, save, load, download),
    store,
    el('h3', {}, 'Losses'),
    losses.node,
    el('h3', {}, 'Discriminator accuracy'),
    accuracy.node,
    el('h3', {}, 'Samples (fixed latent vectors) and class coverage'),
    samples,
    classifier ? cover : missingModel(CLASSIFIER, 'Class coverage'),
  );
}
