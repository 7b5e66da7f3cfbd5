// BatchNorm: the same small CNN trained with and without BatchNormalization, same seed, same
// batches in the same order, interleaved so both curves grow together.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  foldBatchNorm,
  imagesToTensor,
  range,
  runBatchNormExperiment,
  takeImages,
  type BatchNormVariant,
  type ImageSet,
} from '@lanes/models';
import { lineChart } from '../lib/chart';
import { loadDigits } from '../lib/digits';
import { el, fmt, pct, progressBar, section } from '../lib/dom';

const TRAIN = 700; // of the 1000 test digits; the other 300 measure accuracy
const VARIANTS: [BatchNormVariant, string][] = [
  ['withoutBatchNorm', 'without BatchNorm'],
  ['withBatchNorm', 'with BatchNorm'],
];

/** Median wall time of `runs` predictions of `x` (after one warm-up), each read back. */
function predictMs(model: tfl.LayersModel, x: tf.Tensor, runs = 5): number {
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const y = model.predict(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
    if (r > 0) times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

/** The trained BN model folded for inference: layers, time and the largest change of a probability. */
async function foldReport(model: tfl.LayersModel, test: ImageSet, into: HTMLElement): Promise<void> {
  const { model: folded, folded: groups } = await foldBatchNorm(model);
  const x = imagesToTensor(test);
  const [before, after] = [predictMs(model, x), predictMs(folded, x)];
  const diff = tf.tidy(
    () => tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, folded.predict(x) as tf.Tensor))).dataSync()[0],
  );
  into.dataset.layersBefore = String(model.layers.length);
  into.dataset.layersAfter = String(folded.layers.length);
  into.dataset.maxDiff = String(diff);
  into.replaceChildren(
    el('p', {}, `Folded: ${groups.join('; ')}.`),
    el(
      'table',
      {},
      el('tr', {}, el('th', {}, ''), el('th', {}, 'layers'), el('th', {}, `predict ${test.count} digits`)),
      el(
        'tr',
        {},
        el('td', {}, 'trained with BatchNorm'),
        el('td', {}, String(model.layers.length)),
        el('td', {}, `${fmt(before, 1)} ms`),
      ),
      el(
        'tr',
        {},
        el('td', {}, 'BatchNorm folded'),
        el('td', {}, String(folded.layers.length)),
        el('td', {}, `${fmt(after, 1)} ms`),
      ),
    ),
    el('p', {}, `Largest change of a predicted probability: ${diff.toExponential(1)} (float32 rounding).`),
  );
  tf.dispose(x);
  folded.dispose();
}

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  const digits = await loadDigits();
  const train = takeImages(digits, range(TRAIN));
  const test = takeImages(
    digits,
    Array.from({ length: digits.count - TRAIN }, (_, i) => TRAIN + i),
  );
  const epochs = el('input', { type: 'number', id: 'bn-epochs', min: '1', max: '10', value: '2' });
  const lr = el(
    'select',
    { id: 'bn-lr' },
    ...['0.003', '0.01', '0.03', '0.1'].map((v) => el('option', { value: v, selected: v === '0.01' }, v)),
  );
  const run = el('button', { id: 'bn-run' }, 'Train both');
  const stop = el('button', { id: 'bn-stop', disabled: true }, 'Stop');
  const progress = progressBar('bn-progress');
  const loss = lineChart(
    'bn-loss',
    'batch',
    [
      { label: 'loss without BN', stroke: '#e76f51' },
      { label: 'loss with BN', stroke: '#2a9d8f' },
    ],
    220,
  );
  const acc = lineChart(
    'bn-acc',
    'batch',
    [
      { label: 'accuracy without BN', stroke: '#e76f51' },
      { label: 'accuracy with BN', stroke: '#2a9d8f' },
    ],
    180,
  );
  const results = el('table', { id: 'bn-results' });
  const fold = el('div', { id: 'bn-fold' }, 'Train first: the trained BatchNorm model is folded here.');
  let controller: AbortController | undefined;
  signal.addEventListener('abort', () => {
    controller?.abort();
    loss.destroy();
    acc.destroy();
  });
  stop.addEventListener('click', () => controller?.abort());

  run.addEventListener('click', async () => {
    run.disabled = true;
    stop.disabled = false;
    controller = new AbortController();
    const stopBoth = (): void => controller?.abort();
    signal.addEventListener('abort', stopBoth);
    const curves: Record<BatchNormVariant, { loss: number[]; acc: number[] }> = {
      withoutBatchNorm: { loss: [], acc: [] },
      withBatchNorm: { loss: [], acc: [] },
    };
    const header = el(
      'tr',
      {},
      el('th', {}, 'epoch'),
      ...VARIANTS.map(([, label]) => el('th', {}, `test accuracy ${label}`)),
    );
    results.replaceChildren(header);
    root.dataset.bn = 'running';
    const result = await runBatchNormExperiment({
      train,
      test,
      epochs: Math.min(10, Math.max(1, Number(epochs.value) || 2)),
      batchSize: 32,
      seed: 0,
      optimizer: { optimizer: 'sgd', learningRate: Number(lr.value) },
      cnn: { filters: [8, 16], dense: 32, dropout: 0 },
      signal: controller.signal,
      onBatchEnd: (p) => {
        for (const [v] of VARIANTS) {
          curves[v].loss.push(p.logs[v].loss);
          curves[v].acc.push(p.logs[v].acc);
        }
        const x = curves.withBatchNorm.loss.map((_, i) => i + 1);
        loss.set([x, curves.withoutBatchNorm.loss, curves.withBatchNorm.loss]);
        acc.set([x, curves.withoutBatchNorm.acc, curves.withBatchNorm.acc]);
        progress.set(
          p.step,
          p.totalSteps,
          `epoch ${p.epoch + 1}/${p.epochs}, batch ${p.batch + 1}/${p.batches}: loss ${fmt(p.logs.withoutBatchNorm.loss)} without, ${fmt(p.logs.withBatchNorm.loss)} with BatchNorm`,
        );
      },
      onEpochEnd: (epoch, accuracy) => {
        results.append(
          el(
            'tr',
            {
              dataset: {
                epoch: String(epoch + 1),
                without: String(accuracy.withoutBatchNorm),
                with: String(accuracy.withBatchNorm),
              },
            },
            el('td', {}, String(epoch + 1)),
            el('td', {}, pct(accuracy.withoutBatchNorm)),
            el('td', {}, pct(accuracy.withBatchNorm)),
          ),
        );
      },
    });
    signal.removeEventListener('abort', stopBoth);
    if (!result.aborted && !signal.aborted) await foldReport(result.withBatchNorm.model, test, fold);
    for (const [v] of VARIANTS) result[v].model.dispose();
    if (signal.aborted) return;
    root.dataset.bn = result.aborted ? 'stopped' : 'done';
    const last = (v: BatchNormVariant): number =>
      result[v].batchLosses.slice(-5).reduce((a, b) => a + b, 0) / Math.min(5, result[v].batchLosses.length || 1);
    progress.set(
      1,
      1,
      result.aborted
        ? 'stopped'
        : `done: mean loss of the last 5 batches ${fmt(last('withoutBatchNorm'))} without, ${fmt(last('withBatchNorm'))} with BatchNorm`,
    );
    run.disabled = false;
    stop.disabled = true;
  });

  root.append(
    el('h1', {}, 'Batch normalisation'),
    section(
      'Training with and without BatchNorm',
      'bn',
      el(
        'p',
        {},
        `Two copies of a small CNN (8 and 16 filters, dense 32) with the same initial weights learn from the same ${TRAIN} digits in the same order with SGD (momentum 0.9); one normalises every layer's activations over the batch. ` +
          'Normalised layers keep a well-scaled signal, so the same learning rate trains faster and tolerates larger steps — try 0.1.',
      ),
      el(
        'div',
        { className: 'controls' },
        el('label', {}, 'epochs ', epochs),
        el('label', {}, ' learning rate ', lr),
        run,
        stop,
      ),
      progress.node,
      el('h3', {}, 'Training loss per batch'),
      loss.node,
      el('h3', {}, 'Training accuracy per batch'),
      acc.node,
      el('h3', {}, `Accuracy on the other ${digits.count - TRAIN} digits`),
      results,
    ),
    section(
      'BatchNorm at inference: folded away',
      'bn-folding',
      el(
        'p',
        {},
        'After training, a BatchNorm layer no longer looks at the batch: it scales and shifts each channel by fixed amounts (its moving mean and variance, γ and β). ' +
          'A scale and shift right after a convolution is the same as a convolution with rescaled filters and a new bias, so the BatchNorm folds into the layer before it, ' +
          'and the ReLU after it joins them in one fused kernel.',
      ),
      fold,
    ),
  );
}
