// What every e2e file needs: the production build served by `vite preview`, Debian's chromium
// driving it headless, pages opened ready with their console errors collected, and screenshots.
import { afterAll, beforeAll, expect } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { root, serveAndLaunch } from '../scripts/chromium.mjs';

export { root };
const artifacts = join(root, 'test-artifacts');

/** Where a test writes an extra screenshot `name`. */
export const artifact = (name: string): string => join(artifacts, name);

/** Whether a model was shipped (the build copies what packages/models/pretrained holds). */
export const shipped = (name: string): boolean => existsSync(join(root, 'dist', 'models', name, 'model.json'));

/** An open page and the console and page errors it has printed so far. */
interface OpenPage {
  page: Page;
  errors: string[];
}

/** The served demo in one browser for the whole test file. */
export interface Demo {
  /** A page on `hash`, ready (its first results on screen), with its console errors collected. */
  open(
    hash: string,
    viewport?: { width: number; height: number },
    options?: { hasTouch?: boolean; isMobile?: boolean },
  ): Promise<OpenPage>;
  /** Saves a full-page screenshot under test-artifacts/, closes the page, expects no errors. */
  finish(page: Page, errors: string[], name: string): Promise<void>;
}

/** Serves the production build and launches chromium before the file's tests, closing both after. */
export function useDemo(): Demo {
  let demo: Awaited<ReturnType<typeof serveAndLaunch>> | undefined;
  let browser: Browser | undefined;
  let url = '';
  beforeAll(async () => {
    demo = await serveAndLaunch();
    ({ url, browser } = demo);
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await demo?.close();
  });
  return {
    async open(hash, viewport = { width: 1100, height: 900 }, options = {}) {
      const page = await browser!.newPage({ viewport, ...options });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}#${hash}`);
      await page.waitForSelector(`#page[data-ready="${hash}"]`, { timeout: 90_000 });
      return { page, errors };
    },
    async finish(page, errors, name) {
      await page.evaluate(() => window.scrollTo(0, 0)); // the sticky navigation bar stays on top of the full-page shot
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
      await page.close();
      expect(errors).toEqual([]);
    },
  };
}
