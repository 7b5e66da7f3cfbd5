// The demo's mini-benchmark (Backends page) in headless chromium, several rounds: the median of
// each backend's per-round medians, 'lanes' against tfjs-wasm (threaded SIMD build, as the demo
// serves it), printed and written into the root README between the browser-bench markers.
//   node scripts/mini-bench.mjs [--rounds N] [--no-readme]
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, serveAndLaunch } from './chromium.mjs';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, 'no-readme': { type: 'boolean', default: false } },
});
const rounds = Number(opts.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`--rounds takes a whole number of rounds (at least 1), not '${opts.rounds}'`);
  process.exit(2);
}
const README = join(root, '../../README.md');
const START = '<!-- browser-bench:start -->',
  END = '<!-- browser-bench:end -->';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const loadBefore = loadavg();
const demo = await serveAndLaunch();
let result;
try {
  const page = await demo.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${demo.url}#backends`);
  await page.waitForSelector('#page[data-ready="backends"]', { timeout: 90_000 });
  const setup = {
    chromium: demo.browser.version(),
    build: await page.textContent('#build'),
    threads: Number(await page.textContent('#threads')),
    isolated: await page.textContent('#isolated'),
  };
  const ops = await page
    .locator('#bench-table thead th')
    .evaluateAll((ths) => ths.slice(1).map((th) => th.textContent.replace(/ \(ms\)$/, '')));
  /** times[backend][op] = per-round medians (ms) */
  const times = {};
  for (let r = 0; r < rounds; r++) {
    process.stderr.write(`round ${r + 1}/${rounds}…\n`);
    await page.click('#bench');
    await page.waitForFunction(
      () =>
        document.querySelector('#bench-progress')?.textContent?.includes('done') &&
        !document.querySelector('#bench').disabled,
      null,
      { timeout: 600_000 },
    );
    const rows = await page.locator('#bench-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        backend: tr.dataset.backend,
        cells: [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent),
      })),
    );
    for (const { backend, cells } of rows) {
      if (cells.length !== ops.length) continue; // unavailable in this browser (webgl without a GPU)
      times[backend] ??= ops.map(() => []);
      cells.forEach((c, i) => times[backend][i].push(Number(c)));
    }
  }
  if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
  if (!times.lanes || !times.wasm) throw new Error(`'lanes' or 'wasm' did not run: ${Object.keys(times).join(', ')}`);
  const med = Object.fromEntries(Object.entries(times).map(([b, perOp]) => [b, perOp.map(median)]));
  result = { date: new Date().toISOString().slice(0, 10), setup, rounds, ops, median: med };
} finally {
  await demo.close();
}
const loadAfter = loadavg();

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const backends = Object.keys(result.median);
const lines = [
  `| backend | ${result.ops.map((o) => `${o} (ms)`).join(' | ')} |`,
  `|---|${result.ops.map(() => '--:').join('|')}|`,
  ...backends.map((b) => `| ${b} | ${result.median[b].map(fmt).join(' | ')} |`),
  `| **tfjs-wasm ÷ lanes** | ${result.ops.map((_, i) => `**${(result.median.wasm[i] / result.median.lanes[i]).toFixed(2)}×**`).join(' | ')} |`,
];
const faster = result.ops.filter((_, i) => result.median.lanes[i] < result.median.wasm[i]).length;
const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
const text = [
  `Measured by \`pnpm bench:browser\` on ${result.date}: the Backends page's mini-benchmark in headless chromium ` +
    `${result.setup.chromium} (cross-origin isolated: ${result.setup.isolated}; 'lanes' ${result.setup.build} build on ` +
    `${result.setup.threads} threads, tfjs-wasm its threaded SIMD build), median of ${result.rounds} rounds, each the ` +
    `median of 5 runs after a warm-up; load average ${load(loadBefore)} at start, ${load(loadAfter)} at the end.`,
  '',
  ...lines,
  '',
  `'lanes' is faster than tfjs-wasm in ${faster} of ${result.ops.length} cases.`,
].join('\n');
console.log(text);
if (!opts['no-readme']) {
  const readme = readFileSync(README, 'utf8');
  if (!readme.includes(START) || !readme.includes(END)) {
    console.error(`README.md has no ${START} … ${END} block: nothing written`);
    process.exit(1);
  }
  writeFileSync(
    README,
    readme.slice(0, readme.indexOf(START) + START.length) + '\n' + text + '\n' + readme.slice(readme.indexOf(END)),
  );
}
