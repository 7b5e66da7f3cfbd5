// Robustness measurements behind issue 7's targets (MNIST test set):
//   node packages/models/scripts/adversarial.mjs report [--model mnist-cnn|mnist-cnn-robust|DIR]
//        [--attacks fgsm,pgd,...|all] [--limit N] [--epsilons 0.1,0.2,0.3] [--pgd-steps 40]
//        [--pgd-restarts 1] [--max-queries 5000] [--cw 5x100] [--batch-size 100] [--seed 0]
//        [--backend lanes|cpu] [--json FILE]
//   node packages/models/scripts/adversarial.mjs backdoor [--fraction 0.01] [--target 0]
//        [--epochs N] [--limit N] [--seed 0] [--backend lanes|cpu] [--json FILE]
// attacks: fgsm bim pgd pgd-targeted mi-fgsm pgd-l2 cw-l2 deepfool jsma simba square hop-skip-jump.
// `report` attacks the first --limit test digits (default all 10 000) of a saved model and prints
// the Markdown table of evaluateRobustness; `backdoor` trains mnist-cnn on clean and on poisoned data.
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
    model: { type: 'string', default: 'mnist-cnn' }, attacks: { type: 'string', default: 'all' }, limit: { type: 'string' },
    epsilons: { type: 'string' }, 'pgd-steps': { type: 'string' }, 'pgd-restarts': { type: 'string' }, 'max-queries': { type: 'string' },
    cw: { type: 'string' }, 'batch-size': { type: 'string' }, seed: { type: 'string', default: '0' }, backend: { type: 'string', default: 'lanes' },
    json: { type: 'string' }, fraction: { type: 'string', default: '0.01' }, target: { type: 'string', default: '0' }, epochs: { type: 'string' },
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
const t0 = performance.now();
let result;

if (mode === 'report') {
  // A shipped model by name (mnist-cnn-robust lives beside the others), or a directory.
  const shipped = join(import.meta.dirname, '..', 'pretrained', args.model);
  const model = models.PRETRAINED_NAMES.includes(args.model) ? await node.loadPretrained(args.model)
    : await node.loadModelFromDir(existsSync(join(shipped, 'model.json')) ? shipped : args.model);
  const limit = Math.min(int(args.limit) ?? data.test.count, data.test.count);
  const x = models.imagesToTensor(data.test, Int32Array.from({ length: limit }, (_, i) => i));
  const y = Int32Array.from(data.test.labels.subarray(0, limit));
  const attacks = args.attacks === 'all' ? models.SUITE_ATTACKS : args.attacks.split(',');
  const unknown = attacks.filter((a) => !models.SUITE_ATTACKS.includes(a));
  if (unknown.length) throw new Error(`unknown attacks: ${unknown.join(', ')} (known: ${models.SUITE_ATTACKS.join(', ')})`);
  const cw = args.cw?.split('x').map(Number);
  const specs = models.attackSuite(model, {
    attacks, seed, pgdSteps: int(args['pgd-steps']), pgdRestarts: int(args['pgd-restarts']), maxQueries: int(args['max-queries']),
    cwSteps: cw, linfEpsilons: args.epsilons?.split(',').map(Number),
  });
  let last = 0;
  const report = await models.evaluateRobustness(model, x, y, specs, {
    epsilons: [], batchSize: int(args['batch-size']) ?? 100,
    onProgress: ({ attack, eps, done, total }) => {
      if (performance.now() - last > 10_000 || done === total) {
        last = performance.now();
        console.log(`  ${attack} ε=${eps}: ${done}/${total}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    },
  });
  x.dispose();
  console.log(`\n${args.model} on ${limit} MNIST test digits, backend ${args.backend}\n`);
  console.log(models.formatRobustnessReport(report));
  result = { model: args.model, backend: args.backend, ...report };
} else {
  const r = await models.backdoorExperiment(data, {
    fraction: Number(args.fraction), targetLabel: int(args.target), seed, epochs: int(args.epochs), limit: int(args.limit),
    onEpochEnd: ({ epoch, epochs, logs }) => console.log(`epoch ${epoch + 1}/${epochs}  ${Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}`),
  });
  const pct = (v) => `${(100 * v).toFixed(2)} %`;
  console.log(`\nBadNets, ${r.poisonedImages} poisoned training images (${pct(Number(args.fraction))}), target ${args.target}`);
  console.log(`| model | clean accuracy | attack success (${r.poisoned.attacked} triggered test digits) |\n|---|---|---|`);
  console.log(`| clean | ${pct(r.clean.cleanAccuracy)} | ${pct(r.clean.attackSuccessRate)} |`);
  console.log(`| poisoned | ${pct(r.poisoned.cleanAccuracy)} | ${pct(r.poisoned.attackSuccessRate)} |`);
  result = { backend: args.backend, fraction: Number(args.fraction), poisonedImages: r.poisonedImages, clean: r.clean, poisoned: r.poisoned };
}
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (args.json) await writeFile(args.json, JSON.stringify(result, null, 2));
