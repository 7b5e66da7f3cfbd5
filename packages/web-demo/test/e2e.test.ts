import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shipped, useDemo } from './demo_browser.js';

const { open, finish } = useDemo();

/** Drags the mouse (pointer events) along `points` given in [0, 1] of the drawing canvas. */
async function draw(page: Page, strokes: [number, number][][]): Promise<void> {
  const box = (await page.locator('#drawpad').boundingBox())!;
  const at = ([x, y]: [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  }
}

/** Waits until the CNN page's probabilities show its latest input. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const want = document.querySelector<HTMLElement>('#page')?.dataset.inputVersion;
      return want !== undefined && document.querySelector<HTMLElement>('#cnn-probs')?.dataset.version === want;
    },
    null,
    { timeout: 20_000 },
  );
}

const prediction = async (page: Page, id: string): Promise<number> =>
  Number(await page.getAttribute(`#${id}`, 'data-prediction'));

describe('web demo (production build, headless chromium)', () => {
  it('CNN: picked test digits and drawn digits get the right class; filters, feature maps, shifts, parameter counts', async () => {
    const { page, errors } = await open('cnn');
    if (!shipped('mnist-cnn')) {
      expect(await page.textContent('[data-missing="mnist-cnn"]')).toContain('not shipped yet');
      return finish(page, errors, 'cnn');
    }
    // The first test digit of every class (the shipped CNN has 99.3 % test accuracy: at most one miss).
    let right = 0;
    for (let c = 0; c < 10; c++) {
      await page.selectOption('#digit-class', String(c));
      await page.click('#pick-digit');
      expect(await page.textContent('#digit-label')).toMatch(new RegExp(`label ${c}$`));
      await settled(page);
      if ((await prediction(page, 'cnn-probs')) === c) right++;
    }
    expect(right).toBeGreaterThanOrEqual(9);
    // Draw a 1 and a 7 with the mouse (the canvas is centred and scaled like MNIST).
    await page.click('#clear-pad');
    await draw(page, [
      [
        [0.5, 0.15],
        [0.52, 0.5],
        [0.53, 0.85],
      ],
    ]);
    await page.waitForTimeout(100); // the last stroke reports on the next animation frame
    await settled(page);
    expect(await prediction(page, 'cnn-probs')).toBe(1);
    await page.click('#clear-pad');
    await draw(page, [
      [
        [0.25, 0.2],
        [0.75, 0.2],
        [0.55, 0.5],
        [0.4, 0.85],
      ],
    ]);
    await page.waitForTimeout(100); // the last stroke reports on the next animation frame
    await settled(page);
    expect(await prediction(page, 'cnn-probs')).toBe(7);
    // A finger (touch pointer) draws too.
    await page.click('#clear-pad');
    await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#drawpad')!;
      const r = c.getBoundingClientRect();
      const ev = (type: string, y: number): PointerEvent =>
        new PointerEvent(type, {
          pointerId: 7,
          pointerType: 'touch',
          clientX: r.left + 0.5 * r.width,
          clientY: r.top + y * r.height,
          bubbles: true,
        });
      c.dispatchEvent(ev('pointerdown', 0.15));
      for (let y = 0.2; y <= 0.85; y += 0.05) c.dispatchEvent(ev('pointermove', y));
      c.dispatchEvent(ev('pointerup', 0.85));
    });
    await page.waitForTimeout(100); // the last stroke reports on the next animation frame
    await settled(page);
    expect(await prediction(page, 'cnn-probs')).toBe(1);

    // Learned filters: conv1's 32 5×5 filters are shown.
    expect(await page.locator('#filters .layer').first().locator('canvas').count()).toBe(32);
    // Every layer's output, pooling halving the maps.
    const layers = await page
      .locator('#feature-maps .layer')
      .evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-layer'), l.querySelector('small')?.textContent]));
    expect(layers).toContainEqual(['conv1_1', 'Conv2D → 24×24×32']);
    expect(layers).toContainEqual(['pool1', 'MaxPooling2D → 12×12×32']);
    expect(layers).toContainEqual(['pool2', 'MaxPooling2D → 4×4×64']);
    expect(layers).toContainEqual(['probabilities', 'Dense → 10']);
    // Translation invariance: a small shift keeps the class.
    expect(Number(await page.getAttribute('#invariance', 'data-from'))).toBeLessThanOrEqual(-2);
    expect(Number(await page.getAttribute('#invariance', 'data-to'))).toBeGreaterThanOrEqual(2);
    // Weight sharing: 2 conv blocks + dense 128 against the 784-512-256-10 MLP.
    expect(await page.textContent('#cnn-params')).toBe('184,586');
    expect(await page.textContent('#mlp-params')).toBe('535,818');
    await finish(page, errors, 'cnn');
  });

  it('Adversarial: FGSM flips a prediction (not the robust one), targeted PGD hits its target, Square counts queries; robust accuracy falls with ε', async () => {
    const { page, errors } = await open('adversarial');
    if (!shipped('mnist-cnn')) {
      expect(await page.textContent('[data-missing="mnist-cnn"]')).toContain('not shipped yet');
      return finish(page, errors, 'adversarial');
    }
    const attack = async (name: string, eps: number, target?: number): Promise<void> => {
      await page.selectOption('#attack', name);
      await page.locator('#eps').fill(String(eps));
      await page.setChecked('#targeted', target !== undefined);
      if (target !== undefined) await page.selectOption('#target-class', String(target));
      await page.click('#run-attack');
      await page.waitForFunction(
        () => ['success', 'failure'].includes(document.querySelector<HTMLElement>('#page')!.dataset.attack ?? ''),
        null,
        { timeout: 60_000 },
      );
    };
    // Test digit: the first 3.
    expect(await page.textContent('#digit-label')).toMatch(/label 3$/);
    await attack('fgsm', 0.3);
    expect(await page.getAttribute('#page', 'data-attack')).toBe('success');
    expect(await prediction(page, 'probs-original')).toBe(3);
    expect(await prediction(page, 'probs-adversarial')).not.toBe(3);
    expect(await page.textContent('#perturbation-norms')).toMatch(/^‖δ‖∞ = 0\.300,/);

    if (shipped('mnist-cnn-robust')) {
      // The adversarially trained model shrugs off the same attack.
      await page.check('#model-robust');
      await attack('fgsm', 0.3);
      expect(await page.getAttribute('#page', 'data-attack')).toBe('failure');
      expect(await prediction(page, 'probs-adversarial')).toBe(3);
      await page.check('#model-standard');
    }

    await attack('pgd', 0.3, 8);
    expect(await page.getAttribute('#page', 'data-attack')).toBe('success');
    expect(await prediction(page, 'probs-adversarial')).toBe(8);

    await attack('square', 0.3);
    expect(await page.getAttribute('#page', 'data-attack')).toBe('success');
    const queries = Number(await page.textContent('#queries'));
    expect(queries).toBeGreaterThan(1);
    expect(queries).toBeLessThanOrEqual(3000);
    expect(await page.textContent('#attack-status')).toContain(`${queries} queries`);

    await page.click('#robust-curve');
    await page.waitForFunction(() => /done/.test(document.querySelector('#curve-progress')?.textContent ?? ''), null, {
      timeout: 90_000,
    });
    const curve = async (model: string, attack: string): Promise<number[]> =>
      page
        .locator(`#robust-table tr[data-model="${model}"][data-attack="${attack}"] td[data-accuracy]`)
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-accuracy'))));
    const pgd = await curve('mnist-cnn', 'PGD');
    const fgsmCurve = await curve('mnist-cnn', 'FGSM');
    expect(pgd).toHaveLength(6); // ε 0 (clean), 0.05, 0.1, 0.15, 0.2, 0.3
    expect(pgd[0]).toBeGreaterThanOrEqual(0.9); // clean accuracy on 20 balanced test digits
    for (let i = 1; i < pgd.length; i++) expect(pgd[i]).toBeLessThanOrEqual(pgd[i - 1]);
    expect(pgd[5]).toBeLessThanOrEqual(0.1); // PGD-10 at ε 0.3 breaks the standard CNN
    for (let i = 0; i < pgd.length; i++) expect(pgd[i]).toBeLessThanOrEqual(fgsmCurve[i]); // PGD is the stronger attack
    if (shipped('mnist-cnn-robust')) expect((await curve('mnist-cnn-robust', 'PGD'))[5]).toBeGreaterThan(pgd[5] + 0.3);
    expect(await page.getAttribute('#robust-chart', 'data-points')).toBe('6');
    await finish(page, errors, 'adversarial');
  });

  it('GAN: the sample grid renders (or says the generator is not shipped); live training steps record losses and D accuracy', async () => {
    const { page, errors } = await open('gan');
    if (shipped('mnist-dcgan-generator')) {
      const grid = await page.locator('#gan-grid').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let bright = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 128) bright++;
        return { w: c.width, h: c.height, bright: bright / (d.length / 4) };
      });
      expect(grid).toMatchObject({ w: 8 * 29 - 1, h: 8 * 29 - 1 });
      expect(grid.bright).toBeGreaterThan(0.05); // digits: white strokes on black,
      expect(grid.bright).toBeLessThan(0.5); //    not a blank or saturated grid
      expect(await page.locator('#gan-interpolation').count()).toBe(1);
      // An InfoGAN generator gets one row of 8 samples per latent code.
      const meta = JSON.parse(
        readFileSync(new URL('../dist/models/mnist-dcgan-generator/model.json', import.meta.url), 'utf8'),
      ).userDefinedMetadata?.lanes;
      const codes = meta?.codes;
      if (codes) {
        expect(await page.getAttribute('#gan-codes', 'data-codes')).toBe(String(codes));
        expect(await page.locator('#gan-codes').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
          8 * 29 - 1,
          codes * 29 - 1,
        ]);
        // Codes trained on labels are named by their digits.
        expect(await page.textContent('section#codes h2')).toBe(
          meta.codeClasses ? 'Latent codes: one per digit (AC-GAN)' : 'Latent codes (InfoGAN)',
        );
        if (meta.codeClasses) {
          expect(await page.textContent('section#codes p')).toContain(
            `the digits ${meta.codeClasses.join(', ')} in order`,
          );
          // Picking a digit draws 16 samples of it, which the CNN mostly reads as that digit.
          expect(await page.getAttribute('#gan-digit', 'data-digit')).toBe(meta.codeClasses[0]);
          await page.selectOption('#gan-digit-pick', '3');
          await page.waitForSelector('#gan-digit[data-digit="3"]');
          expect(await page.locator('#gan-digit').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
            8 * 29 - 1,
            2 * 29 - 1,
          ]);
          if (shipped('mnist-cnn'))
            expect(Number(await page.getAttribute('#gan-digit', 'data-agree'))).toBeGreaterThanOrEqual(13);
        }
      } else {
        expect(await page.locator('#gan-codes').count()).toBe(0);
      }
      if (shipped('mnist-cnn'))
        expect(Number(await page.getAttribute('#gan-coverage', 'data-classes-covered'))).toBeGreaterThanOrEqual(8);
    } else {
      expect(await page.textContent('[data-missing="mnist-dcgan-generator"]')).toContain('not shipped yet');
    }
    await page.fill('#gan-steps-per-run', '4');
    await page.click('#gan-train');
    await page.waitForSelector('#gan-train[data-done="4"]', { timeout: 120_000 });
    expect(await page.textContent('#gan-steps')).toBe('4');
    expect(await page.getAttribute('#gan-losses', 'data-points')).toBe('4');
    expect(await page.getAttribute('#gan-accuracy', 'data-points')).toBe('4');
    const [, dLoss, gLoss, dAcc] = (await page.textContent('#gan-progress'))!
      .match(/D loss ([\d.]+), G loss ([\d.]+), D accuracy ([\d.]+) %/)!
      .map(Number);
    expect(dLoss).toBeGreaterThan(0);
    expect(dLoss).toBeLessThan(5);
    expect(gLoss).toBeGreaterThan(0);
    expect(dAcc).toBeGreaterThanOrEqual(0);
    expect(dAcc).toBeLessThanOrEqual(100);
    expect(await page.locator('#gan-live-grid').count()).toBe(1);
    if (shipped('mnist-cnn')) {
      const shares = (await page.getAttribute('#gan-live-coverage', 'data-shares'))!.split(',').map(Number);
      expect(shares).toHaveLength(10);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    }

    // Keep the networks in IndexedDB, train on, load them back (also after a reload), download the generator.
    const liveMean = async () => Number(await page.getAttribute('#gan-live-grid', 'data-mean'));
    const stored = async (button: string, state = 'ok') => {
      await page.click(button);
      await page.waitForSelector(`#gan-store[data-state="${state}"]`);
      const text = (await page.textContent('#gan-store'))!;
      await page.locator('#gan-store').evaluate((p) => delete (p as HTMLElement).dataset.state);
      return text;
    };
    expect(await stored('#gan-load', 'error')).toBe('Nothing saved in this browser yet: train a few steps, then Save.');
    const savedMean = await liveMean();
    expect(await stored('#gan-save')).toMatch(/^Saved both networks after 4 steps/);
    await page.click('#gan-train');
    await page.waitForSelector('#gan-train[data-done="8"]', { timeout: 120_000 });
    expect(await liveMean()).not.toBe(savedMean);
    expect(await stored('#gan-load')).toMatch(/^Loaded the networks saved on .+ after 4 steps/);
    expect(await liveMean()).toBe(savedMean);
    await page.reload();
    await page.waitForSelector('#gan-load');
    expect(await stored('#gan-load')).toMatch(/^Loaded the networks saved on .+ after 4 steps/);
    expect(await liveMean()).toBe(savedMean);
    const files: Record<string, Buffer> = {};
    const downloads = new Promise<void>((resolve) => {
      page.on('download', async (d) => {
        files[d.suggestedFilename()] = readFileSync((await d.path())!);
        if (Object.keys(files).length === 2) resolve();
      });
    });
    expect(await stored('#gan-download')).toBe(
      'Downloaded lanes-live-generator.json and lanes-live-generator.weights.bin.',
    );
    await downloads;
    const json = JSON.parse(files['lanes-live-generator.json'].toString('utf8'));
    expect(json.modelTopology.config.name).toBe('generator');
    expect(json.weightsManifest[0].paths).toEqual(['./lanes-live-generator.weights.bin']);
    const floats = json.weightsManifest[0].weights.reduce(
      (n: number, w: { shape: number[] }) => n + w.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(files['lanes-live-generator.weights.bin'].length).toBe(4 * floats);
    await finish(page, errors, 'gan');
  });

  it("LSTM/GRU: the word model's spam probability, the stock predictor against the last-value baseline, names at two temperatures", async () => {
    const { page, errors } = await open('rnn');
    if (shipped('spam-lstm')) {
      expect(Number(await page.getAttribute('#spam-verdict', 'data-p'))).toBeGreaterThan(0.9); // the spam example
      await page.click('#example-ham');
      await page.waitForFunction(
        () => Number(document.querySelector<HTMLElement>('#spam-verdict')?.dataset.p) < 0.5,
        null,
        { timeout: 30_000 },
      );
      expect(Number(await page.getAttribute('#spam-verdict', 'data-p'))).toBeLessThan(0.1);
      // The gate heatmaps are the character model's, one column per character: e2e-rnn-chars.test.ts.
      await page.fill('#email', 'Subject: cheap viagra\n\nBuy cheap viagra online now, free shipping, click here!');
      await page.waitForFunction(
        () => Number(document.querySelector<HTMLElement>('#spam-verdict')?.dataset.p) > 0.5,
        null,
        { timeout: 30_000 },
      );
    }
    if (shipped('stocks-gru')) {
      const rmse = Number(await page.getAttribute('#stocks-rmse', 'data-rmse'));
      const baseline = Number(await page.getAttribute('#stocks-rmse', 'data-baseline'));
      expect(Number(await page.getAttribute('#stocks-rmse', 'data-count'))).toBe(1017);
      expect(rmse).toBeGreaterThan(10);
      expect(rmse).toBeLessThan(1.05 * baseline); // the GRU stays at the last-value baseline or beats it
      expect(await page.getAttribute('#stocks-chart', 'data-points')).toBe('250');
    }
    if (shipped('names-lstm')) {
      const names = async (): Promise<string[]> => page.locator('#names li').allTextContents();
      const warm = await names();
      expect(warm).toHaveLength(24);
      for (const n of warm) expect(n).toMatch(/^[a-z-]{0,15}$/);
      await page.locator('#temperature').fill('0.2');
      await page.waitForSelector('#names[data-temperature="0.2"]');
      const cold = await names();
      expect(cold).toHaveLength(24);
      expect(new Set(cold).size).toBeLessThan(new Set(warm).size + 1); // colder sampling repeats itself at least as much
      expect(await page.textContent('#names-stats')).toMatch(
        /^\d+ of 24 look pronounceable at temperature 0\.2; \d+ distinct\.$/,
      );
    }
    await finish(page, errors, 'rnn');
  });

  it('BatchNorm: both arms train on the same batches; curves and per-epoch test accuracy are numbers', async () => {
    const { page, errors } = await open('batchnorm');
    await page.fill('#bn-epochs', '1');
    await page.click('#bn-run');
    await page.waitForSelector('#page[data-bn="done"]', { timeout: 120_000 });
    expect(await page.getAttribute('#bn-loss', 'data-points')).toBe('22'); // ceil(700 / 32) batches
    const row = await page
      .locator('#bn-results tr[data-epoch="1"]')
      .evaluate((tr) => ({ ...(tr as HTMLElement).dataset }));
    for (const acc of [Number(row.without), Number(row.with)]) {
      expect(acc).toBeGreaterThan(0.1); // above chance after one epoch on 700 digits
      expect(acc).toBeLessThanOrEqual(1);
    }
    expect(await page.textContent('#bn-progress')).toMatch(
      /^done: mean loss of the last 5 batches [\d.]+ without, [\d.]+ with BatchNorm$/,
    );
    // The trained BN model folded for inference: 3 BatchNorms and 3 ReLUs merged, same predictions.
    const fold = await page.locator('#bn-fold').evaluate((d) => ({ ...(d as HTMLElement).dataset }));
    expect([Number(fold.layersBefore), Number(fold.layersAfter)]).toEqual([13, 7]);
    expect(Number(fold.maxDiff)).toBeLessThan(1e-4);
    expect(await page.textContent('#bn-fold')).toMatch(
      /^Folded: conv1_1 \+ bn1_1 \+ relu1_1; conv2_1 \+ bn2_1 \+ relu2_1; dense \+ bn_dense \+ relu_dense\./,
    );
    await finish(page, errors, 'batchnorm');
  });

  it('every page loads in a narrow phone viewport without console errors or horizontal overflow', async () => {
    for (const hash of ['cnn', 'adversarial', 'gan', 'rnn', 'batchnorm', 'backends']) {
      const { page, errors } = await open(hash, { width: 390, height: 844 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, hash).toBeLessThanOrEqual(0);
      expect(await page.locator('nav a').count()).toBe(6);
      await finish(page, errors, `${hash}-phone`);
    }
  });

  it('Backends: lanes runs threaded relaxed SIMD; lanes, wasm and cpu (and webgl when present) agree; per-op timings', async () => {
    const { page, errors } = await open('backends');
    expect(await page.textContent('#backend')).toBe('lanes');
    expect(await page.textContent('#isolated')).toBe('true');
    expect(await page.textContent('#build')).toBe('relaxed-simd'); // Chromium validates relaxed SIMD
    expect(Number(await page.textContent('#threads'))).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#wasm-features')).toBe('SIMD, threads');
    expect(await page.textContent('#matmul')).toBe('7, 10, 15, 22');

    await page.click('#compare');
    await page.waitForFunction(
      () => /backends ran/.test(document.querySelector('#agreement-note')?.textContent ?? ''),
      null,
      { timeout: 90_000 },
    );
    const rows = await page
      .locator('#agreement tbody tr')
      .evaluateAll((trs) => trs.map((tr) => ({ ...(tr as HTMLElement).dataset })));
    const row = (b: string) => rows.find((r) => r.backend === b)!;
    for (const b of ['cpu', 'lanes', 'wasm']) expect(row(b).available).toBe('true');
    expect(Number(row('lanes').maxDiff)).toBeLessThan(1e-5);
    expect(Number(row('wasm').maxDiff)).toBeLessThan(1e-5);
    // The first outputs as the table prints them (6 decimals): the same numbers, up to the last digit's rounding.
    const shown = (b: string) => row(b).values!.split(',').map(Number);
    shown('lanes').forEach((v, i) => expect(Math.abs(v - shown('cpu')[i]), `value ${i}`).toBeLessThanOrEqual(1.5e-6));
    if (row('webgl').available === 'true') expect(Number(row('webgl').maxDiff)).toBeLessThan(1e-3);
    else expect(await page.textContent('#agreement tr[data-backend="webgl"]')).toContain('unavailable');
    if (shipped('mnist-cnn')) {
      expect(row('lanes').predicted).toBe(row('cpu').predicted);
      expect(row('wasm').predicted).toBe(row('cpu').predicted);
      const right = [...row('cpu').predicted!].filter((d, i) => Number(d) === i % 10).length;
      expect(right).toBeGreaterThanOrEqual(19); // 20 balanced test digits
    }
    // The page's own switcher: cpu, then back to lanes.
    await page.click('#use-cpu');
    await page.waitForFunction(() => document.querySelector('#backend')?.textContent === 'cpu');
    expect(await page.inputValue('#backend-select')).toBe('cpu');
    await page.click('#use-lanes');
    await page.waitForFunction(() => document.querySelector('#backend')?.textContent === 'lanes');

    await page.click('#profile');
    await page.waitForSelector('#op-timings tr[data-kernel]', { timeout: 30_000 });
    const kernels = await page
      .locator('#op-timings tr[data-kernel]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kernel')));
    expect(kernels).toContain(shipped('mnist-cnn') ? 'FusedConv2D' : 'Conv2D');
    await finish(page, errors, 'backends');
  });
});
