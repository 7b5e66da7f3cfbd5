// Type-checks every ```ts example: those in the TSDoc comments of the SDK packages' sources and
// those in README.md. Each example becomes a module of its own under <package>/.doc-examples/
// (so '@lanes/…' and '@tensorflow/…' resolve as they do for the package) and tsc checks them all
// with the package's strict settings. Exits non-zero, naming the example's source line, on error.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '../..');
const packages = ['kernels-wasm', 'core', 'models'];

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== 'generated') yield* sources(join(dir, e.name));
    else if (e.isFile() && e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

/** ```ts blocks, with the line they start on; `comment` strips the ` * ` of doc comments. */
function examples(file, comment) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const strip = (l) => (comment ? l.replace(/^\s*\* ?/, '') : l);
    if (!/^```ts\s*$/.test(strip(lines[i]).trim())) continue;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && strip(lines[j]).trim() !== '```'; j++) body.push(strip(lines[j]));
    found.push({ line: i + 1, code: body.join('\n') });
    i = j;
  }
  return found;
}

let count = 0;
const failures = [];
for (const p of packages) {
  const dir = join(root, 'packages', p);
  const blocks = [];
  for (const f of sources(join(dir, 'src'))) for (const ex of examples(f, true)) blocks.push({ ...ex, file: f });
  // The root README's examples use @lanes/core and @lanes/models: the models package resolves both.
  const readmes = [join(dir, 'README.md'), ...(p === 'models' ? [join(root, 'README.md')] : [])];
  for (const readme of p === 'kernels-wasm' ? [] : readmes.filter((f) => existsSync(f)))
    for (const ex of examples(readme, false)) blocks.push({ ...ex, file: readme });
  if (blocks.length === 0) continue;
  const out = join(dir, '.doc-examples');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const where = new Map();
  blocks.forEach((b, i) => {
    const name = `example_${i}.ts`;
    where.set(name, `${relative(root, b.file)}:${b.line}`);
    // `export {}` makes each example a module (top-level await, no shared names).
    writeFileSync(join(out, name), `${b.code}\nexport {};\n`);
  });
  // What bundlers declare for asset imports (Vite's `?url`), as vite/client does.
  writeFileSync(join(out, 'assets.d.ts'), "declare module '*?url' {\n  const url: string;\n  export default url;\n}\n");
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: '../tsconfig.json',
        compilerOptions: { rootDir: '.', noEmit: true, noUnusedLocals: false },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  count += blocks.length;
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (e) {
    const text = String(e.stdout ?? '') + String(e.stderr ?? '');
    failures.push(text.replace(/\.doc-examples\/(example_\d+\.ts)/g, (_, n) => `${where.get(n)} (example)`));
  }
  rmSync(out, { recursive: true, force: true });
}
for (const f of failures) console.error(f);
console.log(`${count} doc examples type-checked, ${failures.length === 0 ? 'no errors' : 'errors above'}`);
process.exit(failures.length === 0 ? 0 : 1);
