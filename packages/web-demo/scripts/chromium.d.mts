import type { Browser } from 'playwright-core';
/** The web-demo package. */
export const root: string;
/** Debian's chromium (`.ci/run` installs it), or CHROMIUM_PATH. */
export const CHROMIUM: string;
/** Serves dist/ on a free local port and launches chromium headless; `close()` stops both. */
export function serveAndLaunch(): Promise<{ url: string; browser: Browser; close(): Promise<void> }>;
