import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectChecked, runNode, targets, type CheckResult } from './targets/expect.js';

// The built package on every target users run it on. Each target runs test/targets/check.mjs: a
// conv and an LSTM forward on 'lanes', compared with 'cpu' in the same runtime.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('built @lanes/core on each target: conv + LSTM forward on lanes equal cpu', () => {
  it('Node ESM', () => expectChecked(runNode('esm.mjs')));
  it('Node CommonJS', () => expectChecked(runNode('cjs.cjs')));
  it('Node worker_thread', () => {
    const r = runNode('worker-thread.mjs');
    expect(r.inWorker).toBe(true);
    expectChecked(r);
  });

  const out = mkdtempSync(join(tmpdir(), 'lanes-vite-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('Vite production bundle in headless chromium: the page and a module Web Worker', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
    const { build, preview } = await import('vite');
    const { chromium } = await import('playwright-core');
    const root = join(targets, 'browser');
    const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    await build({
      root,
      logLevel: 'silent',
      configFile: false,
      build: { outDir: out, emptyOutDir: true, target: 'es2022' },
      worker: { format: 'es' },
    });
    const server = await preview({
      root,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: out },
      preview: { port: 0, host: '127.0.0.1', headers: isolation },
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.resolvedUrls!.local[0]!);
      await page.waitForFunction(
        () => (window as unknown as { __lanesResult?: unknown }).__lanesResult !== undefined,
        undefined,
        { timeout: 120_000 },
      );
      const r = await page.evaluate(
        () =>
          (
            window as unknown as {
              __lanesResult: { page: CheckResult; worker: CheckResult; isolated: boolean; error?: string };
            }
          ).__lanesResult,
      );
      expect(r.error).toBeUndefined();
      expect(r.isolated).toBe(true);
      expectChecked(r.page);
      expect(r.page.build).toBe('relaxed-simd'); // Chromium validates relaxed SIMD
      expect(r.page.threads).toBeGreaterThan(1); // cross-origin isolated: worker threads
      expect(r.worker.inWorker).toBe(true);
      expectChecked(r.worker);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 900_000); // a hang guard, not a speed limit: bundling tfjs takes minutes on a loaded machine
});
