// The shipped models, served as static files under models/<name>/ (see vite-plugin-assets.ts).
import * as tfl from '@tensorflow/tfjs-layers';
import shipped from 'virtual:pretrained';
import { el } from './dom';

/** Whether `name` was shipped when the app was built. */
export function isShipped(name: string): boolean {
  return shipped.includes(name);
}

const cache = new Map<string, Promise<tfl.LayersModel>>();

/** Loads a shipped model once (tensors follow the active backend when it changes). */
export function loadModel(name: string): Promise<tfl.LayersModel> {
  if (!isShipped(name)) return Promise.reject(new Error(`model '${name}' is not shipped`));
  let p = cache.get(name);
  if (!p) {
    p = tfl.loadLayersModel(`${import.meta.env.BASE_URL}models/${name}/model.json`);
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}

/** The notice a section shows instead of its content while its model is not shipped. */
export function missingModel(name: string, what: string): HTMLElement {
  return el(
    'p',
    { className: 'notice', dataset: { missing: name } },
    `${what} needs the '${name}' model, which is not shipped yet (packages/models/pretrained/${name}/). ` +
      'Train it (see packages/models/README.md) and rebuild the demo.',
  );
}
