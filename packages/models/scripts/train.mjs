// Reproducible training of the shipped models, one front door for every recipe of the registry
// (the same names and settings as `lanes train`):
//   node scripts/train.mjs <name> [--seed N] [--epochs N] [--batch-size N] [--limit N] [--learning-rate X]
//                                 [--minutes M] [--backend lanes|cpu] [--out DIR] [recipe settings]
//   node scripts/train.mjs --help    lists the recipes and their settings (types, choices, defaults)
// Writes <out>/{model.json, weights.bin, MODEL.md} (default out: pretrained/<name>). --minutes is
// a wall-time budget: training stops when it is spent (learning-rate schedules decay to it) and
// the model is kept; Ctrl-C stops without saving. mnist-dcgan-generator is judged by
// pretrained/mnist-cnn, so train that first. A section of an existing MODEL.md headed
// "## Experiment log" is kept when the model is retrained.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as models from '../dist/index.js';
import * as node from '../dist/node.js';

const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const COMMON = {
  seed: { type: 'string', default: '0' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  limit: { type: 'string' },
  'learning-rate': { type: 'string' },
  minutes: { type: 'string' },
  backend: { type: 'string', default: 'lanes' },
  out: { type: 'string' },
  help: { type: 'boolean', default: false },
};
// Every recipe's own settings, as flags (a flag of another recipe is refused below).
const settingFlags = {};
for (const r of models.RECIPES)
  for (const [key, spec] of Object.entries(r.settings))
    settingFlags[kebab(key)] = { type: spec.type === 'boolean' ? 'boolean' : 'string', key };

function usage() {
  const lines = models.RECIPES.map((r) => {
    const settings = Object.entries(r.settings).map(([k, s]) => {
      const value = s.type === 'boolean' ? '' : s.type === 'choice' ? ` ${s.choices.join('|')}` : ' N';
      return `      --${kebab(k)}${value}  ${s.description}${s.default !== undefined ? ` (default ${s.default})` : ''}`;
    });
    return [`  ${r.name}: ${r.summary}`, ...settings].join('\n');
  });
  return `usage: node scripts/train.mjs <${models.RECIPE_NAMES.join('|')}> [--seed N] [--epochs N] [--batch-size N] [--limit N] [--learning-rate X] [--minutes M] [--backend lanes|cpu] [--out DIR] [settings]\n${lines.join('\n')}`;
}

function fail(message) {
  console.error(`train.mjs: ${message}\n${usage()}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { ...COMMON, ...Object.fromEntries(Object.entries(settingFlags).map(([f, { type }]) => [f, { type }])) },
  });
} catch (e) {
  fail(e.message);
}
const { values: args, positionals } = parsed;
if (args.help) {
  console.log(usage());
  process.exit(0);
}
const name = positionals[0];
if (!models.RECIPE_NAMES.includes(name)) fail(name ? `unknown model '${name}'` : 'name a model');
const entry = models.recipeEntry(name);

// Settings: typed by the registry, checked by recipeSettings (unknown or invalid → exit 2).
const given = {};
for (const [flag, { key }] of Object.entries(settingFlags)) {
  if (args[flag] === undefined) continue;
  const spec = entry.settings[key];
  given[key] = spec && spec.type !== 'boolean' && spec.type !== 'choice' ? Number(args[flag]) : args[flag];
}
let settings;
try {
  settings = models.recipeSettings(name, given);
} catch (e) {
  fail(e.message.replace(/setting '(\w+)'/, (_, k) => `setting --${kebab(k)}`));
}

const int = (v) => (v === undefined ? undefined : Number.parseInt(v, 10));
if (args.backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
if (!(await tf.setBackend(args.backend))) throw new Error(`backend '${args.backend}' failed to initialise`);
const buildInfo = args.backend === 'lanes' ? (await import('@lanes/core')).getBuildInfo() : undefined;

const stop = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
  stop.abort();
});
const logs = (l) =>
  Object.entries(l)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join('  ');

const t0 = performance.now();
const result = await models.runRecipe(name, node.loadRecipeInput, {
  seed: int(args.seed),
  epochs: int(args.epochs),
  batchSize: int(args['batch-size']),
  limit: int(args.limit),
  learningRate: args['learning-rate'] ? Number(args['learning-rate']) : undefined,
  signal: stop.signal,
  timeLimitMs: args.minutes ? Number(args.minutes) * 60_000 : undefined,
  settings,
  onEpochEnd: ({ epoch, epochs, logs: l, elapsedMs }) =>
    console.log(`epoch ${epoch + 1}/${epochs}  ${logs(l)}  (${(elapsedMs / 1000).toFixed(0)} s)`),
  onBatchEnd: ({ step, totalSteps, logs: l, etaMs }) => {
    if (step % 50 === 0) console.log(`  step ${step}/${totalSteps}  ${logs(l)}  eta ${(etaMs / 60000).toFixed(1)} min`);
  },
});
const seconds = (performance.now() - t0) / 1000;
if (interrupted) {
  console.error('interrupted: nothing saved');
  process.exit(130);
}

const out = args.out ?? join(import.meta.dirname, '..', 'pretrained', name);
await result.model.save(node.fileSystemHandler(out));
const command = ['node', ...process.execArgv, 'packages/models/scripts/train.mjs', name, ...process.argv.slice(3)].join(
  ' ',
);
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2)) : String(v));
// Experiment logs written by hand below the generated part survive a retraining.
const previous = join(out, 'MODEL.md');
const kept = existsSync(previous) ? readFileSync(previous, 'utf8').split(/^(?=## Experiment log)/m)[1] : undefined;
const shape = models.PRETRAINED_MODELS[name];
const md = `# ${name}

${shape ? `${shape.input} → ${shape.output}` : entry.summary}

| | |
|---|---|
| command | \`${command}\` |
| seed | ${args.seed} |
| backend | ${args.backend}${buildInfo ? ` (build ${buildInfo.build}, ${buildInfo.threads} threads)` : ''} |
| trained | ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version} |
| wall time | ${seconds.toFixed(0)} s (training ${(result.run.elapsedMs / 1000).toFixed(0)} s) |
| epochs | ${result.run.epochsCompleted}${result.run.steps !== undefined ? ` (${result.run.steps} batches)` : ''}, stopped: ${result.run.stopReason} |

## Metrics (held-out data)

| metric | value |
|---|---|
${Object.entries(result.metrics)
  .map(([k, v]) => `| ${k} | ${fmt(v)} |`)
  .join('\n')}
${result.note ? `\n${result.note(args.out ?? name)}\n` : ''}
## Settings

| setting | value |
|---|---|
${Object.entries(result.config)
  .map(([k, v]) => `| ${k} | \`${v}\` |`)
  .join('\n')}
${kept ? `\n${kept.trimEnd()}\n` : ''}`;
await node.writeFileAtomic(join(out, 'MODEL.md'), md);
console.log(`\nsaved ${out}\n`);
console.log(md);
