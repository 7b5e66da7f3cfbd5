// Recurrent networks: an LSTM reading an e-mail (spam probability, and its gates and cell state
// at every step), a GRU predicting the S&P 500, and an LSTM inventing first names.
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  classifyEmails, evaluateSeriesModel, generateNames, looksPronounceable, parseSp500Daily, predictNextPrices,
  prepareSeriesData, requireModelMetadata, spamInput, spamInputTokens, traceLstm, type LstmTrace,
} from '@lanes/models';
import { lineChart } from '../lib/chart';
import { el, fmt, pct, section } from '../lib/dom';
import { isShipped, loadModel, missingModel } from '../lib/pretrained';
import { imageCanvas } from '../lib/render';

const SPAM_EXAMPLE = 'Subject: You have WON a FREE prize!!!\n\nCongratulations! Click here to claim your cash prize now. Limited time offer, act now and get 100% free money. Unsubscribe here.';
const HAM_EXAMPLE = 'Subject: Re: patch for the build script\n\nThanks for the patch. I tested it on my machine and the build works now; I will commit it to the repository tomorrow after the meeting.';

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  root.append(el('h1', {}, 'Recurrent networks: LSTM and GRU'),
    el('p', {}, 'A recurrent layer reads a sequence one step at a time and carries a state along; its gates decide what to let in, what to forget and what to show.'));
  const parts: HTMLElement[] = [];
  parts.push(isShipped('spam-lstm') ? await spamSection(await loadModel('spam-lstm'), signal) : section('Spam filter (LSTM)', 'spam', missingModel('spam-lstm', 'The spam filter')));
  if (signal.aborted) return;
  parts.push(isShipped('stocks-gru') ? await stocksSection(await loadModel('stocks-gru'), signal) : section('Stock prices (GRU)', 'stocks', missingModel('stocks-gru', 'The price predictor')));
  if (signal.aborted) return;
  parts.push(isShipped('names-lstm') ? await namesSection(await loadModel('names-lstm')) : section('Name generator (LSTM)', 'names', missingModel('names-lstm', 'The name generator')));
  root.append(...parts);
}

async function spamSection(model: tfl.LayersModel, signal: AbortSignal): Promise<HTMLElement> {
  const { encoding } = requireModelMetadata(model, 'spam-lstm');
  const text = el('textarea', { id: 'email', value: SPAM_EXAMPLE, rows: 6 });
  const spamButton = el('button', { id: 'example-spam' }, 'Spam example');
  const hamButton = el('button', { id: 'example-ham' }, 'Ordinary e-mail');
  const verdict = el('p', { id: 'spam-verdict', className: 'verdict' });
  const maps = el('div', { id: 'gate-maps' });
  const readout = el('p', { className: 'caption', id: 'gate-readout' }, 'Move over a heatmap to read a step.');
  let version = 0;
  const update = async (): Promise<void> => {
    const mine = ++version;
    const [p] = await classifyEmails(model, [text.value]);
    const input = spamInput(encoding, text.value);
    const trace = await traceLstm(model, input);
    input.dispose();
    if (mine !== version || signal.aborted) return;
    verdict.innerHTML = `P(spam) = <b id="spam-prob">${pct(p)}</b> — ${p >= 0.5 ? 'spam' : 'not spam'}`;
    verdict.dataset.p = String(p);
    maps.replaceChildren(...gateMaps(trace, spamInputTokens(encoding, text.value), readout));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 250);
  });
  spamButton.addEventListener('click', () => { text.value = SPAM_EXAMPLE; void update(); });
  hamButton.addEventListener('click', () => { text.value = HAM_EXAMPLE; void update(); });
  await update();
  return section('Spam filter (LSTM)', 'spam',
    el('p', {}, `Type or paste an e-mail. The model reads its first ${encoding.sequenceLength} words (From, Subject and body, HTML dropped) as vocabulary ids, one per step; an LSTM with 32 units carries the evidence along.`),
    el('div', { className: 'controls' }, spamButton, hamButton), text, verdict,
    el('p', {}, 'Inside the LSTM, per word (columns) and unit (rows): input, forget and output gates from 0 (black) to 1 (white); the cell state blue (negative) to red (positive).'),
    readout, maps);
}

/** Heatmaps (units × steps) of the gates and the cell state over the steps that hold a word. */
function gateMaps(trace: LstmTrace, tokens: string[], readout: HTMLElement): HTMLElement[] {
  const first = tokens.findIndex((t) => t !== '');
  const steps = first < 0 ? [] : Array.from({ length: trace.steps - first }, (_, i) => first + i);
  const u = trace.units;
  const transpose = (values: Float32Array): Float32Array => {
    const out = new Float32Array(u * steps.length);
    steps.forEach((t, j) => { for (let k = 0; k < u; k++) out[k * steps.length + j] = values[t * u + k]; });
    return out;
  };
  const maps: [string, Float32Array, boolean][] = [
    ['input gate', trace.inputGate, false], ['forget gate', trace.forgetGate, false], ['output gate', trace.outputGate, false], ['cell state', trace.cell, true],
  ];
  if (steps.length === 0) return [el('p', { className: 'caption' }, 'No words yet.')];
  const words = el('p', { className: 'tokens', id: 'gate-tokens' }, steps.map((t) => tokens[t]).join(' '));
  return [words, ...maps.map(([name, values, signed]) => {
    const data = transpose(values);
    const canvas = imageCanvas(data, steps.length, u, { scale: 1, colors: signed ? 'diverging' : 'gray', range: signed ? undefined : [0, 1] });
    canvas.style.width = `${steps.length * 9}px`;
    canvas.style.height = `${u * 4}px`;
    canvas.addEventListener('mousemove', (e) => {
      const r = canvas.getBoundingClientRect();
      const j = Math.min(steps.length - 1, Math.floor(((e.clientX - r.left) / r.width) * steps.length));
      const k = Math.min(u - 1, Math.floor(((e.clientY - r.top) / r.height) * u));
      readout.textContent = `${name}, word ${j + 1} “${tokens[steps[j]]}”, unit ${k}: ${fmt(data[k * steps.length + j])}`;
    });
    return el('div', { className: 'heatmap', dataset: { gate: name, steps: String(steps.length), units: String(u) } }, el('h3', {}, name), canvas);
  })];
}

async function stocksSection(model: tfl.LayersModel, signal: AbortSignal): Promise<HTMLElement> {
  const { encoding } = requireModelMetadata(model, 'stocks-gru');
  const csv = await (await fetch(`${import.meta.env.BASE_URL}data/sp500-2000.csv`)).text();
  const series = parseSp500Daily(csv);
  const data = prepareSeriesData(series.prices, { windowLength: encoding.windowLength });
  const evaluation = await evaluateSeriesModel(model, data.test, series.prices, encoding);
  const predicted = await predictNextPrices(model, series.prices, encoding);
  const chart = lineChart('stocks-chart', 'date', [{ label: 'S&P 500 close', stroke: '#264653' }, { label: 'GRU: next day', stroke: '#e76f51' }], 240, true);
  // The last 250 trading days (test period): out[i] predicts the close of day i + 1.
  const from = series.prices.length - 250;
  const days = Array.from({ length: 250 }, (_, k) => from + k);
  const time = days.map((i) => Date.parse(series.dates[i]) / 1000);
  signal.addEventListener('abort', () => chart.destroy());
  const summary = el('p', { id: 'stocks-rmse', dataset: { rmse: String(evaluation.rmse), baseline: String(evaluation.baselineRmse), count: String(evaluation.count) } },
    `On the ${evaluation.count} test days (the last 20 %): RMSE ${fmt(evaluation.rmse, 2)} points, against ${fmt(evaluation.baselineRmse, 2)} for “tomorrow = today” (${evaluation.improvement >= 0 ? 'better by' : 'worse by'} ${pct(Math.abs(evaluation.improvement))}). Daily returns are close to noise: beating the last value at all is the hard part.`);
  const node = section('Stock prices (GRU)', 'stocks',
    el('p', {}, `A GRU with 16 units reads the last ${encoding.windowLength} daily log returns of the S&P 500 and predicts the next one; the price follows from it.`),
    chart.node, summary);
  queueMicrotask(() => chart.set([time, days.map((i) => series.prices[i]), days.map((i) => predicted[i - 1])]));
  return node;
}

async function namesSection(model: tfl.LayersModel): Promise<HTMLElement> {
  const { encoding } = requireModelMetadata(model, 'names-lstm');
  const temperature = el('input', { type: 'range', id: 'temperature', min: '0.2', max: '2', step: '0.1', value: '0.8' });
  const tValue = el('span', { id: 'temperature-value' }, '0.8');
  const again = el('button', { id: 'names-again' }, 'Sample again');
  const list = el('ol', { id: 'names', className: 'names' });
  const stats = el('p', { id: 'names-stats', className: 'caption' });
  let seed = 0;
  let version = 0;
  const update = async (): Promise<void> => {
    const mine = ++version;
    const t = Number(temperature.value);
    const names = await generateNames(model, encoding, { count: 24, temperature: t, seed });
    if (mine !== version) return;
    list.replaceChildren(...names.map((n) => el('li', {}, n)));
    list.dataset.temperature = String(t);
    const ok = names.filter(looksPronounceable).length;
    stats.textContent = `${ok} of ${names.length} look pronounceable at temperature ${t.toFixed(1)}; ${new Set(names).size} distinct.`;
  };
  temperature.addEventListener('input', () => {
    tValue.textContent = Number(temperature.value).toFixed(1);
    void update();
  });
  again.addEventListener('click', () => {
    seed++;
    void update();
  });
  await update();
  return section('Name generator (LSTM)', 'names',
    el('p', {}, `A character-level LSTM (64 units) trained on 7580 English first names predicts the next letter from the last ${encoding.contextLength}. Low temperature plays safe (common names, repeats); high temperature invents wilder ones.`),
    el('div', { className: 'controls' }, el('label', {}, 'temperature ', temperature, ' ', tValue), again), list, stats);
}
