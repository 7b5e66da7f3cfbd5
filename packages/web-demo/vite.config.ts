import { defineConfig } from 'vite';
import { lanesAssets } from './vite-plugin-assets';

// Cross-origin isolation (COOP/COEP) gives the page SharedArrayBuffer, so 'lanes' can run its
// worker threads over a shared wasm memory.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [lanesAssets()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { esbuildOptions: { target: 'es2022' } },
});
