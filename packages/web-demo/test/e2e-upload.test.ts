// Uploads in the web demo, driven in headless Chromium: pictures of digits (file input and
// drag-and-drop) and the user's own model on the CNN page, pictures on the Adversarial page, and
// Keras files (a real .keras / .h5 written by Keras 3) as the classifier of the CNN and Adversarial
// pages and as the GAN page's generator. Damaged files show an inline message and leave the
// previous digit / model in place, with no console error and no page error.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { artifact, root, shipped, useDemo } from './demo_browser.js';

const pretrained = join(root, '..', 'models', 'pretrained');
/** Real files written by Keras 3.1.1 (MIT licence beside them): a `.keras` zip and a legacy-writer `.h5`. */
const kerasFixtures = join(root, '..', 'models', 'test', 'fixtures', 'keras');
const { open, finish } = useDemo();

// ---- the MNIST test digits the demo ships (packages/models builds the asset: 'LIMG' header, labels, pixels)
const asset = readFileSync(join(root, '..', 'models', 'dist', 'assets', 'mnist-test-1000.bin'));
const count = asset.readUInt32LE(4);
const labels = asset.subarray(16, 16 + count);
const images = asset.subarray(16 + count);
const firstOf = (c: number): Uint8Array => {
  const i = labels.indexOf(c);
  return images.subarray(i * 784, (i + 1) * 784);
};

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** An 8-bit greyscale PNG of `w × h` bytes. */
function greyPng(pixels: Uint8Array, w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey), no interlace
  const rows = Buffer.alloc(h * (w + 1)); // each row: filter byte 0, then the pixels
  for (let y = 0; y < h; y++) rows.set(pixels.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A test digit as a photo-like picture: upscaled `scale`× to a non-square canvas with a margin,
 * dark ink on light grey paper unless `lightOnDark`.
 */
function digitPng(c: number, { scale = 4, lightOnDark = false } = {}): Buffer {
  const src = firstOf(c);
  const w = 28 * scale + 40,
    h = 28 * scale + 10;
  const out = new Uint8Array(w * h).fill(lightOnDark ? 0 : 235);
  for (let y = 0; y < 28 * scale; y++) {
    for (let x = 0; x < 28 * scale; x++) {
      const v = src[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      out[(y + 5) * w + x + 20] = lightOnDark ? v : Math.round(235 * (1 - v / 255));
    }
  }
  return greyPng(out, w, h);
}

const png = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/png', buffer });

/** Chooses files in a file input. */
async function choose(
  page: Page,
  selector: string,
  files: { name: string; mimeType: string; buffer: Buffer }[],
): Promise<void> {
  await page.setInputFiles(selector, files);
}

/** Waits until message `id` is in `state` and contains `text`; returns its text. */
async function message(page: Page, id: string, state: 'ok' | 'error', text: string): Promise<string> {
  await page.waitForFunction(
    ([id, state, text]) => {
      const m = document.getElementById(id);
      return m !== null && !m.hidden && m.dataset.state === state && (m.textContent ?? '').includes(text);
    },
    [id, state, text] as const,
    { timeout: 30_000 },
  );
  return (await page.textContent(`#${id}`))!;
}

/** Waits until the CNN page's probabilities show its latest input. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const want = document.querySelector<HTMLElement>('#page')?.dataset.inputVersion;
      return want !== undefined && document.querySelector<HTMLElement>('#cnn-probs')?.dataset.version === want;
    },
    null,
    { timeout: 30_000 },
  );
}

const prediction = async (page: Page, id: string): Promise<number> =>
  Number(await page.getAttribute(`#${id}`, 'data-prediction'));
const state = async (page: Page) => ({
  prediction: await prediction(page, 'cnn-probs'),
  version: await page.getAttribute('#page', 'data-input-version'),
  probs: await page.textContent('#cnn-probs'),
  model: await page.getAttribute('#model-name', 'data-model'),
});

describe('web demo uploads (production build, headless chromium)', () => {
  it('CNN: uploaded pictures get their class; damaged pictures and models show what is wrong and change nothing', async () => {
    const { page, errors } = await open('cnn');
    if (!shipped('mnist-cnn')) {
      expect(await page.textContent('[data-missing="mnist-cnn"]')).toContain('not shipped yet');
      return finish(page, errors, 'upload-cnn');
    }
    // The first test digit of every class, as a dark-on-light picture of 152×122 pixels.
    let right = 0;
    for (let c = 0; c < 10; c++) {
      await choose(page, '#digit-upload', [png(`digit-${c}.png`, digitPng(c))]);
      const text = await message(page, 'upload-message', 'ok', `digit-${c}.png`);
      expect(text).toBe(
        `Uploaded “digit-${c}.png” (152×122, dark on light, inverted to MNIST’s white on black), scaled to 20×20 and centred in 28×28.`,
      );
      await settled(page);
      if ((await prediction(page, 'cnn-probs')) === c) right++;
    }
    expect(right).toBeGreaterThanOrEqual(9);
    // Light on dark is taken as it is; drag-and-drop onto the pad works like the file input.
    await choose(page, '#digit-upload', [png('seven.png', digitPng(7, { scale: 2, lightOnDark: true }))]);
    expect(await message(page, 'upload-message', 'ok', 'seven.png')).toContain('(96×66, light on dark, as MNIST)');
    await settled(page);
    expect(await prediction(page, 'cnn-probs')).toBe(7);
    const dropped = digitPng(2, { scale: 3 });
    await page.evaluate(
      (bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'dropped-two.png', { type: 'image/png' }));
        document
          .querySelector('#drawpad')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [...dropped],
    );
    await message(page, 'upload-message', 'ok', 'dropped-two.png');
    await settled(page);
    expect(await prediction(page, 'cnn-probs')).toBe(2);
    expect(await page.textContent('#digit-label')).toBe('uploaded “dropped-two.png”');

    // JPEG and WebP (encoded by the browser: a pen stroke of a 1 on paper), and a JPEG cut short.
    for (const type of ['image/jpeg', 'image/webp', 'image/jpeg-cut'] as const) {
      const name = await page.evaluate(async (type) => {
        const canvas = new OffscreenCanvas(90, 120);
        const c = canvas.getContext('2d')!;
        c.fillStyle = '#f4f1ea';
        c.fillRect(0, 0, 90, 120);
        c.strokeStyle = '#222';
        c.lineWidth = 9;
        c.lineCap = 'round';
        c.beginPath();
        c.moveTo(44, 18);
        c.lineTo(47, 102);
        c.stroke();
        const cut = type === 'image/jpeg-cut';
        let blob = await canvas.convertToBlob({ type: cut ? 'image/jpeg' : type, quality: 0.9 });
        if (cut) blob = blob.slice(0, blob.size - 40);
        const name = `one.${cut ? 'cut.jpg' : type.slice(6)}`;
        const data = new DataTransfer();
        data.items.add(new File([blob], name, { type: blob.type }));
        document
          .querySelector('#digit-drop')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        return name;
      }, type);
      if (type === 'image/jpeg-cut') {
        expect(await message(page, 'upload-message', 'error', name)).toMatch(
          /^“one\.cut\.jpg” is a truncated JPEG \(\d+ bytes, it ends early\)/,
        );
        expect(await prediction(page, 'cnn-probs')).toBe(1); // still the WebP one
      } else {
        expect(await message(page, 'upload-message', 'ok', name)).toContain('(90×120, dark on light, inverted');
        await settled(page);
        expect(await prediction(page, 'cnn-probs')).toBe(1);
      }
    }

    // Damaged pictures: a message each, the 1 stays.
    const before = await state(page);
    const shippedParams = await page.textContent('#cnn-params');
    const good = digitPng(5);
    const zero = greyPng(new Uint8Array(0), 0, 0);
    const bad: [string, Buffer, string][] = [
      [
        'truncated.png',
        good.subarray(0, good.length >> 1),
        `“truncated.png” is a truncated PNG (${good.length >> 1} bytes, it ends early) — choose a PNG, JPEG, WebP, GIF or BMP picture of one digit; this one is damaged.`,
      ],
      [
        'notes.png',
        Buffer.from('shopping list: milk, eggs\n'),
        '“notes.png” is not a picture: it is a text file — choose a PNG, JPEG, WebP, GIF or BMP picture of one digit.',
      ],
      [
        'empty.png',
        Buffer.alloc(0),
        '“empty.png” is empty (0 bytes) — choose a PNG, JPEG, WebP, GIF or BMP picture of one digit.',
      ],
      [
        'zero.png',
        zero,
        '“zero.png” is a 0×0 PNG, with no pixels — choose a PNG, JPEG, WebP, GIF or BMP picture of one digit.',
      ],
      [
        'garbage.png',
        Buffer.concat([good.subarray(0, 33), Buffer.alloc(200, 7), good.subarray(good.length - 12)]),
        '“garbage.png” looks like a PNG but the browser cannot decode it (damaged?)',
      ],
    ];
    for (const [name, bytes, text] of bad) {
      await choose(page, '#digit-upload', [png(name, bytes)]);
      expect(await message(page, 'upload-message', 'error', name)).toContain(text);
      expect(await state(page)).toEqual(before);
    }
    await page.screenshot({ path: artifact('upload-cnn-bad-picture.png') });

    // The user's own model: damaged files are refused with the reason; the shipped model stays.
    const json = readFileSync(join(pretrained, 'mnist-cnn', 'model.json'));
    const weights = readFileSync(join(pretrained, 'mnist-cnn', 'weights.bin'));
    const file = (name: string, buffer: Buffer) => ({
      name,
      mimeType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      buffer,
    });
    const noManifest = JSON.parse(json.toString());
    delete noManifest.weightsManifest;
    const nan = Buffer.from(weights);
    nan.writeFloatLE(NaN, 4 * 3);
    const spamJson = readFileSync(join(pretrained, 'spam-lstm', 'model.json'));
    const spamWeights = readFileSync(join(pretrained, 'spam-lstm', 'weights.bin'));
    const badModels: [ReturnType<typeof file>[], RegExp][] = [
      [
        [file('model.json', Buffer.from('{ not json'))],
        /^“model\.json” is not valid JSON \(.+\) — choose a Keras \.keras or \.h5 file, or model\.json together with its weights file\(s\)/,
      ],
      [
        [file('model.json', Buffer.from(JSON.stringify(noManifest))), file('weights.bin', weights)],
        /^“model\.json” lists no weights files \(no weightsManifest\) — save the model with model\.save/,
      ],
      [[file('model.json', json)], /^weights file “weights\.bin” missing \(model\.json names 1\)/],
      [
        [file('model.json', json), file('weights.bin', weights.subarray(0, 5000))],
        new RegExp(
          `^“model\\.json”: the weights are too short \\(truncated\\?\\): expected ${weights.length} bytes for the \\d+ weights model\\.json lists, got 5000 — choose the weights saved with this model\\.json\\.$`,
        ),
      ],
      [
        [file('model.json', json), file('weights.bin', nan)],
        /^“model\.json”: the model's weight \S+ contains NaN: expected finite weights, got NaN at index 3 \(1 non-finite of \d+\) — its weights file is damaged/,
      ],
      [
        [file('model.json', spamJson), file('weights.bin', spamWeights)],
        /^wrong shapes: this page needs a model taking \[N, 28, 28, 1\] and giving \[N, 10\]; “model\.json” takes \[N, 100\] and gives \[N, 1\] — upload an MNIST classifier/,
      ],
      [[file('weights.bin', weights)], /^no model\.json among the chosen files/],
    ];
    for (const [files, text] of badModels) {
      await page.evaluate(() => {
        document.getElementById('model-message')!.dataset.state = 'pending';
      });
      await choose(page, '#model-upload', files);
      await page.waitForFunction(() => document.getElementById('model-message')!.dataset.state === 'error', null, {
        timeout: 30_000,
      });
      expect(await page.textContent('#model-message')).toMatch(text);
      expect(await state(page)).toEqual(before);
    }
    await page.screenshot({ path: artifact('upload-cnn-bad-model.png') });

    // A good model (the robust CNN's files) is taken: the bars now show its answer for the same 1.
    if (existsSync(join(pretrained, 'mnist-cnn-robust', 'model.json'))) {
      const files = [
        file('model.json', readFileSync(join(pretrained, 'mnist-cnn-robust', 'model.json'))),
        file('weights.bin', readFileSync(join(pretrained, 'mnist-cnn-robust', 'weights.bin'))),
      ];
      await choose(page, '#model-upload', files);
      await message(page, 'model-message', 'ok', 'Using the uploaded model');
      await settled(page);
      const params = (await page.textContent('#model-name'))!.match(
        /^uploaded model\.json \(([\d,]+) parameters\)$/,
      )![1];
      // The robust CNN is a different architecture: the parameter table follows the model in use.
      expect(await page.textContent('#cnn-params')).toBe(params);
      expect(params).not.toBe(shippedParams);
      expect(await prediction(page, 'cnn-probs')).toBe(1);
      // A bad upload now keeps the uploaded model; the reset button brings the shipped one back.
      const uploaded = await state(page);
      await choose(page, '#model-upload', [file('model.json', Buffer.alloc(0))]);
      expect(await message(page, 'model-message', 'error', 'empty')).toMatch(/^“model\.json” is empty \(0 bytes\)/);
      expect(await state(page)).toEqual(uploaded);
      await page.click('#model-reset');
      await settled(page);
      expect(await state(page)).toMatchObject({ prediction: 1, probs: before.probs, model: 'mnist-cnn' });
      expect(await page.textContent('#cnn-params')).toBe(shippedParams);
    }
    await finish(page, errors, 'upload-cnn');
  });

  it('Adversarial: an uploaded picture is the attacked digit; a damaged one changes nothing', async () => {
    const { page, errors } = await open('adversarial');
    if (!shipped('mnist-cnn')) return finish(page, errors, 'upload-adversarial');
    expect(await prediction(page, 'probs-original')).toBe(3); // the page starts on the first test 3
    await choose(page, '#digit-upload', [png('seven.png', digitPng(7))]);
    await message(page, 'upload-message', 'ok', 'inverted to MNIST’s white on black');
    await originalIs(page, 7);
    const probs = await page.textContent('#probs-original');
    await choose(page, '#digit-upload', [png('cut.png', digitPng(1).subarray(0, 100))]);
    expect(await message(page, 'upload-message', 'error', 'cut.png')).toMatch(
      /^“cut\.png” is a truncated PNG \(100 bytes, it ends early\)/,
    );
    expect(await page.textContent('#probs-original')).toBe(probs);
    // FGSM at ε 0.3 on the uploaded seven (no label: the model's own answer is the class to leave).
    expect(await fgsmAt03(page)).toMatch(/^FGSM: (succeeded|failed) — 7 → \d in/);
    await finish(page, errors, 'upload-adversarial');
  });

  it('CNN: a real Keras .keras classifier is taken; the page shows its accuracy on the 1000 test digits, as Node computes it', async () => {
    const keras = readFileSync(join(kerasFixtures, 'mnist-cnn-k3-moonflower.keras'));
    const h5 = readFileSync(join(kerasFixtures, 'mnist-cnn-k3-moonflower.h5'));
    const want = await nodeScores(['mnist-cnn-k3-moonflower.keras', 'mnist-cnn-k3-moonflower.h5']);
    const { page, errors } = await open('cnn');
    if (!shipped('mnist-cnn')) return finish(page, errors, 'upload-keras-cnn');
    // The HDF5 library (h5wasm, megabytes) is fetched only once a Keras file is opened.
    expect(await hdf5Requested(page)).toBe(false);
    const before = await state(page);
    // Damaged Keras files first: each named, the shipped model stays.
    const bad: [string, Buffer, RegExp][] = [
      [
        'notes.keras',
        Buffer.from('shopping list: milk, eggs\n'),
        /^“notes\.keras” is not a Keras file \(a \.keras file is a zip, an \.h5 file HDF5\): it is a text file — choose a Keras \.keras or \.h5 file/,
      ],
      [
        'cut.keras',
        keras.subarray(0, keras.length >> 1),
        /^the Keras model in “cut\.keras” cannot be loaded: .+ — save it again from Keras/,
      ],
      ['empty.h5', Buffer.alloc(0), /^“empty\.h5” is empty \(0 bytes\)/],
    ];
    for (const [name, bytes, text] of bad) {
      await page.evaluate(() => {
        document.getElementById('model-message')!.dataset.state = 'pending';
      });
      await choose(page, '#model-upload', [binary(name, bytes)]);
      await page.waitForFunction(() => document.getElementById('model-message')!.dataset.state === 'error', null, {
        timeout: 60_000,
      });
      expect(await page.textContent('#model-message')).toMatch(text);
      expect(await state(page)).toEqual(before);
    }

    await choose(page, '#model-upload', [binary('mnist-cnn-k3-moonflower.keras', keras)]);
    const text = await message(page, 'model-message', 'ok', 'Using the uploaded model');
    expect(await hdf5Requested(page)).toBe(true);
    const shown = text.match(
      /^Using the uploaded model: Keras \.keras file “mnist-cnn-k3-moonflower\.keras”, input \[N, 28, 28, 1\] → \[N, 10\]; (\d+\.\d) % of the 1000 test digits right\.$/,
    );
    expect(shown, text).not.toBeNull();
    const accuracy = Number(await page.getAttribute('#model-name', 'data-accuracy'));
    // The same 1000 digits in Node on tfjs's cpu backend: the page (on 'lanes') agrees within one digit.
    expect(Math.abs(accuracy - want[0].accuracy)).toBeLessThanOrEqual(0.001);
    expect(Number(shown![1])).toBeCloseTo(100 * accuracy, 1);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(await page.textContent('#model-name')).toBe(
      `uploaded mnist-cnn-k3-moonflower.keras (${want[0].params.toLocaleString('en')} parameters)`,
    );
    expect(await page.textContent('#cnn-params')).toBe(want[0].params.toLocaleString('en'));
    // Its answers: the first test digit of every class, as pictures.
    let right = 0;
    for (let c = 0; c < 10; c++) {
      await choose(page, '#digit-upload', [png(`k-digit-${c}.png`, digitPng(c))]);
      await message(page, 'upload-message', 'ok', `k-digit-${c}.png`);
      await settled(page);
      if ((await prediction(page, 'cnn-probs')) === c) right++;
    }
    expect(right).toBeGreaterThanOrEqual(9);
    // The .h5 the same Keras wrote, dropped on the section (other weights: its own accuracy).
    await page.evaluate(
      (bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'mnist-cnn-k3-moonflower.h5'));
        document
          .querySelector('#own-model')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [...h5],
    );
    await message(page, 'model-message', 'ok', 'Keras .h5 file “mnist-cnn-k3-moonflower.h5”');
    await settled(page);
    const h5Accuracy = Number(await page.getAttribute('#model-name', 'data-accuracy'));
    expect(Math.abs(h5Accuracy - want[1].accuracy)).toBeLessThanOrEqual(0.001);
    expect(await prediction(page, 'cnn-probs')).toBe(9);
    // A Keras-style [N, 784] classifier (Dense first) is wrapped to take the page's [N, 28, 28, 1].
    const flat = await nodeFlatClassifier();
    await choose(page, '#model-upload', [binary('flat.keras', flat.bytes)]);
    await message(page, 'model-message', 'ok', 'Keras .keras file “flat.keras”');
    await settled(page);
    // Seeded random weights: near chance, but the same near-chance figure as Node's (one digit of slack).
    const flatAccuracy = Number(await page.getAttribute('#model-name', 'data-accuracy'));
    expect(Math.abs(flatAccuracy - flat.accuracy)).toBeLessThanOrEqual(0.001);
    expect(await page.textContent('#model-name')).toBe('uploaded flat.keras (7,850 parameters)');
    // Its own layers on show (maps come after the bars): one Dense layer, its 10 outputs for the digit on the pad.
    await page.waitForFunction(
      () => {
        const layers = document.querySelectorAll<HTMLElement>('#feature-maps .layer');
        return layers.length === 1 && layers[0].textContent!.includes('Dense → 10');
      },
      null,
      { timeout: 30_000 },
    );
    console.log(
      `demo, Keras uploads: .keras ${(100 * accuracy).toFixed(1)} % (Node ${(100 * want[0].accuracy).toFixed(1)} %), .h5 ${(100 * h5Accuracy).toFixed(1)} % (Node ${(100 * want[1].accuracy).toFixed(1)} %) of 1000`,
    );
    await finish(page, errors, 'upload-keras-cnn');
  });

  it('Adversarial: a Keras classifier is attacked and joins the robust-accuracy curve', async () => {
    const keras = readFileSync(join(kerasFixtures, 'mnist-cnn-k3-moonflower.keras'));
    const [want] = await nodeScores(['mnist-cnn-k3-moonflower.keras']);
    const { page, errors } = await open('adversarial');
    if (!shipped('mnist-cnn')) return finish(page, errors, 'upload-keras-adversarial');
    expect(await page.isDisabled('#model-uploaded')).toBe(true);
    await choose(page, '#adv-model-upload', [binary('mnist-cnn-k3-moonflower.keras', keras)]);
    const text = await message(page, 'adv-model-message', 'ok', 'Using the uploaded model');
    expect(text).toBe(
      `Using the uploaded model: Keras .keras file “mnist-cnn-k3-moonflower.keras”, ${want.params.toLocaleString('en')} parameters; ${(100 * want.accuracy).toFixed(1)} % of the 1000 test digits right.`,
    );
    expect(await page.isChecked('#model-uploaded')).toBe(true);
    await originalIs(page, 3);
    expect(await fgsmAt03(page)).toMatch(/^FGSM: (succeeded|failed) — 3 → \d in/);
    // The curve on 10 digits now has the uploaded model's rows: clean accuracy, then falling with ε.
    await page.locator('#curve-digits').fill('10');
    await page.click('#robust-curve');
    await page.waitForSelector('#robust-table tr[data-model="uploaded"][data-attack="PGD"]', { timeout: 300_000 });
    const pgd = await page.$$eval(
      '#robust-table tr[data-model="uploaded"][data-attack="PGD"] td[data-accuracy]',
      (tds) => tds.map((td) => Number((td as HTMLElement).dataset.accuracy)),
    );
    expect(pgd).toHaveLength(6);
    expect(pgd[0]).toBeGreaterThanOrEqual(0.8);
    expect(pgd[5]).toBeLessThan(pgd[0]);
    console.log(`demo, Keras classifier under PGD-10 (10 digits, ε 0…0.3): ${pgd.join(', ')}`);
    await finish(page, errors, 'upload-keras-adversarial');
  });

  it('GAN: a generator saved as .keras draws digits the CNN reads; a classifier is refused as a generator', async () => {
    if (!shipped('mnist-dcgan-generator')) return;
    const generator = await nodeKerasGenerator();
    const { page, errors } = await open('gan');
    await choose(page, '#generator-upload', [
      binary('mnist-cnn-k3-moonflower.keras', readFileSync(join(kerasFixtures, 'mnist-cnn-k3-moonflower.keras'))),
    ]);
    expect(await message(page, 'generator-message', 'error', 'wrong shapes')).toMatch(
      /^wrong shapes: this page needs a generator taking \[N, d\] latent vectors and giving \[N, 28, 28, 1\] images; “mnist-cnn-k3-moonflower\.keras” takes \[N, 28, 28, 1\] and gives \[N, 10\] — upload an MNIST generator/,
    );
    await choose(page, '#generator-upload', [binary('generator.keras', generator.bytes)]);
    expect(await message(page, 'generator-message', 'ok', 'Using the uploaded generator')).toBe(
      `Using the uploaded generator: Keras .keras file “generator.keras”, latent [N, ${generator.latentDim}] → [N, 28, 28, 1].`,
    );
    await page.waitForSelector('#generator-grid');
    const covered = Number(await page.getAttribute('#generator-coverage', 'data-classes-covered'));
    const confident = Number(await page.getAttribute('#generator-coverage', 'data-confident-share'));
    expect(covered).toBeGreaterThanOrEqual(7);
    expect(confident).toBeGreaterThanOrEqual(0.5);
    // A tanh generator (a Dense-then-Reshape one, as simple Keras GANs are): [−1, 1] shown as (x + 1) / 2.
    await choose(page, '#generator-upload', [binary('tanh.keras', await nodeTanhGenerator())]);
    expect(await message(page, 'generator-message', 'ok', 'tanh.keras')).toBe(
      'Using the uploaded generator: Keras .keras file “tanh.keras”, latent [N, 8] → [N, 28, 28, 1]; its tanh outputs in [−1, 1] are shown as (x + 1) / 2.',
    );
    console.log(
      `demo, generator as .keras: 32 samples, ${covered} classes, ${(100 * confident).toFixed(0)} % confident`,
    );
    await finish(page, errors, 'upload-keras-gan');
  });
});

/** Waits until the Adversarial page's original digit is classified as `c`. */
async function originalIs(page: Page, c: number): Promise<void> {
  await page.waitForFunction(
    (c) => document.querySelector('#probs-original')?.getAttribute('data-prediction') === String(c),
    c,
    { timeout: 30_000 },
  );
}

/** Runs FGSM at ε 0.3 on the Adversarial page's digit; checks ‖δ‖∞ and returns the status line. */
async function fgsmAt03(page: Page): Promise<string> {
  await page.selectOption('#attack', 'fgsm');
  await page.locator('#eps').fill('0.3');
  await page.click('#run-attack');
  await page.waitForFunction(
    () => ['success', 'failure'].includes(document.querySelector<HTMLElement>('#page')!.dataset.attack ?? ''),
    null,
    { timeout: 60_000 },
  );
  expect(await page.textContent('#perturbation-norms')).toMatch(/^‖δ‖∞ = 0\.300,/);
  return (await page.textContent('#attack-status'))!;
}

/** Whether the page has fetched the HDF5 reader's chunk (vite names it after h5wasm's hdf5_hl). */
const hdf5Requested = (page: Page): Promise<boolean> =>
  page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/hdf5_hl-[^/]*\.js$/.test(e.name)));

const binary = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });

/** tfjs on its cpu backend in this process. */
async function nodeTf(): Promise<typeof tfc> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  return tf;
}

/** Accuracy on the demo's 1000 test digits and parameter count of Keras fixtures, loaded in Node. */
async function nodeScores(files: string[]): Promise<{ accuracy: number; params: number }[]> {
  await nodeTf();
  const { decodeImageAsset, evaluateClassifier, loadKerasModel } = await import('@lanes/models');
  const digits = decodeImageAsset(new Uint8Array(asset));
  const out = [];
  for (const f of files) {
    const model: tfl.LayersModel = await loadKerasModel(join(kerasFixtures, f));
    out.push({ accuracy: (await evaluateClassifier(model, digits)).accuracy, params: model.countParams() });
    model.dispose();
  }
  return out;
}

/** A seeded softmax classifier of `[N, 784]` saved as `.keras`, and its accuracy on the demo's digits in Node. */
async function nodeFlatClassifier(): Promise<{ bytes: Buffer; accuracy: number }> {
  await nodeTf();
  const tfl = await import('@tensorflow/tfjs-layers');
  const { decodeImageAsset, evaluateClassifier, saveKerasModel, withImageInput } = await import('@lanes/models');
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [784],
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }),
      }),
    ],
  });
  const digits = decodeImageAsset(new Uint8Array(asset));
  const images = withImageInput(model, [28, 28, 1])!;
  const { accuracy } = await evaluateClassifier(images, digits);
  const bytes = Buffer.from(await saveKerasModel(model));
  images.dispose();
  return { bytes, accuracy };
}

/** A seeded generator from 8 latent values to 28×28 images through tanh, saved as `.keras`. */
async function nodeTanhGenerator(): Promise<Buffer> {
  await nodeTf();
  const tfl = await import('@tensorflow/tfjs-layers');
  const { saveKerasModel } = await import('@lanes/models');
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [8],
        units: 784,
        activation: 'tanh',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
      tfl.layers.reshape({ targetShape: [28, 28, 1] }),
    ],
  });
  const bytes = Buffer.from(await saveKerasModel(model));
  model.dispose();
  return bytes;
}

/** The shipped generator saved as a `.keras` file by saveKerasModel. */
async function nodeKerasGenerator(): Promise<{ bytes: Buffer; latentDim: number }> {
  await nodeTf();
  const { latentDimOf, saveKerasModel } = await import('@lanes/models');
  const { loadModelFromDir } = await import('@lanes/models/node');
  const model = await loadModelFromDir(join(pretrained, 'mnist-dcgan-generator'));
  const bytes = Buffer.from(await saveKerasModel(model));
  const latentDim = latentDimOf(model);
  model.dispose();
  return { bytes, latentDim };
}
