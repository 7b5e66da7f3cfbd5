// Adversarial examples: attack a drawn or picked digit with any attack of the registry of
// @lanes/models (white-box: FGSM, PGD, C&W…; black-box: Square, SimBA, HopSkipJump), see original /
// magnified perturbation / adversarial side by side, switch to the adversarially trained model or
// the user's own (a Keras .keras / .h5 file or a tfjs model), and measure robust accuracy against ε
// on a small batch.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  ATTACKS,
  attackEntry,
  attackSuite,
  evaluateRobustness,
  runAttack,
  toProbabilityFn,
  type AttackParams,
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
/** The page's settings beyond the registry's defaults: budgets that keep one digit to a few seconds. */
const PAGE_SETTINGS: Partial<Record<string, Partial<AttackParams>>> = {
  pgd: { steps: 40 },
  'cw-l2': { binarySearchSteps: 4, steps: 60 },
  simba: { maxQueries: 3000 },
  square: { maxQueries: 3000 },
  'hop-skip-jump': { maxQueries: 3000 },
};
const CURVE_EPSILONS = [0.05, 0.1, 0.15, 0.2, 0.3];
const CURVE_DIGITS = 20;

type Models = Record<string, tfl.LayersModel | undefined>;
type Digits = Awaited<ReturnType<typeof loadDigits>>;

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
  const models: Models = {
    [STANDARD]: await loadModel(STANDARD),
    [ROBUST]: isShipped(ROBUST) ? await loadModel(ROBUST) : undefined,
  };
  if (signal.aborted) return;

  const uploaded = modelUpload(models, digits, signal);
  const controls = attackControls(models, uploaded);
  const result = resultView();
  let digit: Digit = { pixels: new Float32Array(784) };
  const showOriginal = async (): Promise<void> => {
    paint(result.original, digit.pixels, 28, 28);
    result.originalBars.update(await predict(controls.model(), digit.pixels));
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
  controls.onModelChange(() => void showOriginal());
  controls.onRun(() =>
    uploaded.busy(async () => {
      const run = await attackDigit(controls, digit, () => (root.dataset.attack = 'running'));
      if (!run || signal.aborted) return;
      result.show(run);
      controls.report(run);
      root.dataset.attack = run.success ? 'success' : 'failure';
    }),
  );

  root.append(
    el('div', { className: 'columns' }, el('div', {}, source.node, upload), controls.node),
    result.node,
    curveSection(models, digits, signal, uploaded.busy),
  );
  source.pick();
  await showOriginal();
}

/** Class probabilities of one digit. */
async function predict(model: tfl.LayersModel, pixels: Float32Array): Promise<Float32Array> {
  const x = pixelsTensor(pixels);
  const y = model.predict(x) as tf.Tensor;
  const p = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return p;
}

/**
 * The user's own classifier: its chooser (a Keras .keras / .h5 file or model.json + weights, shown
 * with its accuracy) and radio button. A replaced upload is disposed once no attack or curve that
 * `busy` wraps uses it any more.
 */
function modelUpload(models: Models, digits: Digits, signal: AbortSignal) {
  const radio = el('input', { type: 'radio', name: 'adv-model', id: 'model-uploaded', disabled: true });
  const name = el('span', { id: 'uploaded-model-name' }, ' your model (upload one below)');
  const onUse: (() => void)[] = [];
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
  const message = messageLine('adv-model-message');
  const { input, take } = modelChooser({
    id: 'adv-model-upload',
    message,
    signal,
    prepare: (up) => accuracyOf(up.model, digits),
    use: (up, score, files) => {
      if (models[UPLOADED]) retired.push(models[UPLOADED]);
      models[UPLOADED] = up.model;
      disposeRetired();
      radio.disabled = false;
      radio.checked = true;
      name.textContent = ` your model (${up.name})`;
      name.dataset.accuracy = String(score.accuracy);
      onUse.forEach((fn) => fn());
      return `Using the uploaded model: ${describeUpload(up, files.length)}, ${up.model.countParams().toLocaleString('en')} parameters; ${score.text}.`;
    },
  });
  const drop = el(
    'div',
    { className: 'upload', id: 'adv-model-drop' },
    el('label', {}, 'your classifier: a Keras .keras / .h5 file or model.json + weights ', input),
    el('span', { className: 'caption' }, ' (or drop it here; [N, 28, 28, 1] pixels in [0, 1] → [N, 10])'),
    message.node,
  );
  acceptDrops(drop, take);
  return {
    radio,
    label: el('label', {}, radio, name),
    drop,
    busy,
    /** Calls `fn` when the user picks the uploaded model or uploads a new one. */
    onChange(fn: () => void): void {
      radio.addEventListener('change', fn);
      onUse.push(fn);
    },
  };
}
type Upload = ReturnType<typeof modelUpload>;

/** The model switch, the attack (every attack of the registry), ε, the target, and the run button. */
function attackControls(models: Models, uploaded: Upload) {
  const modelStandard = el('input', { type: 'radio', name: 'adv-model', id: 'model-standard', checked: true });
  const modelRobust = el('input', { type: 'radio', name: 'adv-model', id: 'model-robust', disabled: !models[ROBUST] });
  const attackSelect = el(
    'select',
    { id: 'attack' },
    ...ATTACKS.map((a) =>
      el(
        'option',
        { value: a.name, title: a.summary },
        `${a.title} (${a.access}${a.kind === 'minimal' ? ', minimal perturbation, ignores ε' : ''})`,
      ),
    ),
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
  const node = el(
    'div',
    { className: 'attack-controls' },
    el(
      'p',
      {},
      el('label', {}, modelStandard, ' standard CNN'),
      ' ',
      el('label', {}, modelRobust, ' adversarially trained CNN'),
      ' ',
      uploaded.label,
    ),
    models[ROBUST] ? '' : missingModel(ROBUST, 'The robust model'),
    uploaded.drop,
    el('p', {}, el('label', {}, 'attack ', attackSelect)),
    el('p', {}, el('label', {}, 'ε (L∞) ', eps, ' ', epsValue)),
    el('p', {}, el('label', {}, targeted, ' targeted: make it a '), targetSelect),
    el('p', {}, runButton, ' queries ', queries),
    status,
  );
  return {
    node,
    status,
    queries,
    model: (): tfl.LayersModel =>
      (uploaded.radio.checked && models[UPLOADED]
        ? models[UPLOADED]
        : modelRobust.checked && models[ROBUST]
          ? models[ROBUST]
          : models[STANDARD])!,
    attack: () => attackSelect.value,
    eps: () => Number(eps.value),
    target: () => (targeted.checked ? Number(targetSelect.value) : undefined),
    onModelChange(fn: () => void): void {
      modelStandard.addEventListener('change', fn);
      modelRobust.addEventListener('change', fn);
      uploaded.onChange(fn);
    },
    /** Runs `fn` on a click, the button disabled meanwhile; an error is shown in the status line. */
    onRun(fn: () => Promise<void>): void {
      runButton.addEventListener('click', async () => {
        runButton.disabled = true;
        try {
          await fn();
        } catch (e) {
          status.textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
        } finally {
          runButton.disabled = false;
        }
      });
    },
    report(run: AttackRun): void {
      const entry = attackEntry(run.name);
      if (run.result.queries) queries.textContent = String(run.result.queries[0]);
      status.textContent = `${entry.title}: ${run.success ? 'succeeded' : 'failed'} — ${run.label} → ${run.now} in ${run.seconds.toFixed(1)} s${run.result.queries ? `, ${run.result.queries[0]} queries` : ''}.`;
    },
  };
}
type Controls = ReturnType<typeof attackControls>;

/** One attack on one digit, measured. */
interface AttackRun {
  name: string;
  label: number;
  now: number;
  success: boolean;
  seconds: number;
  clean: Float32Array;
  adversarial: Float32Array;
  adversarialProbabilities: Float32Array;
  delta: Float32Array;
  result: AttackResult;
}

/**
 * Attacks `digit` with the chosen attack through the registry's dispatcher. Black-box attacks see
 * only an oracle that counts the images it is asked about (shown live). Undefined when the target
 * is the digit's class already (said in the status line).
 */
async function attackDigit(controls: Controls, digit: Digit, onStart: () => void): Promise<AttackRun | undefined> {
  const model = controls.model();
  const clean = await predict(model, digit.pixels);
  // A drawn digit has no label: attack the class the model sees.
  const label = digit.label ?? argmax(clean);
  const name = controls.attack();
  const target = controls.target();
  if (target === label) {
    controls.status.textContent = 'The target is the true class already: pick another target.';
    return undefined;
  }
  const entry = attackEntry(name);
  controls.status.textContent = `${entry.title} running…`;
  onStart();
  controls.queries.textContent = '—';
  let asked = 0;
  const probabilities = toProbabilityFn(model);
  const oracle: ProbabilityFn = async (batch) => {
    asked += batch.shape[0];
    controls.queries.textContent = String(asked);
    return probabilities(batch);
  };
  const x = pixelsTensor(digit.pixels);
  const t0 = performance.now();
  const result = await runAttack(name, { model, oracle }, x, [label], {
    ...PAGE_SETTINGS[name],
    eps: controls.eps(),
    target: target !== undefined ? [target] : undefined,
  });
  const adversarial = (await result.adversarial.data()) as Float32Array;
  tf.dispose([x, result.adversarial]);
  const seconds = (performance.now() - t0) / 1000;
  const adversarialProbabilities = await predict(model, adversarial);
  const now = argmax(adversarialProbabilities);
  return {
    name,
    label,
    now,
    success: target !== undefined ? now === target : now !== label,
    seconds,
    clean,
    adversarial,
    adversarialProbabilities,
    delta: adversarial.map((v, i) => v - digit.pixels[i]),
    result,
  };
}

/** Original, magnified perturbation and adversarial side by side, with their probabilities. */
function resultView() {
  const original = imageCanvas(new Float32Array(784), 28, 28, { scale: 5, id: 'adv-original' });
  const perturbation = imageCanvas(new Float32Array(784), 28, 28, {
    scale: 5,
    colors: 'diverging',
    id: 'adv-perturbation',
  });
  const adversarial = imageCanvas(new Float32Array(784), 28, 28, { scale: 5, id: 'adv-adversarial' });
  const originalBars = probabilityBars('probs-original');
  const adversarialBars = probabilityBars('probs-adversarial');
  const norms = el('p', { id: 'perturbation-norms', className: 'caption' });
  const picture = (title: string, canvas: HTMLCanvasElement, ...rest: HTMLElement[]): HTMLElement =>
    el('figure', { className: 'adv-figure' }, el('figcaption', {}, title), canvas, ...rest);
  const node = section(
    'Original, perturbation, adversarial',
    'attack-result',
    el(
      'div',
      { className: 'row adv-row' },
      picture('original', original, originalBars.node),
      picture('perturbation (magnified)', perturbation, norms),
      picture('adversarial', adversarial, adversarialBars.node),
    ),
  );
  return {
    node,
    original,
    originalBars,
    show(run: AttackRun): void {
      let linf = 0,
        l2 = 0;
      for (const d of run.delta) {
        linf = Math.max(linf, Math.abs(d));
        l2 += d * d;
      }
      paint(perturbation, run.delta, 28, 28, { colors: 'diverging' });
      paint(adversarial, run.adversarial, 28, 28);
      originalBars.update(run.clean);
      adversarialBars.update(run.adversarialProbabilities);
      norms.textContent = `‖δ‖∞ = ${fmt(linf)}, ‖δ‖₂ = ${fmt(Math.sqrt(l2))} (perturbation magnified: ±${fmt(linf)} shown as full blue/red)`;
    },
  };
}

function curveSection(
  models: Models,
  digits: Digits,
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
