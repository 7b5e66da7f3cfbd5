// Derived figures (GFLOP/s, ratios, % of peak), the issue's targets, the console table and the
// README table, all from the results object that main.mjs writes to results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { recurrentTargets } from './recurrent.mjs';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const ms = (r) => (r && !r.error ? r.ms : undefined);
/** CPU time of a run: comparable between single-threaded contenders even when other processes load the cores. */
const cpuMs = (r) => (r && !r.error && r.cpuMs ? r.cpuMs : undefined);
const ratio = (slow, fast) => (slow !== undefined && fast !== undefined ? slow / fast : undefined);

/** Throughput of a result: GFLOP/s for compute cases, GB/s for memory-bound ones. */
function rate(c, r) {
  const t = ms(r);
  if (t === undefined) return undefined;
  return (c.flops ?? c.bytes) / (t * 1e6);
}

function derived(report) {
  const peakFma = report.peak.fma?.wall,
    peakMulAdd = report.peak.mulAdd?.wall;
  const cpuPeakFma = report.peak.fma?.cpu,
    cpuPeakMulAdd = report.peak.mulAdd?.cpu;
  return report.cases.map((c) => {
    const r = c.results;
    const one = ms(r['lanes-1t']),
      all = ms(r['lanes-nt']),
      plain = ms(r['lanes-simd-1t']),
      wasm = ms(r['tfjs-wasm']),
      cpu = ms(r['tfjs-cpu']);
    const g1 = c.flops ? rate(c, r['lanes-1t']) : undefined;
    const gPlain = c.flops ? rate(c, r['lanes-simd-1t']) : undefined;
    const cpuG1 = c.flops && cpuMs(r['lanes-1t']) ? c.flops / (cpuMs(r['lanes-1t']) * 1e6) : undefined;
    return {
      cpu: {
        rate1: cpuG1,
        pctFma: cpuG1 !== undefined && cpuPeakFma ? (100 * cpuG1) / cpuPeakFma : undefined,
        pctMulAdd: cpuG1 !== undefined && cpuPeakMulAdd ? (100 * cpuG1) / cpuPeakMulAdd : undefined,
        vsWasm1: ratio(cpuMs(r['tfjs-wasm']), cpuMs(r['lanes-1t'])),
        relaxedGain: ratio(cpuMs(r['lanes-simd-1t']), cpuMs(r['lanes-1t'])),
      },
      name: c.name,
      unit: c.flops ? 'GFLOP/s' : 'GB/s',
      rate1: rate(c, r['lanes-1t']),
      rateN: rate(c, r['lanes-nt']),
      pctFma: g1 !== undefined && peakFma ? (100 * g1) / peakFma : undefined,
      pctMulAdd: g1 !== undefined && peakMulAdd ? (100 * g1) / peakMulAdd : undefined,
      pctPlainMulAdd: gPlain !== undefined && peakMulAdd ? (100 * gPlain) / peakMulAdd : undefined,
      vsWasm1: ratio(wasm, one),
      vsWasmN: ratio(wasm, all),
      vsCpuN: ratio(cpu, all),
      scaling: ratio(one, all),
      relaxedGain: ratio(plain, one),
    };
  });
}

/** The targets of issue 4, each with its measured value and whether it is met. */
export function evaluateTargets(report) {
  const d = Object.fromEntries(derived(report).map((x) => [x.name, x]));
  const out = [];
  // byCpu: the same figure from CPU times (single-threaded contenders only), immune to other load.
  const add = (name, value, goal, byCpu, unit = '×') =>
    out.push({
      name,
      value: value ?? null,
      goal,
      unit,
      met: value !== undefined && value >= goal,
      byCpuTime: byCpu ?? null,
    });
  for (const n of ['matmul 512³', 'matmul 1024³', 'conv2d 3×3 [64,28,28,32]→64', 'conv2d 1×1 [16,28,28,128]→128'])
    if (d[n]) add(`${n}: one thread vs tfjs-wasm`, d[n].vsWasm1, 1.25, d[n].cpu.vsWasm1);
  if (d['depthwise 3×3 [8,56,56,96]'])
    add(
      'depthwise: one thread vs tfjs-wasm',
      d['depthwise 3×3 [8,56,56,96]'].vsWasm1,
      1.25,
      d['depthwise 3×3 [8,56,56,96]'].cpu.vsWasm1,
    );
  for (const n of ['batchNorm [64,28,28,32]', 'maxPool 2×2 [64,28,28,32]', 'add+relu 4M floats', 'softmax [256,1000]'])
    if (d[n]) add(`${n}: one thread vs tfjs-wasm`, d[n].vsWasm1, 2, d[n].cpu.vsWasm1);
  if (d['matmul 512³'])
    add(
      'matmul 512³: one thread, % of the f32x4 mul+add peak',
      d['matmul 512³'].pctMulAdd,
      90,
      d['matmul 512³'].cpu.pctMulAdd,
      '%',
    );
  for (const n of ['matmul 1024³', 'conv2d 3×3 [64,28,28,32]→64'])
    if (d[n]) add(`${n}: all threads vs one thread`, d[n].scaling, 1.8);
  for (const n of ['matmul 512³', 'matmul 1024³'])
    if (d[n]) add(`${n}: relaxed SIMD vs plain SIMD (one thread)`, d[n].relaxedGain, 1.3, d[n].cpu.relaxedGain);
  const cnn = report.cases.find((c) => c.name.startsWith('MNIST'));
  if (cnn) {
    const t = ms(cnn.results['lanes-nt']);
    out.push({
      name: 'MNIST CNN train step, all threads (ms, at most)',
      value: t ?? null,
      goal: 200,
      unit: 'ms',
      met: t !== undefined && t <= 200,
      byCpuTime: null,
    });
  }
  out.push(...recurrentTargets(report));
  return out;
}

const f = (x, digits = 1) => (x === undefined || x === null ? '—' : x.toFixed(digits));
const fx = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);

function cell(r) {
  if (!r) return '—';
  if (r.error) return 'n/a';
  return r.ms >= 100 ? r.ms.toFixed(0) : r.ms >= 10 ? r.ms.toFixed(1) : r.ms.toFixed(2);
}

/** The console report: timings, derived figures, targets and notes. */
export function formatConsole(report) {
  const ids = report.contenders.map((k) => k.id);
  const rows = [['case', ...report.contenders.map((k) => `${k.label} ms`)]];
  for (const c of report.cases) rows.push([c.name, ...ids.map((id) => cell(c.results[id]))]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  const out = ['Median wall-clock ms per run (each run ends with a readback):', ...rows.map(line), ''];
  const drows = [
    [
      'case',
      'lanes 1T rate',
      'lanes NT rate',
      '% FMA peak',
      '% mul+add peak',
      'plain SIMD % mul+add',
      '1T ×wasm',
      'NT ×wasm',
      'NT ×cpu',
      'NT/1T',
      'relaxed/plain',
      'CPU-time: 1T ×wasm',
      '% FMA peak',
      'relaxed/plain',
    ],
  ];
  for (const x of derived(report))
    drows.push([
      x.name,
      `${f(x.rate1)} ${x.unit}`,
      `${f(x.rateN)} ${x.unit}`,
      f(x.pctFma, 0),
      f(x.pctMulAdd, 0),
      f(x.pctPlainMulAdd, 0),
      fx(x.vsWasm1),
      fx(x.vsWasmN),
      fx(x.vsCpuN),
      fx(x.scaling),
      fx(x.relaxedGain),
      fx(x.cpu.vsWasm1),
      f(x.cpu.pctFma, 0),
      fx(x.cpu.relaxedGain),
    ]);
  const dw = drows[0].map((_, i) => Math.max(...drows.map((r) => r[i].length)));
  out.push(...drows.map((r) => r.map((v, i) => (i === 0 ? v.padEnd(dw[i]) : v.padStart(dw[i]))).join('  ')), '');
  out.push('Targets (issue 4):');
  const v = (x, unit) =>
    x === null || x === undefined
      ? 'n/a'
      : unit === '×'
        ? fx(x)
        : `${x.toFixed(unit === 'ms' ? 0 : 1)}${unit === '%' ? ' %' : ' ms'}`;
  for (const t of report.targets)
    out.push(
      `  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${v(t.value, t.unit)} (goal ${t.unit === 'ms' ? '≤' : '≥'} ${t.goal}${t.unit === '%' ? ' %' : t.unit === 'ms' ? ' ms' : '×'})` +
        (t.byCpuTime !== null ? `; by CPU time ${v(t.byCpuTime, t.unit)}` : ''),
    );
  const notes = [];
  for (const c of report.cases)
    for (const k of report.contenders) {
      const r = c.results[k.id];
      if (r?.error) notes.push(`  ${k.label}, ${c.name}: n/a — ${r.error}`);
      else if (r?.note) notes.push(`  ${k.label}, ${c.name}: ${r.note}`);
    }
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

/** Markdown for the README: timings, the derived ratios and the peak. */
export function formatMarkdown(report) {
  const d = Object.fromEntries(derived(report).map((x) => [x.name, x]));
  const cores = report.cores;
  const lines = [
    `Measured by \`pnpm bench\` on ${report.date.slice(0, 10)}: Node ${report.node}, ${report.cpu}, ${cores} cores ` +
      `(load average at start ${report.loadAverage.start.map((l) => l.toFixed(1)).join(' ')}), 'lanes' build ${report.lanesBuild}. ` +
      `Median wall-clock ms per run, each ending with a readback; runs alternate between the contenders, with a garbage ` +
      `collection before each (outside the timing) so that readbacks reuse memory instead of paying ~13 µs per fresh 4 KiB page ` +
      `on this VM. f32x4 peak of one thread: ` +
      `mul+add ${f(report.peak.mulAdd?.wall)} GFLOP/s, relaxed FMA ${f(report.peak.fma?.wall)} GFLOP/s ` +
      `(by CPU time ${f(report.peak.mulAdd?.cpu)} and ${f(report.peak.fma?.cpu)}). The last column gives lanes' ` +
      `one-thread speed-up over tfjs-wasm from CPU times, which other processes sharing the cores do not inflate.`,
    '',
    `| case | lanes 1 thread | lanes ${cores} threads | lanes plain SIMD 1 thread | tfjs-wasm | tfjs-cpu | lanes 1T rate | % of FMA peak | 1T × tfjs-wasm | ${cores}T × tfjs-wasm | ${cores}T / 1T | 1T × tfjs-wasm, CPU time |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const c of report.cases) {
    const x = d[c.name];
    const r = c.results;
    lines.push(
      `| ${c.name} | ${cell(r['lanes-1t'])} | ${cell(r['lanes-nt'])} | ${cell(r['lanes-simd-1t'])} | ${cell(r['tfjs-wasm'])} | ${cell(r['tfjs-cpu'])} | ` +
        `${f(x.rate1)} ${x.unit} | ${x.pctFma === undefined ? '—' : `${f(x.pctFma, 0)} %`} | ${fx(x.vsWasm1)} | ${fx(x.vsWasmN)} | ${fx(x.scaling)} | ${fx(x.cpu.vsWasm1)} |`,
    );
  }
  const notes = [];
  for (const c of report.cases)
    for (const k of report.contenders) {
      const r = c.results[k.id];
      if (r?.error) notes.push(`${k.label}, ${c.name}: n/a (${r.error}).`);
      else if (r?.note) notes.push(`${k.label}, ${c.name}: ${r.note}.`);
    }
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** Replaces the README's table between the markers (appending a section with them if absent). */
export function updateReadme(path, report) {
  const text = readFileSync(path, 'utf8');
  const block = `${START}\n${formatMarkdown(report)}\n${END}`;
  const next =
    text.includes(START) && text.includes(END)
      ? text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length)
      : `${text.trimEnd()}\n\n## Performance\n\n${block}\n`;
  writeFileSync(path, next);
}
