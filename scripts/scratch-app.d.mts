/** The pnpm command running this process, as argv (a JS entry, a native executable, or npx). */
export function pnpmCommand(): string[];
/** `pnpm pack` of the named workspace packages into `dest`; returns package name → `file:` spec. */
export function packTarballs(names: string[], dest: string): Promise<Record<string, string>>;
/** Installs a scratch app in `dir` offline, with our tarballs overriding their mutual dependencies. */
export function installScratchApp(
  dir: string,
  dependencies: Record<string, string>,
  options?: { tarballs?: Record<string, string>; hoisted?: boolean },
): Promise<void>;
