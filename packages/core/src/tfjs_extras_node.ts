// Node loads tfjs-core's `dist/*.js` neither as CommonJS (they are ES modules in a package without
// "type": "module") nor as ES modules (their relative imports have no extension). A module hook,
// limited to files inside `@tensorflow/tfjs-core/dist/`, adds the extension and the module format,
// so the app's own tfjs-core files register its gradients and chained ops. Their engine, registries
// and Tensor class are tfjs's process-wide globals, shared with the app's CommonJS tfjs-core.
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const HOOKS = `
const DIST = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.includes(DIST) && specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier))
    return next(specifier + '.js', context);
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.includes(DIST) && url.endsWith('.js')) return next(url, { ...context, format: 'module' });
  return next(url, context);
}`;

const FILES = ['register_all_gradients.js', 'public/chained_ops/register_all_chained_ops.js'];

/** Imports the app's own tfjs-core gradient and chained-op registrations (about 440 small modules). */
export async function loadTfjsExtrasFromDisk(): Promise<void> {
  let dist: string;
  try {
    dist = createRequire(import.meta.url)
      .resolve('@tensorflow/tfjs-core/package.json')
      .replace(/package\.json$/, 'dist/');
  } catch {
    throw new Error(
      "@lanes/core: tfjs-core's gradients and chained ops are not registered and @tensorflow/tfjs-core cannot be " +
        "resolved from @lanes/core to load them: import '@tensorflow/tfjs' (or '@tensorflow/tfjs-layers') first.",
    );
  }
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  for (const f of FILES) await import(pathToFileURL(dist + f).href);
}
