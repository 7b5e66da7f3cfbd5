// Adversarial examples: attack a drawn or picked digit with FGSM, PGD, C&W or a black-box attack
// (Square, SimBA), see original / magnified perturbation / adversarial side by side, switch to the
// adversarially trained model or the user's own (a Keras .keras / .h5 file or a tfjs model), and
// measure robust accuracy against ε on a small batch.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  attackSuite,
  carliniWagnerL2,
  evaluateRobustness,
  fgsm,
  pgd,
  simba,
  squareAttack,
  toProbabilityFn,
  type AttackResult,
  type ProbabilityFn,
} from '@lanes/models';
import { lineChart } from '../lib/chart';
import { digitSource, type Digit } from '../lib/digit_source';
import { balancedBatch, loadDigits, pixelsTensor } from '../lib/digits';
import { argmax, el, fmt, pct, progressBar, section } from '../lib/dom';
import { isShipped, loadModel, missingModel } from '../lib/pretrained';
import { imageCanvas, paint, probabilityBars } from '../lib/render';
import { acceptDrops, accuracyOf, describeUpload, digitUpload, messageLine, modelChooser } from '../lib/upload';

const STANDARD = 'mnist-cnn';
const ROBUST = 'mnist-cnn-robust';
/** The user's uploaded classifier, beside the shipped ones. */
const UPLOADED = 'uploaded';
const ATTACKS = {
  fgsm: 'FGSM (one gradient step)',
  pgd: 'PGD-40 (projected gradient descent)',
  cw: 'Carlini–Wagner L2 (minimal perturbation, ignores ε)',
  square: 'Square Attack (black box, probabilities only)',
  simba: 'SimBA (black box, probabilities only)',
} as const;
type AttackName = keyof typeof ATTACKS;
const MAX_QUERIES = 3000;
const CURVE_EPSILONS = [0.05, 0.1, 0.15, 0.2, 0.3];
const CURVE_DIGITS = 20;

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  root.append(
    el('h1', {}, 'Adversarial examples'),
    el(
      'p',
      {},
      'A perturbation too small to change what you see can change what the network sees. White-box attacks follow the gradient; black-box attacks only query the probabilities.',
    ),
  );
  if (!isShipped(STANDARD)) {
    root.append(missingModel(STANDARD, 'This page'));
    return;
  }
  const digits = await loadDigits();
  const models: Record<string, tfl.LayersModel | undefined> = {
    [STANDARD]: await loadModel(STANDARD),
    [ROBUST]: isShipped(ROBUST) ? await loadModel(ROBUST) : undefined,
  };
  if (signal.aborted) return;

  // ---- controls
  const modelStandard = el('input', { type: 'radio', name: 'adv-model', id: 'model-standard', checked: true });
  const modelRobust = el('input', { type: 'radio', name: 'adv-model', id: 'model-robust', disabled: !models[ROBUST] });
  const modelUploaded = el('input', { type: 'radio', name: 'adv-model', id: 'model-uploaded', disabled: true });
  const attackSelect = el(
    'select',
    { id: 'attack' },
    ...Object.entries(ATTACKS).map(([k, v]) => el('option', { value: k }, v)),
  );
  const eps = el('input', { type: 'range', id: 'eps', min: '0', max: '0.5', step: '0.01', value: '0.2' });
  const epsValue = el('span', { id: 'eps-value' }, '0.20');
  const targeted = el('input', { type: 'checkbox', id: 'targeted' });
  const targetSelect = el(
    'select',
    { id: 'target-class', disabled: true },
    ...Array.from({ length: 10 }, (_, c) => el('option', { value: String(c) }, String(c))),
  );
  const runButton = el('button', { id: 'run-attack' }, 'Attack');
  const status = el('p', { id: 'attack-status', className: 'caption' });
  const queries = el('span', { id: 'queries' }, '—');
  eps.addEventListener('input', () => {
    epsValue.textContent = Number(eps.value).toFixed(2);
  });
  targeted.addEventListener('change', () => {
    targetSelect.disabled = !targeted.checked;
  });

  // ---- the three pictures
  const originalView = imageCanvas(new Float32Array(784), 28, 28, { scale: 5, id: 'adv-original' });
  const perturbationView = imageCanvas(new Float32Array(784), 28, 28, {
    scale: 5,
    colors: 'diverging',
    id: 'adv-perturbation',
  });
  const adversarialView = imageCanvas(new Float32Array(784), 28, 28, { scale: 5, id: 'adv-adversarial' });
  const originalBars = probabilityBars('probs-original');
  const adversarialBars = probabilityBars('probs-adversarial');
  const norms = el('p', { id: 'perturbation-norms', className: 'caption' });

  let digit: Digit = { pixels: new Float32Array(784) };
  const current = (): tfl.LayersModel =>
    (modelUploaded.checked && models[UPLOADED]
      ? models[UPLOADED]
      : modelRobust.checked && models[ROBUST]
        ? models[ROBUST]
        : models[STANDARD])!;
  const predict = async (pixels: Float32Array): Promise<Float32Array> => {
    const x = pixelsTensor(pixels);
    const y = current().predict(x) as tf.Tensor;
    const p = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    return p;
  };
  const showOriginal = async (): Promise<void> => {
    paint(originalView, digit.pixels, 28, 28);
    originalBars.update(await predict(digit.pixels));
  };
  const source = digitSource(
    digits,
    (d) => {
      digit = d;
      void showOriginal();
    },
    3,
  );
  // An uploaded picture has no label: attacks move it away from the class the model sees.
  const upload = digitUpload((d) => {
    source.show(d.pixels, `uploaded “${d.name}”`);
    digit = { pixels: d.pixels };
    void showOriginal();
  }, source.node);
  modelStandard.addEventListener('change', () => void showOriginal());
  modelRobust.addEventListener('change', () => void showOriginal());
  modelUploaded.addEventListener('change', () => void showOriginal());

  // A replaced upload is disposed once no attack or curve uses it any more.
  let running = 0;
  let retired: tfl.LayersModel[] = [];
  const disposeRetired = (): void => {
    if (running > 0) return;
    retired.forEach((m) => m.dispose());
    retired = [];
  };
  const busy = async (work: () => Promise<void>): Promise<void> => {
    running++;
    try {
      await work();
    } finally {
      running--;
      disposeRetired();
    }
  };
  signal.addEventListener('abort', () => {
    if (models[UPLOADED]) retired.push(models[UPLOADED]);
    disposeRetired();
  });
  const modelMessage = messageLine('adv-model-message');
  const { input: modelInput, take: takeModel } = modelChooser({
    id: 'adv-model-upload',
    message: modelMessage,
    signal,
    prepare: (up) => accuracyOf(up.model, digits),
    use: (up, score, files) => {
      if (models[UPLOADED]) retired.push(models[UPLOADED]);
      models[UPLOADED] = up.model;
      disposeRetired();
      modelUploaded.disabled = false;
      modelUploaded.checked = true;
      uploadedName.textContent = ` your model (${up.name})`;
      uploadedName.dataset.accuracy = String(score.accuracy);
      void showOriginal();
      return `Using the uploaded model: ${describeUpload(up, files.length)}, ${up.model.countParams().toLocaleString('en')} parameters; ${score.text}.`;
    },
  });
  const uploadedName = el('span', { id: 'uploaded-model-name' }, ' your model (upload one below)');

  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    try {
      await busy(attack);
    } catch (e) {
      status.textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      runButton.disabled = false;
    }
  });

  async function attack(): Promise<void> {
    const model = current();
    const clean = await predict(digit.pixels);
    // A drawn digit has no label: attack the class the model sees.
    const label = digit.label ?? argmax(clean);
    const name = attackSelect.value as AttackName;
    const e = Number(eps.value);
    const target = targeted.checked ? [Number(targetSelect.value)] : undefined;
    if (target && target[0] === label) {
      status.textContent = 'The target is the true class already: pick another target.';
      return;
    }
    status.textContent = `${ATTACKS[name]} running…`;
    root.dataset.attack = 'running';
    queries.textContent = '—';
    const x = pixelsTensor(digit.pixels);
    const t0 = performance.now();
    // Black-box attacks see this function only: it counts the images it is asked about.
    let asked = 0;
    const probabilities = toProbabilityFn(model);
    const oracle: ProbabilityFn = async (batch) => {
      asked += batch.shape[0];
      queries.textContent = String(asked);
      return probabilities(batch);
    };
    let result: AttackResult;
    switch (name) {
      case 'fgsm':
        result = await fgsm(model, x, [label], { eps: e, target });
        break;
      case 'pgd':
        result = await pgd(model, x, [label], { eps: e, steps: 40, target });
        break;
      case 'cw':
        result = await carliniWagnerL2(model, x, [label], { target, binarySearchSteps: 4, maxIterations: 60 });
        break;
      case 'square':
        result = await squareAttack(oracle, x, [label], { eps: e, maxQueries: MAX_QUERIES, target });
        break;
      case 'simba':
        result = await simba(oracle, x, [label], { eps: e, maxQueries: MAX_QUERIES, target });
        break;
    }
    const adversarial = (await result.adversarial.data()) as Float32Array;
    tf.dispose([x, result.adversarial]);
    if (signal.aborted) return;
    const seconds = (performance.now() - t0) / 1000;
    const delta = adversarial.map((v, i) => v - digit.pixels[i]);
    let linf = 0,
      l2 = 0;
    for (const d of delta) {
      linf = Math.max(linf, Math.abs(d));
      l2 += d * d;
    }
    paint(perturbationView, delta, 28, 28, { colors: 'diverging' });
    paint(adversarialView, adversarial, 28, 28);
    originalBars.update(clean);
    const p = await predict(adversarial);
    adversarialBars.update(p);
    if (result.queries) queries.textContent = String(result.queries[0]);
    const now = argmax(p);
    const success = target ? now === target[0] : now !== label;
    norms.textContent = `‖δ‖∞ = ${fmt(linf)}, ‖δ‖₂ = ${fmt(Math.sqrt(l2))} (perturbation magnified: ±${fmt(linf)} shown as full blue/red)`;
    status.textContent = `${ATTACKS[name]}: ${success ? 'succeeded' : 'failed'} — ${label} → ${now} in ${seconds.toFixed(1)} s${result.queries ? `, ${result.queries[0]} queries` : ''}.`;
    root.dataset.attack = success ? 'success' : 'failure';
  }

  const modelDrop = el(
    'div',
    { className: 'upload', id: 'adv-model-drop' },
    el('label', {}, 'your classifier: a Keras .keras / .h5 file or model.json + weights ', modelInput),
    el('span', { className: 'caption' }, ' (or drop it here; [N, 28, 28, 1] pixels in [0, 1] → [N, 10])'),
    modelMessage.node,
  );
  acceptDrops(modelDrop, takeModel);

  const picture = (title: string, canvas: HTMLCanvasElement, ...rest: HTMLElement[]): HTMLElement =>
    el('figure', { className: 'adv-figure' }, el('figcaption', {}, title), canvas, ...rest);
  root.append(
    el(
      'div',
      { className: 'columns' },
      el('div', {}, source.node, upload),
      el(
        'div',
        { className: 'attack-controls' },
        el(
          'p',
          {},
          el('label', {}, modelStandard, ' standard CNN'),
          ' ',
          el('label', {}, modelRobust, ' adversarially trained CNN'),
          ' ',
          el('label', {}, modelUploaded, uploadedName),
        ),
        models[ROBUST] ? '' : missingModel(ROBUST, 'The robust model'),
        modelDrop,
        el('p', {}, el('label', {}, 'attack ', attackSelect)),
        el('p', {}, el('label', {}, 'ε (L∞) ', eps, ' ', epsValue)),
        el('p', {}, el('label', {}, targeted, ' targeted: make it a '), targetSelect),
        el('p', {}, runButton, ' queries ', queries),
        status,
      ),
    ),
    section(
      'Original, perturbation, adversarial',
      'attack-result',
      el(
        'div',
        { className: 'row adv-row' },
        picture('original', originalView, originalBars.node),
        picture('perturbation (magnified)', perturbationView, norms),
        picture('adversarial', adversarialView, adversarialBars.node),
      ),
    ),
    curveSection(models, digits, signal, busy),
  );
  source.pick();
  await showOriginal();
}

function curveSection(
  models: Record<string, tfl.LayersModel | undefined>,
  digits: Awaited<ReturnType<typeof loadDigits>>,
  signal: AbortSignal,
  busy: (work: () => Promise<void>) => Promise<void>,
): HTMLElement {
  const run = el('button', { id: 'robust-curve' }, 'Compute the curve');
  const count = el('input', {
    type: 'number',
    id: 'curve-digits',
    min: '10',
    max: '500',
    step: '10',
    value: String(CURVE_DIGITS),
  });
  const progress = progressBar('curve-progress');
  const colours: Record<string, string> = { [STANDARD]: '#e76f51', [ROBUST]: '#2a9d8f', [UPLOADED]: '#6a4c93' };
  const chartOf = (names: string[]): ReturnType<typeof lineChart> =>
    lineChart(
      'robust-chart',
      'ε (L∞)',
      names.flatMap((n) => [
        { label: `${n} FGSM`, stroke: colours[n], dash: [6, 4] },
        { label: `${n} PGD-10`, stroke: colours[n] },
      ]),
    );
  let names = [STANDARD, ROBUST].filter((n) => models[n]);
  let chart = chartOf(names);
  const table = el('table', { id: 'robust-table' });
  run.addEventListener('click', () => void busy(curve));
  // An uploaded model joins the curve: the chart is rebuilt with its lines.
  async function curve(): Promise<void> {
    const now = [STANDARD, ROBUST, UPLOADED].filter((n) => models[n]);
    if (now.join() !== names.join()) {
      names = now;
      const next = chartOf(names);
      chart.node.replaceWith(next.node);
      chart.destroy();
      chart = next;
    }
    run.disabled = true;
    const n = Math.min(500, Math.max(10, Number(count.value) || CURVE_DIGITS));
    const { x, labels } = balancedBatch(digits, n);
    const columns: number[][] = [];
    // ε = 0 is the clean accuracy, which the report measures anyway.
    const xs = [0, ...CURVE_EPSILONS];
    const rows: HTMLElement[] = [
      el('tr', {}, el('th', {}, 'model / attack'), ...xs.map((e) => el('th', {}, `ε ${e}`))),
    ];
    for (const name of names) {
      const model = models[name]!;
      const specs = attackSuite(model, { attacks: ['fgsm', 'pgd'], pgdSteps: 10, linfEpsilons: CURVE_EPSILONS });
      const total = specs.length * CURVE_EPSILONS.length;
      let done = 0;
      const report = await evaluateRobustness(model, x, labels, specs, {
        epsilons: CURVE_EPSILONS,
        onProgress: (p) => {
          if (p.done === p.total) done++;
          progress.set(done, total, `${name}: ${p.attack} at ε ${p.eps}`);
        },
      });
      if (signal.aborted) break;
      for (const attack of specs.map((s) => s.name)) {
        const accuracies = [
          report.cleanAccuracy,
          ...report.rows.filter((r) => r.attack === attack).map((r) => r.robustAccuracy),
        ];
        columns.push(accuracies);
        rows.push(
          el(
            'tr',
            { dataset: { model: name, attack: attack.replace(/-\d+$/, '') } },
            el('td', {}, `${name} ${attack}`),
            ...accuracies.map((a) => el('td', { dataset: { accuracy: String(a) } }, pct(a))),
          ),
        );
      }
    }
    x.dispose();
    if (signal.aborted) return;
    chart.set([xs, ...columns]);
    table.replaceChildren(...rows);
    progress.set(1, 1, `done: ${n} test digits`);
    run.disabled = false;
  }
  signal.addEventListener('abort', () => chart.destroy());
  return section(
    'Robust accuracy against ε',
    'robustness',
    el(
      'p',
      {},
      `Share of a balanced batch of test digits still classified correctly under FGSM and PGD-10 at each budget, for ${names.length === 2 ? 'both models' : 'the standard model (the robust one is not shipped yet)'}, and for your own model once you upload one. Computed here, live: a small batch keeps it to seconds.`,
    ),
    el('div', { className: 'controls' }, el('label', {}, 'digits ', count), run),
    progress.node,
    chart.node,
    table,
  );
}
