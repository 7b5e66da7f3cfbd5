/**
 * The bytes of a Keras model file from whatever the caller has: a path (Node), a URL, a Blob or
 * File, an ArrayBuffer or a typed array. The format is told by the first bytes, never the name.
 */
import { kerasError } from './errors.js';

/** Where a Keras model comes from. */
export type KerasSource = string | URL | Blob | ArrayBuffer | ArrayBufferView;

/** The two containers Keras writes. */
export type KerasContainer = 'zip' | 'hdf5';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/**
 * The Keras container `bytes` start like: 'zip' (a `.keras` file), 'hdf5' (an `.h5` file), or
 * undefined. Only the signature is looked at (for telling a Keras file from a tfjs model.json, say).
 */
export function kerasContainerOf(bytes: Uint8Array): KerasContainer | undefined {
  return startsWith(bytes, ZIP_MAGIC) ? 'zip' : startsWith(bytes, HDF5_MAGIC) ? 'hdf5' : undefined;
}

/** The container of `bytes` by its signature: a `.keras` zip or an HDF5 `.h5`. */
export function sniffContainer(bytes: Uint8Array, what: string): KerasContainer {
  const container = kerasContainerOf(bytes);
  if (container) return container;
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return kerasError(
    `${what} is not a Keras model file: expected a .keras zip (starting PK\\x03\\x04) or an HDF5 .h5 (starting \\x89HDF), got ${bytes.length === 0 ? 'an empty file' : `bytes ${head}`}`,
  );
}

const isUrlText = (s: string): boolean => /^(https?|file|data|blob):/i.test(s);

async function fetchBytes(url: string): Promise<Uint8Array> {
  if (url.startsWith('file:')) {
    const { fileURLToPath } = (await import(/* @vite-ignore */ NODE_URL)) as typeof import('node:url');
    return readPath(fileURLToPath(url));
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    return kerasError(`cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (!response.ok) kerasError(`cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

// Node built-ins are imported through variables so browser bundlers leave them alone.
const NODE_FS = 'node:fs/promises';
const NODE_URL = 'node:url';

async function readPath(path: string): Promise<Uint8Array> {
  if (typeof process === 'undefined' || !process.versions?.node)
    kerasError(`cannot read the path ${path} outside Node: pass a URL, a File/Blob or the bytes`);
  const { readFile } = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs/promises');
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    return kerasError(`cannot read the model file ${path}: ${(e as Error).message}`);
  }
}

/** The bytes of `source` and a name for messages. */
export async function readSource(source: KerasSource): Promise<{ bytes: Uint8Array; name: string }> {
  if (typeof source === 'string') {
    return { bytes: await (isUrlText(source) ? fetchBytes(source) : readPath(source)), name: source };
  }
  if (source instanceof URL) return { bytes: await fetchBytes(source.href), name: source.href };
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as Blob & { name?: string }).name ?? 'the model file';
    return { bytes: new Uint8Array(await source.arrayBuffer()), name };
  }
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: 'the model file' };
  if (ArrayBuffer.isView(source))
    return { bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength), name: 'the model file' };
  const got = source === null ? 'null' : typeof source;
  return kerasError(
    `source is not a model file: expected a path, a URL, a Blob/File, an ArrayBuffer or a Uint8Array, got ${got}`,
  );
}
