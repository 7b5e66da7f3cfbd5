import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the backend-agnostic core (browsers too) and the Node-only file/dataset half.
  entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url in the CJS build (the node entry resolves package files from it).
  shims: true,
});
