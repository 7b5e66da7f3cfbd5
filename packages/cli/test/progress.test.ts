// Progress is drawn on stderr only when stderr is a terminal (whatever stdout is), coloured unless
// NO_COLOR is set. The terminal is util-linux `script`'s pseudo-terminal; stdout goes to a file.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { colourAllowed, progressEnabled } from '../src/progress.js';

const bin = join(import.meta.dirname, '../dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'lanes-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A short run with a progress bar: FGSM robust accuracy of 20 test digits at two budgets.
const args = ['eval', '--robust', '--attack', 'fgsm', '--n', '20', '--eps', '0,0.1', '--out', dir];

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(command, argv, { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => done({ status, out }));
  });
}

/** The CLI with stderr on a terminal and stdout in `file`; returns what the terminal showed. */
function onTerminal(file: string, noColor: boolean) {
  const env = { ...process.env };
  if (noColor) env.NO_COLOR = '1';
  else delete env.NO_COLOR;
  const line = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  return run('script', ['-qec', `${line} > '${file}'`, '/dev/null'], env);
}

// The bar line: title, bar, counts and ETA (the bar's characters depend on the terminal's charset).
const BAR = /eval FGSM \S* ?\d+\/\d+ \| ETA /;
const CYAN = '\x1b[36m';

describe('progress on stderr', () => {
  it('decides from stderr (not stdout) and --json; NO_COLOR turns colour off', () => {
    expect(progressEnabled(false, { isTTY: true })).toBe(true);
    expect(progressEnabled(false, { isTTY: false })).toBe(false);
    expect(progressEnabled(true, { isTTY: true })).toBe(false);
    expect(colourAllowed({})).toBe(true);
    expect(colourAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ NO_COLOR: '' })).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'a terminal stderr shows the bar (stdout a file), in colour unless NO_COLOR; piped stderr shows none',
    async () => {
      const [coloured, plain, piped] = await Promise.all([
        onTerminal(join(dir, 'coloured.txt'), false),
        onTerminal(join(dir, 'plain.txt'), true),
        run(process.execPath, [bin, ...args], { ...process.env, NO_COLOR: '' }),
      ]);
      for (const r of [coloured, plain, piped]) expect(r.status, r.out).toBe(0);
      expect(coloured.out).toMatch(BAR);
      expect(coloured.out).toContain(CYAN);
      expect(plain.out).toMatch(BAR);
      expect(plain.out).not.toMatch(/\x1b\[3\dm/);
      expect(piped.out).not.toMatch(/ETA/);
      expect(piped.out).not.toContain('\r');
      // The results went to stdout (the file), the bar did not.
      for (const f of ['coloured.txt', 'plain.txt']) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text).toMatch(/accuracy under FGSM \(L∞\) on 20 MNIST test digits/);
        expect(text).not.toMatch(/ETA/);
      }
    },
  );
});
