import { defineConfig } from 'tsup';

// tfjs-core (and its dist/ files) stay external: a peer dependency, never embedded.
const common = { dts: true, sourcemap: true, target: 'es2022' as const, external: [/^@tensorflow\//] };

export default defineConfig([
  // Node (ESM and CommonJS): loads the app's tfjs-core gradients from disk when they are missing.
  { ...common, entry: { index: 'src/entry_node.ts' }, format: ['esm', 'cjs'], clean: true, shims: true },
  // Bundlers (the "browser" condition): imports them from the app's tfjs-core like tfjs-layers does.
  { ...common, entry: { browser: 'src/entry_browser.ts' }, format: ['esm'], platform: 'browser' },
]);
