import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core's gradient and chained-op registrations ship only as extension-less ES modules,
  // which Node cannot load: bundle them (they register into tfjs's global registries).
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});
