// Reproducible training of the shipped models:
//   node scripts/train.mjs <name> [--seed N] [--epochs N] [--batch-size N] [--limit N] [--lr X]
//                                 [--minutes M] [--backend lanes|cpu] [--out DIR]
//                                 [--batch-norm] [--validation N]        (mnist-cnn only)
//                                 [--d-lr X] [--decay-from F] [--g-steps N] [--instance-noise S] [--d-dropout P] [--loss bce|lsgan|hinge]
//                                 [--codes K] [--code-weight W] [--code-balance B] [--unsupervised]
//                                                                        (mnist-dcgan-generator only)
// names: mnist-cnn, mnist-dcgan-generator, spam-lstm, spam-char-lstm, names-lstm, stocks-gru (mnist-cnn-robust: scripts/train-robust.mjs).
// Writes <out>/{model.json, weights.bin, MODEL.md} (default out: pretrained/<name>). --minutes is
// a wall-time budget: training stops when it is spent (mnist-cnn's learning rate decays to it) and
// the model is kept; Ctrl-C stops without saving. mnist-dcgan-generator is judged by
// pretrained/mnist-cnn, so train that first.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as models from '../dist/index.js';
import * as node from '../dist/node.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: '0' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    limit: { type: 'string' },
    minutes: { type: 'string' },
    backend: { type: 'string', default: 'lanes' },
    out: { type: 'string' },
    lr: { type: 'string' },
    'batch-norm': { type: 'boolean', default: false },
    validation: { type: 'string' },
    'd-lr': { type: 'string' },
    'decay-from': { type: 'string' },
    'g-steps': { type: 'string' },
    'instance-noise': { type: 'string' },
    'd-dropout': { type: 'string' },
    loss: { type: 'string' },
    codes: { type: 'string' },
    'code-weight': { type: 'string' },
    'code-balance': { type: 'string' },
    unsupervised: { type: 'boolean', default: false },
  },
});
const name = positionals[0];
if (name === 'mnist-cnn-robust') {
  console.error(
    'mnist-cnn-robust is adversarially trained by its own script: node scripts/train-robust.mjs (options at its head)',
  );
  process.exit(2);
}
const names = models.PRETRAINED_NAMES.filter((n) => n !== 'mnist-cnn-robust');
if (!names.includes(name)) {
  console.error(
    `usage: node scripts/train.mjs <${names.join('|')}> [--seed N] [--epochs N] [--batch-size N] [--limit N] [--lr X] [--minutes M] [--backend lanes|cpu] [--out DIR] [--batch-norm] [--validation N] [--d-lr X] [--decay-from F] [--g-steps N] [--instance-noise S] [--d-dropout P] [--loss bce|lsgan|hinge] [--codes K] [--code-weight W] [--code-balance B] [--unsupervised]`,
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
const common = {
  seed: int(args.seed),
  epochs: int(args.epochs),
  batchSize: int(args['batch-size']),
  limit: int(args.limit),
  signal: stop.signal,
  timeLimitMs: args.minutes ? Number(args.minutes) * 60_000 : undefined,
  learningRate: args.lr ? Number(args.lr) : undefined,
  onEpochEnd: ({ epoch, epochs, logs, elapsedMs }) => {
    const l = Object.entries(logs)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join('  ');
    console.log(`epoch ${epoch + 1}/${epochs}  ${l}  (${(elapsedMs / 1000).toFixed(0)} s)`);
  },
  onBatchEnd: ({ step, totalSteps, logs, etaMs }) => {
    if (step % 50 === 0)
      console.log(
        `  step ${step}/${totalSteps}  ${Object.entries(logs)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ')}  eta ${(etaMs / 60000).toFixed(1)} min`,
      );
  },
};

const t0 = performance.now();
let result;
switch (name) {
  case 'mnist-cnn':
    result = await models.trainMnistCnn(await node.loadMnist(), {
      ...common,
      validationSize: int(args.validation),
      architecture: { ...models.MNIST_CNN_ARCHITECTURE, batchNorm: args['batch-norm'] },
    });
    break;
  case 'mnist-dcgan-generator': {
    const mnist = await node.loadMnist();
    const judge = node.hasPretrained('mnist-cnn')
      ? { classifier: await node.loadPretrained('mnist-cnn'), real: mnist.test }
      : undefined;
    if (!judge) console.warn('pretrained/mnist-cnn is missing: the generator will not be judged');
    result = await models.trainMnistDcgan(
      mnist.train,
      {
        ...common,
        discriminatorLearningRate: args['d-lr'] ? Number(args['d-lr']) : undefined,
        decayFrom: args['decay-from'] ? Number(args['decay-from']) : undefined,
        generatorSteps: int(args['g-steps']),
        instanceNoise: args['instance-noise'] ? Number(args['instance-noise']) : undefined,
        discriminator: args['d-dropout'] ? { dropout: Number(args['d-dropout']) } : undefined,
        loss: args.loss,
        codes: int(args.codes),
        codeWeight: args['code-weight'] ? Number(args['code-weight']) : undefined,
        codeBalance: args['code-balance'] ? Number(args['code-balance']) : undefined,
        codeLabels: args.unsupervised ? false : undefined,
      },
      judge,
    );
    if (result.evaluation)
      result.metrics.classHistogram = result.evaluation.classHistogram.map((h) => h.toFixed(3)).join(' ');
    if (result.codeJudgement) result.metrics.codeDigits = result.codeJudgement.majorityClass.join(' ');
    break;
  }
  case 'spam-lstm':
    result = await models.trainSpamLstm(node.loadSpamAssassin(), common);
    break;
  case 'spam-char-lstm':
    result = await models.trainSpamCharLstm(node.loadSpamAssassin(), common);
    break;
  case 'names-lstm':
    result = await models.trainNamesLstm(node.loadFirstNames(), common);
    result.metrics.examples = result.samples.slice(0, 20).join(', ');
    break;
  case 'stocks-gru':
    result = await models.trainStocksGru((await node.loadSp500Daily()).prices, common);
    break;
}
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
const md = `# ${name}

${models.PRETRAINED_MODELS[name].input} → ${models.PRETRAINED_MODELS[name].output}

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
