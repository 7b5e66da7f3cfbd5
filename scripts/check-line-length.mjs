// Holds sources that prettier cannot format (AssemblyScript: its top-level decorators are not
// TypeScript) to the project's 120 columns. Usage: node scripts/check-line-length.mjs DIR... ; lists
// every longer line as path:line: length and exits 1 when there is one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX = 120;
const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/check-line-length.mjs DIR...  (checks the .ts files in each DIR)');
  process.exit(2);
}
let long = 0;
for (const dir of dirs) {
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const path = join(dir, name);
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > MAX) {
          console.log(`${path}:${i + 1}: ${[...line].length} columns`);
          long++;
        }
      });
  }
}
if (long > 0) {
  console.log(`${long} line(s) over ${MAX} columns`);
  process.exit(1);
}
