import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup_tfjs.ts'],
    testTimeout: 120_000,
    // Node 20 validates relaxed SIMD only behind this flag (the CLI turns it on too): with it,
    // tests that loop over the builds run all three.
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--experimental-wasm-relaxed-simd'] } },
    // Same reason as tsup's noExternal: these tfjs-core files are extension-less ES modules.
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
  },
});
