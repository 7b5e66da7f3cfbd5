// The production build served by `vite preview` and Debian's chromium driving it headless: shared
// by the e2e tests and the browser benchmark. Nothing downloads a browser of its own.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

/** The web-demo package. */
export const root = join(import.meta.dirname, '..');

/** Debian's chromium (`.ci/run` installs it), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Serves dist/ on a free local port and launches chromium headless; `close()` stops both. */
export async function serveAndLaunch() {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  if (!existsSync(join(root, 'dist/index.html')))
    throw new Error('No production build: run `vite build` (turbo build does) first.');
  const server = await preview({ root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
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
  return {
    url: server.resolvedUrls.local[0],
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
