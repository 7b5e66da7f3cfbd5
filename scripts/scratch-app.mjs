// Scratch apps outside the workspace, installed from the packed tarballs as a new user would. pnpm
// prefers the store the workspace install filled; what the workspace does not hold (@tensorflow/tfjs
// resolves some dependencies to newer versions than its lockfile) comes from the registry.
// Used by the packaging tests and by `pnpm conformance --packed`.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..');

/** The pnpm running this process (a JS entry or pnpm's native executable), else pnpm via npx. */
export function pnpmCommand() {
  const execpath = process.env.npm_execpath ?? '';
  if (!execpath.includes('pnpm')) return ['npx', '-y', 'pnpm@12.4.2'];
  return /\.[cm]?js$/.test(execpath) ? [process.execPath, execpath] : [execpath];
}

// Asynchronous, so a test worker keeps answering its runner while this takes minutes.
async function run(args, cwd) {
  await promisify(execFile)(args[0], args.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/**
 * `pnpm pack` of the named workspace packages (e.g. ['kernels-wasm', 'core']) into `dest`.
 * @returns package name → `file:` spec of its tarball
 */
export async function packTarballs(names, dest) {
  mkdirSync(dest, { recursive: true });
  const specs = {};
  for (const p of names) {
    await run([...pnpmCommand(), 'pack', '--pack-destination', dest], join(root, 'packages', p));
    const file = readdirSync(dest).find((f) => f.startsWith(`lanes-${p}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack wrote no tarball for @lanes/${p}`);
    specs[`@lanes/${p}`] = `file:${join(dest, file)}`;
  }
  return specs;
}

/**
 * Installs a scratch app in `dir` with these dependencies (name → version or `file:` spec).
 * @param options.tarballs our tarballs (their mutual dependencies point at them too)
 * @param options.hoisted a flat node_modules, as npm lays it out (for measuring install size)
 */
export async function installScratchApp(dir, dependencies, { tarballs = {}, hoisted = false } = {}) {
  mkdirSync(dir, { recursive: true });
  const pkg = { name: 'lanes-scratch-app', private: true, type: 'module', dependencies: { ...dependencies } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  // The tarballs name each other by version (@lanes/core → @lanes/kernels-wasm 0.1.0): point those at the
  // tarballs. @types/node, which tfjs-data's types ask for as '*', is pinned to the workspace's (in the store).
  const typesNode = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['@types/node'];
  const overrides = Object.entries({ ...tarballs, '@types/node': typesNode }).map(([k, v]) => `  '${k}': '${v}'`);
  // As in the workspace: core-js's install script only prints a banner.
  writeFileSync(
    join(dir, 'pnpm-workspace.yaml'),
    `overrides:\n${overrides.join('\n')}\nallowBuilds:\n  core-js: false\n`,
  );
  const args = ['install', '--prefer-offline', '--config.confirmModulesPurge=false'];
  if (hoisted) args.push('--config.node-linker=hoisted');
  await run([...pnpmCommand(), ...args], dir);
}
