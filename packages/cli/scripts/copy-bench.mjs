// `lanes bench` from an install: the CLI ships a copy of @lanes/core's benchmark (bench/*.mjs, built
// here from packages/core/bench) with the contenders it needs as its own dependencies.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const from = join(import.meta.dirname, '..', '..', 'core', 'bench');
const to = join(import.meta.dirname, '..', 'bench');
rmSync(to, { recursive: true, force: true });
mkdirSync(to);
const files = readdirSync(from).filter((f) => /\.m?js$/.test(f));
for (const f of files) copyFileSync(join(from, f), join(to, f));
console.log(`copied ${files.length} benchmark files into bench/`);
