/** `lanes eval <model-dir>`: accuracy and confusion matrix of an MNIST classifier on the test set. */
import { loadModel, requireInputShape } from '../model_files.js';
import type { CommandContext } from './index.js';

export async function evaluate(ctx: CommandContext, dir: string | undefined, flags: { n?: number }): Promise<void> {
  const g = ctx.globals();
  const backend = await ctx.setup();
  const models = await import('@lanes/models');
  const node = await import('@lanes/models/node');
  const { model, path } = await loadModel(dir, 'mnist-cnn', 'lanes train cnn --out DIR');
  requireInputShape(model, [28, 28, 1], 'MNIST digits');
  const test = (await node.loadMnist()).test;
  const set = flags.n ? models.headImages(test, flags.n) : test;
  const t0 = performance.now();
  const r = await models.evaluateClassifier(model, set);
  const report = { model: path, backend: backend.backend, n: set.count, accuracy: r.accuracy, perClassAccuracy: r.perClassAccuracy, confusion: r.confusion, seconds: (performance.now() - t0) / 1000 };
  if (g.json) console.log(JSON.stringify(report));
  else {
    console.log(`${path}: ${(100 * r.accuracy).toFixed(2)} % of ${set.count} MNIST test digits`);
    console.log('confusion (rows: true class, columns: predicted)');
    for (const [i, row] of r.confusion.entries()) console.log(`  ${i}  ${row.map((v: number) => String(v).padStart(5)).join('')}`);
  }
}
