// The LSTM page's character-level spam filter in headless Chromium: verdicts on the shipped
// examples, one heatmap column per character of the encoded text, gate values read by hovering
// and tapping, a phone viewport without page-level horizontal overflow.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { root, useDemo } from './demo_browser.js';

const charModelJson = join(root, 'dist', 'models', 'spam-char-lstm', 'model.json');

// The page's two examples (src/pages/rnn.ts).
const SPAM_EXAMPLE =
  'Subject: You have WON a FREE prize!!!\n\nCongratulations! Click here to claim your cash prize now. Limited time offer, act now and get 100% free money. Unsubscribe here.';
const HAM_EXAMPLE =
  'Subject: Re: patch for the build script\n\nThanks for the patch. I tested it on my machine and the build works now; I will commit it to the repository tomorrow after the meeting.';

/**
 * What the character model reads of a "Subject: …\n\nbody" text, written out independently of
 * @lanes/models: "subject body", whitespace folded, cut to `maxChars` (case kept).
 */
function readText(email: string, maxChars: number): string {
  const m = /^Subject: (.*)\n\n([\s\S]*)$/.exec(email);
  const text = m ? `${m[1]} ${m[2]}` : email;
  return text.replace(/\s+/g, ' ').trim().slice(0, maxChars);
}

const demo = useDemo();
const { finish } = demo;
/** The LSTM page, ready, with its console errors collected. */
const open = (viewport?: { width: number; height: number }) => demo.open('rnn', viewport);

const charP = async (page: Page): Promise<number> => Number(await page.getAttribute('#char-verdict', 'data-p'));

/** Waits until the heatmaps show `text` (the page re-renders after each input). */
async function showing(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (t) => Array.from(document.querySelectorAll<HTMLElement>('#gate-chars span'), (s) => s.dataset.char).join('') === t,
    text,
    { timeout: 30_000 },
  );
}

/** The heatmaps: gate name, columns, rows; the character row; all four must have one column per character. */
async function heatmaps(page: Page): Promise<{ maps: string[]; chars: string }> {
  // Each map's canvas: as many cell widths as characters, a cell as wide as a character of the row above.
  const maps = await page.locator('#gate-maps .heatmap').evaluateAll((hs) =>
    hs.map((h) => {
      const c = h.querySelector('canvas')!;
      const span = document.querySelector('#gate-chars span')!.getBoundingClientRect().width;
      const steps = Number(h.getAttribute('data-steps'));
      return `${h.getAttribute('data-gate')} ${steps}×${h.getAttribute('data-units')} columns ${c.getBoundingClientRect().width / span}`;
    }),
  );
  const chars = (
    await page.locator('#gate-chars span').evaluateAll((ss) => ss.map((s) => (s as HTMLElement).dataset.char))
  ).join('');
  return { maps, chars };
}

/** Hovers (mouse) or taps (touch) the cell of character `j`, unit `k` of a gate map; returns the readout's values. */
async function readCell(
  page: Page,
  gate: string,
  j: number,
  k: number,
  columns: number,
  units: number,
  how: 'hover' | 'tap',
): Promise<Record<string, number>> {
  const canvas = page.locator(`#gate-maps .heatmap[data-gate="${gate}"] canvas`);
  await canvas.scrollIntoViewIfNeeded();
  // Scroll the box sideways so that the column is visible, then point at the cell's centre.
  await canvas.evaluate(
    (c, x) => {
      c.closest('.char-maps')!.scrollLeft = Math.max(0, x - 100);
    },
    ((j + 0.5) / columns) * (await canvas.evaluate((c) => c.getBoundingClientRect().width)),
  );
  const box = (await canvas.boundingBox())!;
  const x = box.x + ((j + 0.5) / columns) * box.width;
  const y = box.y + ((k + 0.5) / units) * box.height;
  if (how === 'hover') await page.mouse.move(x, y);
  else await page.touchscreen.tap(x, y);
  await page.waitForFunction(
    ([s, u]) => {
      const d = document.querySelector<HTMLElement>('#gate-readout')!.dataset;
      return d.step === s && d.unit === u;
    },
    [String(j), String(k)],
    { timeout: 10_000 },
  );
  const d = await page.locator('#gate-readout').evaluate((r) => ({ ...(r as HTMLElement).dataset }));
  return {
    step: Number(d.step),
    unit: Number(d.unit),
    input: Number(d.input),
    forget: Number(d.forget),
    output: Number(d.output),
    cell: Number(d.cell),
  };
}

describe('LSTM page: the character-level spam filter (production build, headless chromium)', () => {
  it('classifies the shipped examples, draws one heatmap column per character, and reads gate values on hover', async () => {
    const { page, errors } = await open();
    if (!existsSync(charModelJson)) {
      expect(await page.textContent('[data-missing="spam-char-lstm"]')).toContain('not shipped yet');
      return finish(page, errors, 'rnn-chars');
    }
    const meta = (
      JSON.parse(readFileSync(charModelJson, 'utf8')) as {
        userDefinedMetadata: { lanes: { kind: string; encoding: { maxChars: number; alphabet: string } } };
      }
    ).userDefinedMetadata.lanes;
    expect(meta.kind).toBe('spam-char-lstm');
    const { maxChars } = meta.encoding;
    const units = Number(await page.getAttribute('#gate-maps .heatmap', 'data-units'));
    expect(units).toBeGreaterThan(0);

    // The spam example (shown on load).
    const spamText = readText(SPAM_EXAMPLE, maxChars);
    expect(spamText.slice(0, 24)).toBe('You have WON a FREE priz');
    await showing(page, spamText);
    expect(await charP(page)).toBeGreaterThanOrEqual(0.5);
    const expectMaps = (n: number): string[] =>
      ['input gate', 'forget gate', 'output gate', 'cell state'].map((g) => `${g} ${n}×${units} columns ${n}`);
    let shown = await heatmaps(page);
    expect(shown.chars).toBe(spamText);
    expect(shown.maps).toEqual(expectMaps(spamText.length));
    expect(await page.locator('#gate-chars span').count()).toBe(spamText.length);
    expect(await page.getAttribute('#gate-maps .char-maps', 'data-chars')).toBe(String(spamText.length));
    // The word model's verdict stays, labelled as such.
    expect(await page.textContent('#spam-verdict')).toMatch(/^Word model: P\(spam\) = [\d.]+ %/);
    expect(await page.textContent('#char-verdict')).toMatch(/^Character model: P\(spam\) = [\d.]+ %/);

    // Hovering cells: the first, a middle and the last character; gate values are numbers in [0, 1].
    for (const [gate, j, k] of [
      ['input gate', 0, 0],
      ['forget gate', Math.floor(spamText.length / 2), units - 1],
      ['cell state', spamText.length - 1, Math.floor(units / 2)],
    ] as const) {
      const v = await readCell(page, gate, j, k, spamText.length, units, 'hover');
      for (const g of [v.input, v.forget, v.output]) {
        expect(Number.isFinite(g)).toBe(true);
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThanOrEqual(1);
      }
      expect(Number.isFinite(v.cell)).toBe(true);
      expect(await page.textContent('#gate-readout')).toContain(
        `“${spamText[j]}” (character ${j + 1} of ${spamText.length}), unit ${k}:`,
      );
    }

    // The ordinary e-mail.
    await page.click('#example-ham');
    const hamText = readText(HAM_EXAMPLE, maxChars);
    await showing(page, hamText);
    expect(await charP(page)).toBeLessThan(0.5);
    shown = await heatmaps(page);
    expect(shown.maps).toEqual(expectMaps(hamText.length));

    // A text longer than the model reads: the columns stop at maxChars.
    const long = `Subject: Meeting notes\n\n${'The quarterly   report is attached; see section two. '.repeat(20)}`;
    await page.fill('#email', long);
    const longText = readText(long, maxChars);
    expect(longText.length).toBe(maxChars);
    await showing(page, longText);
    shown = await heatmaps(page);
    expect(shown.maps).toEqual(expectMaps(maxChars));
    await finish(page, errors, 'rnn-chars');
  });

  it('in a phone viewport: the maps scroll inside their box (no page overflow) and a tap reads a cell', async () => {
    const { page, errors } = await open({ width: 390, height: 844 });
    if (!existsSync(charModelJson)) return finish(page, errors, 'rnn-chars-phone');
    const columns = Number(await page.getAttribute('#gate-maps .char-maps', 'data-chars'));
    const units = Number(await page.getAttribute('#gate-maps .heatmap', 'data-units'));
    expect(columns).toBeGreaterThan(100);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page
      .locator('#gate-maps .char-maps')
      .evaluate((b) => ({ client: b.clientWidth, scroll: b.scrollWidth }));
    expect(box.client).toBeLessThanOrEqual(390);
    expect(box.scroll).toBeGreaterThan(box.client); // wider than the phone: it scrolls inside
    await page.close();
    // Touch: a fresh page that has touch enabled.
    const { page: touch, errors: touchErrors } = await demo.open(
      'rnn',
      { width: 390, height: 844 },
      { hasTouch: true, isMobile: true },
    );
    const v = await readCell(touch, 'output gate', columns - 3, 1, columns, units, 'tap');
    expect(v.output).toBeGreaterThanOrEqual(0);
    expect(v.output).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
    await finish(touch, touchErrors, 'rnn-chars-phone');
  });
});
