// Writes the browser assets of @lanes/models into dist/assets/ (run by `pnpm build` after tsup):
//   mnist-test-1000.bin  1000 MNIST test digits, 100 per class (seeded), in the 'LIMG' format of
//                        decodeImageAsset(): 16-byte header, 1000 labels, 1000 × 784 pixel bytes.
//   workflows.json       the attack and recipe registries as data (workflowCatalog()): what the CLI
//                        offers and checks (names, settings, choices) without loading tfjs first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { balancedSample, encodeImageAsset, takeImages, workflowCatalog } from '../dist/index.js';
import { loadMnist } from '../dist/node.js';

const out = join(import.meta.dirname, '..', 'dist', 'assets');
mkdirSync(out, { recursive: true });
// First: it needs no data set, and the CLI cannot start without it.
writeFileSync(join(out, 'workflows.json'), JSON.stringify(workflowCatalog(), null, 2));
console.log('wrote dist/assets/workflows.json (the attack and recipe registries)');
const { test } = await loadMnist();
const digits = takeImages(test, balancedSample(test.labels, 1000, 0));
const bytes = encodeImageAsset(digits);
writeFileSync(join(out, 'mnist-test-1000.bin'), bytes);
console.log(`wrote dist/assets/mnist-test-1000.bin (${digits.count} digits, ${bytes.length} bytes)`);
