// Where each build's module lives, as `new URL(literal, import.meta.url)`: the form bundlers (Vite,
// webpack, Rollup) recognise, so they emit the six files as assets and rewrite the URLs; a page then
// downloads only the one the loader picks. Kept one folder below the package root, like dist/.

/** A build for one memory kind: `<build>-<memory kind>`. */
export type WasmKey = `${'relaxed-simd' | 'simd' | 'scalar'}-${'shared' | 'plain'}`;

/** URL of each build's wasm file. */
export function wasmUrl(key: WasmKey): URL {
  switch (key) {
    case 'relaxed-simd-shared':
      return new URL('../wasm/relaxed-simd-shared.wasm', import.meta.url);
    case 'relaxed-simd-plain':
      return new URL('../wasm/relaxed-simd-plain.wasm', import.meta.url);
    case 'simd-shared':
      return new URL('../wasm/simd-shared.wasm', import.meta.url);
    case 'simd-plain':
      return new URL('../wasm/simd-plain.wasm', import.meta.url);
    case 'scalar-shared':
      return new URL('../wasm/scalar-shared.wasm', import.meta.url);
    case 'scalar-plain':
      return new URL('../wasm/scalar-plain.wasm', import.meta.url);
  }
}

interface NodeFs {
  readFileSync(path: URL): Uint8Array;
}

/** The bytes at a URL: read from disk for `file:` URLs in Node, fetched otherwise. */
export async function readWasm(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    // process.getBuiltinModule (Node ≥ 20.16) keeps `node:fs` out of browser bundles' sight.
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
    if (fs) return fs.readFileSync(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Lanes: could not load the kernel module ${url.href} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}
