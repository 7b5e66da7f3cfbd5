// Static assets the demo needs from other packages, served in dev and copied into the build:
//   models/<name>/{model.json, weights.bin}   every shipped model in @lanes/models' pretrained/
//   data/sp500-2000.csv                       the S&P 500 closes the stocks-gru model predicts
// and a virtual module 'virtual:pretrained' listing the shipped model names, so pages never
// fetch a model that is not there (a 404 would be a console error).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Connect, Plugin } from 'vite';

const modelsDir = join(import.meta.dirname, '..', 'models');
const pretrainedDir = join(modelsDir, 'pretrained');
const MODEL_FILES = ['model.json', 'weights.bin'];

/** Names of shipped models: pretrained/<name>/ holding both model.json and weights.bin. */
function shippedModels(): string[] {
  if (!existsSync(pretrainedDir)) return [];
  return readdirSync(pretrainedDir)
    .filter((name) => MODEL_FILES.every((f) => existsSync(join(pretrainedDir, name, f))))
    .sort();
}

/** vega-datasets hides its files behind "exports": resolve its entry (build/). */
function vegaDataFile(file: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('vega-datasets')), '..', 'data', file);
}

/** URL path (no leading slash) → file on disk. */
function assetFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of shippedModels()) {
    for (const f of MODEL_FILES) files.set(`models/${name}/${f}`, join(pretrainedDir, name, f));
  }
  files.set('data/sp500-2000.csv', vegaDataFile('sp500-2000.csv'));
  return files;
}

const VIRTUAL = 'virtual:pretrained';

/** The Vite plugin (see the file comment). */
export function lanesAssets(): Plugin {
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
    const file = assetFiles().get(path);
    if (!file) return next();
    res.setHeader(
      'Content-Type',
      path.endsWith('.json') ? 'application/json' : path.endsWith('.csv') ? 'text/csv' : 'application/octet-stream',
    );
    res.end(readFileSync(file));
  };
  return {
    name: 'lanes-assets',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load: (id) => (id === `\0${VIRTUAL}` ? `export default ${JSON.stringify(shippedModels())};` : undefined),
    configureServer(server) {
      server.middlewares.use(serve);
    },
    generateBundle() {
      for (const [fileName, file] of assetFiles())
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
    },
  };
}
