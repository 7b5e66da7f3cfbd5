// Recurrent networks: a character-level LSTM reading an e-mail (spam probability, and its gates
// and cell state at every character) beside the word-level one, a GRU predicting the S&P 500, and an LSTM inventing first names.
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  classifyEmailChars,
  classifyEmails,
  evaluateSeriesModel,
  generateNames,
  looksPronounceable,
  parseSp500Daily,
  predictNextPrices,
  prepareSeriesData,
  requireModelMetadata,
  spamCharInput,
  spamInputChars,
  traceLstm,
  type LstmTrace,
} from '@lanes/models';
import { lineChart } from '../lib/chart';
import { el, fmt, pct, section } from '../lib/dom';
import { isShipped, loadModel, missingModel } from '../lib/pretrained';

const SPAM_EXAMPLE =
  'Subject: You have WON a FREE prize!!!\n\nCongratulations! Click here to claim your cash prize now. Limited time offer, act now and get 100% free money. Unsubscribe here.';
const HAM_EXAMPLE =
  'Subject: Re: patch for the build script\n\nThanks for the patch. I tested it on my machine and the build works now; I will commit it to the repository tomorrow after the meeting.';

export async function mount(root: HTMLElement, signal: AbortSignal): Promise<void> {
  root.append(
    el('h1', {}, 'Recurrent networks: LSTM and GRU'),
    el(
      'p',
      {},
      'A recurrent layer reads a sequence one step at a time and carries a state along; its gates decide what to let in, what to forget and what to show.',
    ),
  );
  const parts: HTMLElement[] = [];
  const charModel = isShipped('spam-char-lstm') ? await loadModel('spam-char-lstm') : undefined;
  const wordModel = isShipped('spam-lstm') ? await loadModel('spam-lstm') : undefined;
  if (signal.aborted) return;
  parts.push(await spamSection(charModel, wordModel, signal));
  if (signal.aborted) return;
  parts.push(
    isShipped('stocks-gru')
      ? await stocksSection(await loadModel('stocks-gru'), signal)
      : section('Stock prices (GRU)', 'stocks', missingModel('stocks-gru', 'The price predictor')),
  );
  if (signal.aborted) return;
  parts.push(
    isShipped('names-lstm')
      ? await namesSection(await loadModel('names-lstm'))
      : section('Name generator (LSTM)', 'names', missingModel('names-lstm', 'The name generator')),
  );
  root.append(...parts);
}

/**
 * The spam filter: the character model's P(spam) and its gates per character, beside the word
 * model's P(spam). Either model may be missing (a notice takes its place).
 */
async function spamSection(
  charModel: tfl.LayersModel | undefined,
  wordModel: tfl.LayersModel | undefined,
  signal: AbortSignal,
): Promise<HTMLElement> {
  const title = 'Spam filter (LSTM)';
  if (!charModel && !wordModel)
    return section(
      title,
      'spam',
      missingModel('spam-char-lstm', 'The character-level spam filter'),
      missingModel('spam-lstm', 'The word-level spam filter'),
    );
  const charEncoding = charModel ? requireModelMetadata(charModel, 'spam-char-lstm').encoding : undefined;
  const wordEncoding = wordModel ? requireModelMetadata(wordModel, 'spam-lstm').encoding : undefined;
  const text = el('textarea', { id: 'email', value: SPAM_EXAMPLE, rows: 6 });
  const spamButton = el('button', { id: 'example-spam' }, 'Spam example');
  const hamButton = el('button', { id: 'example-ham' }, 'Ordinary e-mail');
  const charVerdict = charModel
    ? el('p', { id: 'char-verdict', className: 'verdict' })
    : missingModel('spam-char-lstm', 'The character-level spam filter (and its gate heatmaps)');
  const wordVerdict = wordModel
    ? el('p', { id: 'spam-verdict', className: 'verdict' })
    : missingModel('spam-lstm', 'The word-level spam filter');
  const maps = el('div', { id: 'gate-maps' });
  const readout = el(
    'p',
    { className: 'caption', id: 'gate-readout', style: { minHeight: '2.6em' } },
    'Move over (or tap) a heatmap to read a character.',
  );
  let version = 0;
  const update = async (): Promise<void> => {
    const mine = ++version;
    const email = text.value;
    const [pWord] = wordModel ? await classifyEmails(wordModel, [email]) : [NaN];
    let pChar = NaN;
    let trace: LstmTrace | undefined;
    if (charModel && charEncoding) {
      [pChar] = await classifyEmailChars(charModel, [email]);
      const input = spamCharInput(charEncoding, email);
      trace = await traceLstm(charModel, input);
      input.dispose();
    }
    if (mine !== version || signal.aborted) return;
    if (charModel && charEncoding && trace) {
      charVerdict.innerHTML = `Character model: P(spam) = <b id="char-prob">${pct(pChar)}</b> — ${pChar >= 0.5 ? 'spam' : 'not spam'}`;
      charVerdict.dataset.p = String(pChar);
      maps.replaceChildren(...charGateMaps(trace, spamInputChars(charEncoding, email), readout));
      readout.textContent = 'Move over (or tap) a heatmap to read a character.';
    }
    if (wordModel) {
      wordVerdict.innerHTML = `Word model: P(spam) = <b id="spam-prob">${pct(pWord)}</b> — ${pWord >= 0.5 ? 'spam' : 'not spam'}`;
      wordVerdict.dataset.p = String(pWord);
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 250);
  });
  spamButton.addEventListener('click', () => {
    text.value = SPAM_EXAMPLE;
    void update();
  });
  hamButton.addEventListener('click', () => {
    text.value = HAM_EXAMPLE;
    void update();
  });
  await update();
  const about: string[] = [];
  if (charEncoding)
    about.push(
      `The character model (spam-char-lstm) reads the Subject and the start of the body — whitespace folded, case kept, at most ${charEncoding.maxChars} characters — one character per step (${charEncoding.alphabet.length} characters have their own id, the rest share one); an LSTM with ${trainedUnits(charModel)} units carries the evidence along.`,
    );
  if (wordEncoding)
    about.push(
      `The word model (spam-lstm) reads the first ${wordEncoding.sequenceLength} words of From, Subject and body instead.`,
    );
  return section(
    title,
    'spam',
    el('p', {}, `Type or paste an e-mail. ${about.join(' ')}`),
    el('div', { className: 'controls' }, spamButton, hamButton),
    text,
    el('div', { className: 'probabilities', style: { minWidth: '0' } }, charVerdict, wordVerdict),
    ...(charModel
      ? [
          el(
            'p',
            {},
            "Inside the character model's LSTM, one column per character and one row per unit: input, forget and output gates from 0 (black) to 1 (white); the cell state blue (negative) to red (positive), full colour from the 95th percentile of its magnitude on. Scroll sideways inside the maps.",
          ),
          readout,
          maps,
        ]
      : []),
  );
}

/** Units of the first LSTM layer of a model. */
function trainedUnits(model: tfl.LayersModel | undefined): number {
  const layer = model?.layers.find((l) => /lstm/i.test(l.getClassName()));
  return (layer?.getConfig()['units'] as number | undefined) ?? 0;
}

const CELL = 12; // CSS pixels per character column
const ROW = 3; // CSS pixels per unit row

/**
 * A units × characters heatmap drawn at its display size (CELL × ROW pixels a cell; upscaling a
 * one-pixel-per-cell canvas by CSS blurs or drops tiles in some browsers): gates 0..1 black to
 * white, the cell state blue (negative) to red (positive), saturating at the 95th percentile of |c|.
 */
function cellCanvas(values: Float32Array, n: number, u: number, signed: boolean): HTMLCanvasElement {
  const canvas = el('canvas', {
    width: n * CELL,
    height: u * ROW,
    style: {
      display: 'block',
      maxWidth: 'none',
      border: 'none',
      outline: '1px solid #e2e5ea',
      touchAction: 'pan-x pan-y',
    },
  });
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  // The cell state: a few units grow large over hundreds of steps; scale colours to the 95th
  // percentile of |c| (larger values saturate) so the others stay visible.
  const magnitudes = signed ? Float32Array.from(values, Math.abs).sort() : new Float32Array(0);
  const max = Math.max(1e-12, magnitudes[Math.floor(0.95 * (magnitudes.length - 1))] ?? 0);
  for (let k = 0; k < u; k++) {
    for (let j = 0; j < n; j++) {
      const v = values[k * n + j];
      if (signed) {
        const t = Math.max(-1, Math.min(1, v / max));
        const w = Math.round(255 * (1 - Math.abs(t)));
        ctx.fillStyle = t >= 0 ? `rgb(255,${w},${w})` : `rgb(${w},${w},255)`;
      } else {
        const g = Math.round(255 * Math.max(0, Math.min(1, v)));
        ctx.fillStyle = `rgb(${g},${g},${g})`;
      }
      ctx.fillRect(j * CELL, k * ROW, CELL, ROW);
    }
  }
  return canvas;
}

/**
 * Heatmaps (units × characters) of the gates and the cell state over the steps that hold a
 * character, under a row of the characters; all in one box that scrolls sideways, so the page
 * itself never gets wider than a phone. Hover or tap a cell: the readout shows all four values.
 */
function charGateMaps(trace: LstmTrace, chars: string[], readout: HTMLElement): HTMLElement[] {
  const first = chars.findIndex((c) => c !== '');
  if (first < 0) return [el('p', { className: 'caption' }, 'No characters yet.')];
  const n = trace.steps - first;
  const u = trace.units;
  const transpose = (values: Float32Array): Float32Array => {
    const out = new Float32Array(u * n);
    for (let j = 0; j < n; j++) for (let k = 0; k < u; k++) out[k * n + j] = values[(first + j) * u + k];
    return out;
  };
  const gates: [string, string, Float32Array][] = [
    ['input gate', 'input', transpose(trace.inputGate)],
    ['forget gate', 'forget', transpose(trace.forgetGate)],
    ['output gate', 'output', transpose(trace.outputGate)],
    ['cell state', 'cell', transpose(trace.cell)],
  ];
  const width = `${n * CELL}px`;
  const label = {
    position: 'sticky',
    left: '0',
    display: 'inline-block',
    background: '#fafbfc',
    margin: '0.5rem 0 0.2rem',
  } as const;
  const charRow = el(
    'div',
    {
      id: 'gate-chars',
      style: { display: 'flex', width, fontFamily: 'ui-monospace, monospace', fontSize: '11px', lineHeight: '16px' },
    },
    ...chars.slice(first).map((c, j) =>
      el(
        'span',
        {
          dataset: { i: String(j), char: c },
          title: `character ${j + 1}`,
          style: { flex: 'none', width: `${CELL}px`, textAlign: 'center', color: c === ' ' ? '#b0b6bf' : 'inherit' },
        },
        c === ' ' ? '·' : c,
      ),
    ),
  );
  const marker = el('div', {
    style: {
      position: 'absolute',
      top: '0',
      bottom: '0',
      width: `${CELL}px`,
      left: '0',
      display: 'none',
      outline: '2px solid #fca311',
      pointerEvents: 'none',
    },
  });
  const show = (j: number, k: number): void => {
    const v = (values: Float32Array): number => values[k * n + j];
    const [i, f, o, c] = gates.map(([, , values]) => v(values));
    readout.textContent = `“${chars[first + j]}” (character ${j + 1} of ${n}), unit ${k}: input ${fmt(i)}, forget ${fmt(f)}, output ${fmt(o)}, cell ${fmt(c)}`;
    Object.assign(readout.dataset, {
      step: String(j),
      unit: String(k),
      input: String(i),
      forget: String(f),
      output: String(o),
      cell: String(c),
    });
    marker.style.left = `${j * CELL}px`;
    marker.style.display = 'block';
  };
  const heatmaps = gates.map(([name, key, values]) => {
    const canvas = cellCanvas(values, n, u, key === 'cell');
    const pick = (e: PointerEvent): void => {
      const r = canvas.getBoundingClientRect();
      const j = Math.max(0, Math.min(n - 1, Math.floor(((e.clientX - r.left) / r.width) * n)));
      const k = Math.max(0, Math.min(u - 1, Math.floor(((e.clientY - r.top) / r.height) * u)));
      show(j, k);
    };
    canvas.addEventListener('pointermove', pick);
    canvas.addEventListener('pointerdown', pick);
    return el(
      'div',
      {
        className: 'heatmap',
        dataset: { gate: name, steps: String(n), units: String(u) },
        style: { overflow: 'visible' },
      },
      el('h3', { style: label }, name),
      canvas,
    );
  });
  const inner = el('div', { style: { position: 'relative', width } }, charRow, ...heatmaps, marker);
  const scroller = el(
    'div',
    {
      className: 'char-maps',
      dataset: { chars: String(n) },
      style: { overflowX: 'auto', maxWidth: '100%', paddingBottom: '0.4rem' },
    },
    inner,
  );
  return [scroller];
}

async function stocksSection(model: tfl.LayersModel, signal: AbortSignal): Promise<HTMLElement> {
  const { encoding } = requireModelMetadata(model, 'stocks-gru');
  const csv = await (await fetch(`${import.meta.env.BASE_URL}data/sp500-2000.csv`)).text();
  const series = parseSp500Daily(csv);
  const data = prepareSeriesData(series.prices, { windowLength: encoding.windowLength });
  const evaluation = await evaluateSeriesModel(model, data.test, series.prices, encoding);
  const predicted = await predictNextPrices(model, series.prices, encoding);
  const chart = lineChart(
    'stocks-chart',
    'date',
    [
      { label: 'S&P 500 close', stroke: '#264653' },
      { label: 'GRU: next day', stroke: '#e76f51' },
    ],
    240,
    true,
  );
  // The last 250 trading days (test period): out[i] predicts the close of day i + 1.
  const from = series.prices.length - 250;
  const days = Array.from({ length: 250 }, (_, k) => from + k);
  const time = days.map((i) => Date.parse(series.dates[i]) / 1000);
  signal.addEventListener('abort', () => chart.destroy());
  const summary = el(
    'p',
    {
      id: 'stocks-rmse',
      dataset: {
        rmse: String(evaluation.rmse),
        baseline: String(evaluation.baselineRmse),
        count: String(evaluation.count),
      },
    },
    `On the ${evaluation.count} test days (the last 20 %): RMSE ${fmt(evaluation.rmse, 2)} points, against ${fmt(evaluation.baselineRmse, 2)} for “tomorrow = today” (${evaluation.improvement >= 0 ? 'better by' : 'worse by'} ${pct(Math.abs(evaluation.improvement))}). Daily returns are close to noise: beating the last value at all is the hard part.`,
  );
  const node = section(
    'Stock prices (GRU)',
    'stocks',
    el(
      'p',
      {},
      `A GRU with 16 units reads the last ${encoding.windowLength} daily log returns of the S&P 500 and predicts the next one; the price follows from it.`,
    ),
    chart.node,
    summary,
  );
  queueMicrotask(() => chart.set([time, days.map((i) => series.prices[i]), days.map((i) => predicted[i - 1])]));
  return node;
}

async function namesSection(model: tfl.LayersModel): Promise<HTMLElement> {
  const { encoding } = requireModelMetadata(model, 'names-lstm');
  const temperature = el('input', {
    type: 'range',
    id: 'temperature',
    min: '0.2',
    max: '2',
    step: '0.1',
    value: '0.8',
  });
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
  return section(
    'Name generator (LSTM)',
    'names',
    el(
      'p',
      {},
      `A character-level LSTM (64 units) trained on 7580 English first names predicts the next letter from the last ${encoding.contextLength}. Low temperature plays safe (common names, repeats); high temperature invents wilder ones.`,
    ),
    el('div', { className: 'controls' }, el('label', {}, 'temperature ', temperature, ' ', tValue), again),
    list,
    stats,
  );
}
