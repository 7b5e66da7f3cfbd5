// Reproducible training of the shipped robust classifier:
//   node packages/models/scripts/train-robust.mjs [--method fgsm-rs|pgd] [--eps 0.3] [--epochs N]
//        [--batch-size N] [--architecture fast|madry] [--learning-rate PEAK] [--ramp-epochs N]
//        [--pgd-steps N] [--limit N] [--eval-examples N]
//        [--seed N] [--minutes M] [--backend lanes|cpu] [--out DIR]
// Writes <out>/{model.json, weights.bin, MODEL.md} (default out: pretrained/mnist-cnn-robust).
// --minutes is a time budget: the learning-rate cycle is fitted to it and training stops when it is
// spent, keeping the best epoch so far; Ctrl-C stops without saving. Full robustness numbers: scripts/adversarial.mjs report.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as models from '../dist/index.js';
import * as node from '../dist/node.js';

const { values: args } = parseArgs({
  options: {
    method: { type: 'string', default: 'fgsm-rs' },
    eps: { type: 'string', default: '0.3' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    architecture: { type: 'string', default: 'fast' },
    'learning-rate': { type: 'string' },
    'ramp-epochs': { type: 'string' },
    'pgd-steps': { type: 'string' },
    limit: { type: 'string' },
    'eval-examples': { type: 'string' },
    seed: { type: 'string', default: '0' },
    minutes: { type: 'string' },
    backend: { type: 'string', default: 'lanes' },
    out: { type: 'string' },
  },
});
if (!['fgsm-rs', 'pgd'].includes(args.method) || !['fast', 'madry'].includes(args.architecture)) {
  console.error(
    'usage: node scripts/train-robust.mjs [--method fgsm-rs|pgd] [--eps 0.3] [--epochs N] [--batch-size N] [--architecture fast|madry] [--learning-rate PEAK] [--ramp-epochs N] [--pgd-steps N] [--limit N] [--eval-examples N] [--seed N] [--minutes M] [--backend lanes|cpu] [--out DIR]',
  );
  process.exit(2);
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

const t0 = performance.now();
const result = await models.trainMnistCnnRobust(await node.loadMnist(), {
  method: args.method,
  eps: Number(args.eps),
  epochs: int(args.epochs),
  batchSize: int(args['batch-size']),
  architecture: args.architecture,
  learningRate: args['learning-rate'] === undefined ? undefined : Number(args['learning-rate']),
  rampEpochs: int(args['ramp-epochs']),
  pgdSteps: int(args['pgd-steps']),
  limit: int(args.limit),
  evalExamples: int(args['eval-examples']),
  seed: int(args.seed),
  signal: stop.signal,
  timeLimitMs: args.minutes ? Number(args.minutes) * 60_000 : undefined,
  onEpochEnd: ({ epoch, epochs, logs, elapsedMs }) => {
    const l = Object.entries(logs)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join('  ');
    console.log(`epoch ${epoch + 1}/${epochs}  ${l}  (val_acc = PGD-10 accuracy; ${(elapsedMs / 1000).toFixed(0)} s)`);
  },
  onBatchEnd: ({ step, totalSteps, logs, etaMs }) => {
    if (step % 50 === 0)
      console.log(
        `  step ${step}/${totalSteps}  ${Object.entries(logs)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ')}  eta ${(etaMs / 60000).toFixed(1)} min`,
      );
  },
});
const seconds = (performance.now() - t0) / 1000;
if (interrupted) {
  console.error('interrupted: nothing saved');
  process.exit(130);
}

const out = args.out ?? join(import.meta.dirname, '..', 'pretrained', 'mnist-cnn-robust');
await result.model.save(node.fileSystemHandler(out));
const command = [
  'node',
  ...process.execArgv,
  'packages/models/scripts/train-robust.mjs',
  ...process.argv.slice(2),
].join(' ');
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2)) : String(v));
const md = `# mnist-cnn-robust

${models.PRETRAINED_MODELS['mnist-cnn'].input} → ${models.PRETRAINED_MODELS['mnist-cnn'].output}
(the convention of mnist-cnn), adversarially trained against L∞ perturbations of ε = ${args.eps}.

| | |
|---|---|
| command | \`${command}\` |
| seed | ${args.seed} |
| backend | ${args.backend}${buildInfo ? ` (build ${buildInfo.build}, ${buildInfo.threads} threads)` : ''} |
| trained | ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version} |
| wall time | ${seconds.toFixed(0)} s (training ${(result.run.elapsedMs / 1000).toFixed(0)} s) |
| epochs | ${result.run.epochsCompleted} (${result.run.stopReason}); weights of epoch ${result.config.keptEpoch} kept (best PGD-10 validation accuracy) |

## Metrics (held-out data)

| metric | value |
|---|---|
${Object.entries(result.metrics)
  .map(([k, v]) => `| ${k} | ${fmt(v)} |`)
  .join('\n')}

fgsmAccuracy and pgdAccuracy are measured on the first ${result.config.evalExamples} test digits (PGD-40, one
random start). The full evaluation (PGD-40 with 10 restarts on the 10 000 test digits, and every other
attack): \`node packages/models/scripts/adversarial.mjs report --model ${args.out ?? 'mnist-cnn-robust'} --attacks pgd --pgd-restarts 10 --epsilons 0.3\`
(add \`--sample 1000\` for a seeded sample of 1000 test digits).

## Settings

| setting | value |
|---|---|
${Object.entries(result.config)
  .map(([k, v]) => `| ${k} | \`${v}\` |`)
  .join('\n')}
`;
await node.writeFileAtomic(join(out, 'MODEL.md'), md);
console.log(`\nsaved ${out}\n`);
console.log(md);
