import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { preview, type PreviewServer } from 'vite';
import { chromium, type Browser } from 'playwright-core';

// Debian's chromium (.ci/run installs it); nothing downloads a browser of its own.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');
const artifacts = join(root, 'test-artifacts');

let server: PreviewServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  if (!existsSync(join(root, 'dist/index.html'))) throw new Error('No production build: run `vite build` (turbo build does) first.');
  server = await preview({ root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  url = server.resolvedUrls!.local[0];
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('web demo (production build, headless chromium)', () => {
  it('runs lanes with threads in a cross-origin isolated page, no console errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('#matmul', { timeout: 60_000 });
    expect(await page.textContent('#backend')).toBe('lanes');
    expect(await page.textContent('#isolated')).toBe('true');
    expect(await page.textContent('#build')).toBe('relaxed-simd'); // Chromium validates relaxed SIMD
    expect(await page.textContent('#matmul')).toBe('7, 10, 15, 22');
    await page.screenshot({ path: join(artifacts, 'backends.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
