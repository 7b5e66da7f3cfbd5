import type { RobustnessReport } from './evaluate.js';
import type { Summary } from './perturbation.js';

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
const num = (v: number, digits = 3): string => (Number.isNaN(v) ? '–' : v.toFixed(digits));
const sum = (s: Summary | undefined, digits = 3): string =>
  s ? `${num(s.mean, digits)} / ${num(s.median, digits)}` : '–';

/** The report as a Markdown table (one row per attack and ε; perturbations as mean / median). */
export function formatRobustnessReport(report: RobustnessReport): string {
  const lines = [
    `Clean accuracy: ${pct(report.cleanAccuracy)} on ${report.examples} examples`,
    '',
    '| attack | ε | robust acc. | success | L0 | L2 | L∞ | queries | s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of report.rows) {
    lines.push(
      `| ${r.attack}${r.targeted ? ' (targeted)' : ''} | ${r.eps === null ? '∞' : `${r.eps} (${r.norm})`} | ${pct(r.robustAccuracy)} | ${pct(r.successRate)} of ${r.attacked} | ${sum(r.l0, 1)} | ${sum(r.l2)} | ${sum(r.linf)} | ${sum(r.queries, 0)} | ${r.seconds.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}
