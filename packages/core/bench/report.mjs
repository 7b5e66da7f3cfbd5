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
      cpu = ms(r['tfjs-cpu']),
      ort1 = ms(r['ort-1t']),
      ortN = ms(r['ort-nt']);
    // ORT's all-threads run had a process of its own, alternating with all-threads 'lanes' there.
    const allPaired = r['ort-nt']?.pairedLanesMs ?? all;
    const g1 = c.flops ? rate(c, r['lanes-1t']) : undefined;
    const gPlain = c.flops ? rate(c, r['lanes-simd-1t']) : undefined;
    const cpuG1 = c.flops && cpuMs(r['lanes-1t']) ? c.flops / (cpuMs(r['lanes-1t']) * 1e6) : undefined;
    return {
      cpu: {
        rate1: cpuG1,
        pctFma: cpuG1 !== undefined && cpuPeakFma ? (100 * cpuG1) / cpuPeakFma : undefined,
        pctMulAdd: cpuG1 !== undefined && cpuPeakMulAdd ? (100 * cpuG1) / cpuPeakMulAdd : undefined,
        vsWasm1: ratio(cpuMs(r['tfjs-wasm']), cpuMs(r['lanes-1t'])),
        vsOrt1: ratio(cpuMs(r['ort-1t']), cpuMs(r['lanes-1t'])),
        bandwidth1: c.bytes && cpuMs(r['lanes-1t']) ? c.bytes / (cpuMs(r['lanes-1t']) * 1e6) : undefined,
        relaxedGain: ratio(cpuMs(r['lanes-simd-1t']), cpuMs(r['lanes-1t'])),
      },
      name: c.name,
      id: c.id,
      kind: c.kind,
      unit: c.flops ? 'GFLOP/s' : 'GB/s',
      bandwidth1: c.bytes && one !== undefined ? c.bytes / (one * 1e6) : undefined,
      bandwidthN: c.bytes && all !== undefined ? c.bytes / (all * 1e6) : undefined,
      vsOrt1: ratio(ort1, one),
      vsOrtN: ratio(ortN, allPaired),
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
  for (const n of [
    'matmul 512³',
    'matmul 1024³',
    'conv2d 3×3+bias+relu [64,28,28,32]→64',
    'conv2d 1×1 [16,28,28,128]→128',
  ])
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
  for (const n of ['matmul 1024³', 'conv2d 3×3+bias+relu [64,28,28,32]→64'])
    if (d[n]) add(`${n}: all threads vs one thread`, d[n].scaling, 1.8);
  for (const n of ['matmul 512³', 'matmul 1024³'])
    if (d[n]) add(`${n}: relaxed SIMD vs plain SIMD (one thread)`, d[n].relaxedGain, 1.3, d[n].cpu.relaxedGain);
  const cnn = report.cases.find((c) => c.id === 'cnn-train');
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
  out.push(...issue20Targets(report, Object.values(d)));
  return out;
}

/** The targets of issue 20: against onnxruntime-web, the memory limit, the FMA peak, whole networks. */
function issue20Targets(report, rows) {
  const out = [];
  const add = (name, value, goal, unit = '×', byCpu) =>
    out.push({
      name,
      value: value ?? null,
      goal,
      unit,
      met: value !== undefined && (unit === 'ms' ? value <= goal : value >= goal),
      byCpuTime: byCpu ?? null,
      issue: 20,
    });
  const nt = `${report.cores} threads`;
  for (const x of rows.filter((r) => r.kind === 'op' || r.kind === 'recurrent')) {
    const goal = x.kind === 'recurrent' ? 2 : x.id === 'depthwise' ? 3 : 1.5;
    add(`${x.name}: 1 thread vs ORT-web 1 thread`, x.vsOrt1, goal, '×', x.cpu.vsOrt1);
    add(`${x.name}: ${nt} vs ORT-web ${nt}`, x.vsOrtN, goal);
  }
  // Rates against this machine's limits come from CPU times, which other processes sharing the
  // cores do not inflate (on a loaded machine the wall-clock peak is measured low, and unevenly).
  const dw = rows.find((r) => r.id === 'depthwise');
  const bw = report.bandwidth?.cpu;
  if (dw?.cpu.bandwidth1 && bw)
    add(
      `depthwise, 1 thread: ${dw.cpu.bandwidth1.toFixed(1)} GB/s, % of the measured memory bandwidth (${bw.toFixed(1)} GB/s), by CPU time`,
      (100 * dw.cpu.bandwidth1) / bw,
      60,
      '%',
    );
  for (const x of rows.filter((r) => r.kind === 'network')) {
    add(`${x.name}: ${nt} vs tfjs-wasm`, x.vsWasmN, 1.5);
    add(`${x.name}: ${nt} vs ORT-web ${nt}`, x.vsOrtN, 1.5);
  }
  const b1 = report.cases.find((c) => c.id === 'mnist-b1');
  if (b1) add(`MNIST CNN predict batch 1, lanes ${nt} (ms, at most)`, ms(b1.results['lanes-nt']), 1.0, 'ms');
  for (const id of ['matmul-1024', 'conv3x3']) {
    const x = rows.find((r) => r.id === id);
    if (!x) continue;
    add(`${x.name}: 1 thread, % of the f32x4 FMA peak, by CPU time`, x.cpu.pctFma, 90, '%');
    add(`${x.name}: ${nt} vs 1 thread`, x.scaling, 1.8);
  }
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
      '1T ×ORT',
      'NT ×ORT',
      'CPU-time: 1T ×wasm',
      '1T ×ORT',
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
      fx(x.vsOrt1),
      fx(x.vsOrtN),
      fx(x.cpu.vsWasm1),
      fx(x.cpu.vsOrt1),
      f(x.cpu.pctFma, 0),
      fx(x.cpu.relaxedGain),
    ]);
  const dw = drows[0].map((_, i) => Math.max(...drows.map((r) => r[i].length)));
  out.push(...drows.map((r) => r.map((v, i) => (i === 0 ? v.padEnd(dw[i]) : v.padStart(dw[i]))).join('  ')), '');
  out.push('Targets (issues 4, 5 and 20):');
  const v = (x, unit) =>
    x === null || x === undefined
      ? 'n/a'
      : unit === '×'
        ? fx(x)
        : `${x.toFixed(unit === 'ms' ? (x < 10 ? 2 : 0) : 1)}${unit === '%' ? ' %' : ' ms'}`;
  for (const t of report.targets)
    out.push(
      `  ${t.met ? 'met ' : 'MISS'}  ${t.issue ? `[${t.issue}] ` : ''}${t.name}: ${v(t.value, t.unit)} (goal ${t.unit === 'ms' ? '≤' : '≥'} ${t.goal}${t.unit === '%' ? ' %' : t.unit === 'ms' ? ' ms' : '×'})` +
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

/** Markdown for the README: timings beside tfjs-wasm, tfjs-cpu and onnxruntime-web, ratios, targets. */
export function formatMarkdown(report) {
  const d = Object.fromEntries(derived(report).map((x) => [x.name, x]));
  const cores = report.cores;
  const load = (l) => l.map((v) => v.toFixed(1)).join(' ');
  const lines = [
    `Measured by \`pnpm bench\` on ${report.date.slice(0, 10)}: Node ${report.node}, ${report.cpu}, ${cores} cores ` +
      `(load average ${load(report.loadAverage.start)} at start, ${load(report.loadAverage.end)} at the end: other ` +
      `processes shared the cores, so single timings are noisy; the ratios come from runs that alternate between ` +
      `the contenders), 'lanes' build ${report.lanesBuild}. ` +
      `Median wall-clock ms per run, each ending with a readback; each case runs in a fresh process, with a garbage ` +
      `collection before each run (outside the timing) so that readbacks reuse memory instead of paying ~13 µs per fresh 4 KiB page ` +
      `on this VM, and 20 ms of idle after it so that V8's background sweeping does not share the cores with the run. ORT-web is onnxruntime-web ${report.ortVersion ?? ''} (wasm execution provider, SIMD) on the same graph ` +
      `and weights as an ONNX model (NCHW), its output checked against 'lanes' first; its ${cores}-thread runs have a ` +
      `process of their own (ORT fixes its thread pool at start) and alternate there with ${cores}-thread 'lanes', ` +
      `which that ratio uses. An ORT run includes copying its feeds into its wasm memory, as its API requires. ` +
      `tfjs-wasm has no threads in Node. f32x4 peak of one thread (wall clock: best run): ` +
      `mul+add ${f(report.peak.mulAdd?.wall)} GFLOP/s, relaxed FMA ${f(report.peak.fma?.wall)} GFLOP/s ` +
      `(by CPU time ${f(report.peak.mulAdd?.cpu)} and ${f(report.peak.fma?.cpu)})` +
      (report.bandwidth
        ? `; memory bandwidth of one thread (f32x4 copy of 64 MiB, read + write) ${f(report.bandwidth.wall)} GB/s ` +
          `(${f(report.bandwidth.cpu)} by CPU time)`
        : '') +
      (report.peakScaling
        ? `; the FMA loop on ${cores} threads at once does ${f(report.peakScaling.allThreads)} GFLOP/s, ` +
          `${fx(report.peakScaling.scaling)} of one thread's ${f(report.peakScaling.oneThread)}.`
        : '.'),
    '',
    `| case | lanes 1T | lanes ${cores}T | lanes plain SIMD 1T | tfjs-wasm | tfjs-cpu | ORT-web 1T | ORT-web ${cores}T | ` +
      `lanes 1T rate | % of FMA peak (CPU time) | 1T × tfjs-wasm | ${cores}T × tfjs-wasm | 1T × ORT 1T | ${cores}T × ORT ${cores}T | ${cores}T / 1T |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const c of report.cases) {
    const x = d[c.name];
    const r = c.results;
    lines.push(
      `| ${c.name} | ${cell(r['lanes-1t'])} | ${cell(r['lanes-nt'])} | ${cell(r['lanes-simd-1t'])} | ${cell(r['tfjs-wasm'])} | ` +
        `${cell(r['tfjs-cpu'])} | ${cell(r['ort-1t'])} | ${cell(r['ort-nt'])} | ` +
        `${f(x.rate1)} ${x.unit} | ${x.cpu.pctFma === undefined ? '—' : `${f(x.cpu.pctFma, 0)} %`} | ${fx(x.vsWasm1)} | ${fx(x.vsWasmN)} | ` +
        `${fx(x.vsOrt1)} | ${fx(x.vsOrtN)} | ${fx(x.scaling)} |`,
    );
  }
  const t20 = report.targets.filter((t) => t.issue === 20);
  if (t20.length) {
    const v = (t) =>
      t.value === null ? 'n/a' : t.unit === '×' ? fx(t.value) : `${t.value.toFixed(t.unit === 'ms' ? 2 : 1)} ${t.unit}`;
    lines.push('', `Targets of issue 20 (met ${t20.filter((t) => t.met).length} of ${t20.length}):`, '');
    lines.push('| target | measured | goal | |', '|---|--:|--:|---|');
    for (const t of t20)
      lines.push(
        `| ${t.name} | ${v(t)} | ${t.unit === 'ms' ? '≤' : '≥'} ${t.goal}${t.unit === '×' ? '×' : ` ${t.unit}`} | ${t.met ? 'met' : '**miss**'} |`,
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
