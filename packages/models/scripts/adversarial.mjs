// Robustness measurements behind issue 7's targets (MNIST test set):
//   node packages/models/scripts/adversarial.mjs report [--model mnist-cnn|mnist-cnn-robust|DIR]
//        [--attacks fgsm,pgd,...|all] [--limit N | --sample N] [--epsilons 0.1,0.2,0.3] [--pgd-steps 40]
//        [--pgd-restarts 1] [--max-queries 5000] [--cw 5x100] [--batch-size 100] [--seed 0]
//        [--backend lanes|cpu] [--json FILE]
//   node packages/models/scripts/adversarial.mjs backdoor [--fraction 0.01] [--target 0]
//        [--epochs N] [--minutes M] [--limit N] [--clean-model mnist-cnn|DIR] [--seed 0] [--backend lanes|cpu] [--json FILE]
// attacks: fgsm bim pgd pgd-targeted mi-fgsm pgd-l2 cw-l2 deepfool jsma simba square hop-skip-jump.
// `report` attacks the first --limit test digits (default all 10 000), or a seeded random --sample of
// them (seed --sample-seed, default 0; sorted), of a saved model and prints the Markdown table of evaluateRobustness; `backdoor` trains mnist-cnn on clean and on poisoned data
// (--clean-model: compare with a saved clean model instead of training one, e.g. the shipped mnist-cnn).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as models from '../dist/index.js';
import * as node from '../dist/node.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'mnist-cnn' },
    attacks: { type: 'string', default: 'all' },
    limit: { type: 'string' },
    sample: { type: 'string' },
    'sample-seed': { type: 'string', default: '0' },
    epsilons: { type: 'string' },
    'pgd-steps': { type: 'string' },
    'pgd-restarts': { type: 'string' },
    'max-queries': { type: 'string' },
    cw: { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'lanes' },
    json: { type: 'string' },
    minutes: { type: 'string' },
    'clean-model': { type: 'string' },
    fraction: { type: 'string', default: '0.01' },
    target: { type: 'string', default: '0' },
    epochs: { type: 'string' },
  },
});
const mode = positionals[0];
if (mode !== 'report' && mode !== 'backdoor') {
  console.error('usage: node scripts/adversarial.mjs report|backdoor [options] (see the head of this file)');
  process.exit(2);
}
const int = (v) => (v === undefined ? undefined : Number.parseInt(v, 10));
if (args.backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
if (!(await tf.setBackend(args.backend))) throw new Error(`backend '${args.backend}' failed to initialise`);
const data = await node.loadMnist();
const seed = int(args.seed);
const command = ['node', ...process.execArgv, 'packages/models/scripts/adversarial.mjs', ...process.argv.slice(2)].join(
  ' ',
);
const t0 = performance.now();
let result;

/** A shipped model by name (mnist-cnn-robust lives beside the others), or a directory. */
async function loadModel(name) {
  const shipped = join(import.meta.dirname, '..', 'pretrained', name);
  return models.PRETRAINED_NAMES.includes(name)
    ? node.loadPretrained(name)
    : node.loadModelFromDir(existsSync(join(shipped, 'model.json')) ? shipped : name);
}

if (mode === 'report') {
  const model = await loadModel(args.model);
  if (args.limit !== undefined && args.sample !== undefined) throw new Error('--limit and --sample exclude each other');
  const count = data.test.count;
  // A seeded sample spreads over the whole test set (its first half is written more neatly than the rest).
  const indices =
    args.sample !== undefined
      ? models.randomSplit(count, Math.min(int(args.sample), count) / count, int(args['sample-seed'])).test.sort()
      : Int32Array.from({ length: Math.min(int(args.limit) ?? count, count) }, (_, i) => i);
  const limit = indices.length;
  const x = models.imagesToTensor(data.test, indices);
  const y = Int32Array.from(indices, (i) => data.test.labels[i]);
  const attacks = args.attacks === 'all' ? models.SUITE_ATTACKS : args.attacks.split(',');
  const unknown = attacks.filter((a) => !models.SUITE_ATTACKS.includes(a));
  if (unknown.length)
    throw new Error(`unknown attacks: ${unknown.join(', ')} (known: ${models.SUITE_ATTACKS.join(', ')})`);
  const cw = args.cw?.split('x').map(Number);
  const specs = models.attackSuite(model, {
    attacks,
    seed,
    pgdSteps: int(args['pgd-steps']),
    pgdRestarts: int(args['pgd-restarts']),
    maxQueries: int(args['max-queries']),
    cwSteps: cw,
    linfEpsilons: args.epsilons?.split(',').map(Number),
  });
  let last = 0;
  const report = await models.evaluateRobustness(model, x, y, specs, {
    epsilons: [],
    batchSize: int(args['batch-size']) ?? 100,
    onProgress: ({ attack, eps, done, total }) => {
      if (performance.now() - last > 10_000 || done === total) {
        last = performance.now();
        console.log(`  ${attack} ε=${eps}: ${done}/${total}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    },
  });
  x.dispose();
  const which =
    args.sample !== undefined
      ? `a random sample (seed ${args['sample-seed']}) of ${limit}`
      : limit === count
        ? `all ${limit}`
        : `the first ${limit}`;
  console.log(`\n${args.model} on ${which} MNIST test digits, backend ${args.backend}\n`);
  console.log(models.formatRobustnessReport(report));
  result = { command, model: args.model, backend: args.backend, testDigits: which, ...report };
} else {
  const r = await models.backdoorExperiment(data, {
    fraction: Number(args.fraction),
    targetLabel: int(args.target),
    seed,
    epochs: int(args.epochs),
    limit: int(args.limit),
    timeLimitMs: args.minutes ? Number(args.minutes) * 60_000 : undefined,
    cleanModel: args['clean-model'] === undefined ? undefined : await loadModel(args['clean-model']),
    onEpochEnd: ({ epoch, epochs, logs }) =>
      console.log(
        `epoch ${epoch + 1}/${epochs}  ${Object.entries(logs)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ')}`,
      ),
  });
  const pct = (v) => `${(100 * v).toFixed(2)} %`;
  console.log(
    `\nBadNets, ${r.poisonedImages} poisoned training images (${pct(Number(args.fraction))}), target ${args.target}`,
  );
  console.log(
    `| model | clean accuracy | attack success (${r.poisoned.attacked} triggered test digits) |\n|---|---|---|`,
  );
  console.log(
    `| clean${args['clean-model'] ? ` (${args['clean-model']})` : ''} | ${pct(r.clean.cleanAccuracy)} | ${pct(r.clean.attackSuccessRate)} |`,
  );
  console.log(`| poisoned | ${pct(r.poisoned.cleanAccuracy)} | ${pct(r.poisoned.attackSuccessRate)} |`);
  result = {
    command,
    backend: args.backend,
    cleanModel: args['clean-model'] ?? 'trained with the same recipe',
    fraction: Number(args.fraction),
    poisonedImages: r.poisonedImages,
    clean: r.clean,
    poisoned: r.poisoned,
  };
}
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (args.json) await writeFile(args.json, JSON.stringify(result, null, 2));
