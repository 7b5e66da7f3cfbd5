/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly, loaded on first use): reading
 * `model.weights.h5` and legacy `.h5` files from bytes, writing `model.weights.h5`. Files live in
 * h5wasm's in-memory file system only while they are read or written.
 */
import type * as H5 from 'h5wasm';
import { kerasError } from './errors.js';

type H5Lib = typeof H5.default;
type H5Module = Awaited<H5Lib['ready']>;

let lib: Promise<{ h5: H5Lib; module: H5Module }> | undefined;

// One import for Node and browsers: h5wasm's ESM build embeds its wasm and runs on both (its
// `h5wasm/node` entry adds only a Node file-system mount, which in-memory files do not need).
function loadH5(): Promise<{ h5: H5Lib; module: H5Module }> {
  lib ??= import('h5wasm').then(async (m) => {
    const h5 = m.default;
    return { h5, module: await h5.ready };
  });
  return lib;
}

/** The innermost cause in an HDF5 error stack ("truncated file: eof = …"), or the message. */
function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const causes = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)].map((m) => m[1].trim());
  return causes.length > 0 ? causes[causes.length - 1] : text.split('\n')[0];
}

/** h5wasm's switch between printing HDF5 errors and throwing them (since h5wasm 0.7.2). */
interface ThrowingErrors {
  activate_throwing_error_handler(): void;
  deactivate_throwing_error_handler(): void;
}

let fileCount = 0;
const tempName = (): string => `/lanes-keras-${++fileCount}.h5`;

/** The end-of-file address an HDF5 superblock records (versions 0–3), or undefined if unreadable. */
function hdf5StoredEof(bytes: Uint8Array): number | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[8];
  const read = (at: number, size: number): number | undefined => {
    if (at + size > bytes.length) return undefined;
    if (size === 8) return Number(view.getBigUint64(at, true));
    if (size === 4) return view.getUint32(at, true);
    return undefined;
  };
  if (version === 0 || version === 1) {
    const offsets = bytes[13];
    const base = 24 + (version === 1 ? 4 : 0);
    return read(base + 2 * offsets, offsets);
  }
  if (version === 2 || version === 3) {
    const offsets = bytes[9];
    return read(12 + 2 * offsets, offsets);
  }
  return undefined;
}

/** A float array read from an HDF5 dataset with its shape. */
export interface H5Array {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** Read access to an HDF5 file's groups, attributes and float datasets. */
export interface H5Reader {
  /** Whether `path` names a group. */
  isGroup(path: string): boolean;
  /** Names of the members of the group at `path`. */
  keys(path: string): string[];
  /** An attribute: text, a list of texts, or numbers; Keras' chunked attributes (`name0`, `name1`, …) joined. */
  attr(path: string, name: string): string | string[] | number[] | undefined;
  /** Shape of the dataset at `path` (no values read), or undefined if it is no dataset. */
  shape(path: string): number[] | undefined;
  /** The dataset at `path` as float32, after checking its declared size against the file. */
  read(path: string): H5Array;
}

function attrValue(a: H5.Attribute): string | string[] | number[] | undefined {
  const v = a.value;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array && a.metadata.type === 3) return new TextDecoder().decode(v);
  if (Array.isArray(v)) return v.map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : String(x)));
  if (typeof v === 'number') return [v];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, Number);
  return undefined;
}

/** Opens `bytes` as HDF5, runs `use` on it and closes it, whatever happens. */
export async function withHdf5<T>(bytes: Uint8Array, what: string, use: (r: H5Reader) => T): Promise<T> {
  const eof = hdf5StoredEof(bytes);
  if (eof === undefined) kerasError(`${what} is a corrupt HDF5 file: its superblock cannot be read`);
  if (eof > bytes.length)
    kerasError(`${what} is truncated: the HDF5 file says it has ${eof} bytes, got ${bytes.length} — re-download it`);
  const { h5, module } = await loadH5();
  const name = tempName();
  module.FS.writeFile(name, bytes);
  let file: H5.File | undefined;
  // HDF5 errors become exceptions (with HDF5's own text) instead of HDF5-DIAG lines on stderr.
  const errors = module as unknown as ThrowingErrors;
  errors.activate_throwing_error_handler();
  try {
    try {
      file = new h5.File(name, 'r');
    } catch (e) {
      return kerasError(`${what} is a corrupt HDF5 file (${hdf5Reason(e)})`);
    }
    if (file.file_id < 0n) kerasError(`${what} is a corrupt HDF5 file: the HDF5 library cannot open it`);
    const f = file;
    const get = (path: string): H5.Entity | null => {
      try {
        return path === '' || path === '/' ? f : f.get(path);
      } catch {
        return null;
      }
    };
    const reader: H5Reader = {
      isGroup: (path) => get(path) instanceof h5.Group,
      keys(path) {
        const g = get(path);
        return g instanceof h5.Group ? g.keys() : [];
      },
      attr(path, attrName) {
        const g = get(path);
        if (!(g instanceof h5.Group) && !(g instanceof h5.Dataset)) return undefined;
        const attrs = g.attrs;
        if (attrs[attrName]) return attrValue(attrs[attrName]);
        // legacy_h5_format.load_attributes_from_hdf5_group: long attributes are split in chunks.
        const parts: string[] = [];
        for (let i = 0; attrs[`${attrName}${i}`]; i++) {
          const v = attrValue(attrs[`${attrName}${i}`]);
          if (Array.isArray(v)) parts.push(...v.map(String));
        }
        return parts.length > 0 ? parts : undefined;
      },
      shape(path) {
        const d = get(path);
        return d instanceof h5.Dataset ? (d.shape ?? []) : undefined;
      },
      read(path) {
        const d = get(path);
        if (!(d instanceof h5.Dataset)) return kerasError(`${what} has no dataset ${path}`);
        const meta = d.metadata;
        const shape = d.shape ?? [];
        const count = shape.reduce((a, b) => a * b, 1);
        const declared = count * meta.size;
        // Unfiltered (uncompressed) data lies in the file: more than the file holds is a lie.
        const limit = d.filters.length === 0 ? bytes.length : Math.max(64 * 1024 * 1024, 100 * bytes.length);
        if (declared > limit)
          kerasError(
            `${what} is corrupt: dataset ${path} declares ${declared} bytes (shape [${shape.join(', ')}]), more than the ${bytes.length}-byte file can hold`,
          );
        if (meta.type !== 1 && meta.type !== 0)
          kerasError(`${what}: dataset ${path} does not hold numbers (HDF5 type class ${meta.type})`);
        const bf16 = d.attrs['dtype'] && attrValue(d.attrs['dtype']) === 'bfloat16';
        if (meta.type === 1 && meta.size === 2)
          kerasError(`${what}: dataset ${path} holds float16 weights, which this reader does not convert`);
        let raw: unknown;
        try {
          raw = d.value;
        } catch (e) {
          return kerasError(`${what} is corrupt: dataset ${path} cannot be read (${hdf5Reason(e)})`);
        }
        if (!ArrayBuffer.isView(raw) && typeof raw !== 'number' && typeof raw !== 'bigint')
          kerasError(`${what} is corrupt: dataset ${path} cannot be read`);
        const list = ArrayBuffer.isView(raw) ? (raw as unknown as ArrayLike<number | bigint>) : [raw as number];
        const values = new Float32Array(count);
        if (bf16) {
          // Keras' H5Entry stores bfloat16 as its 16 bits with a dtype attribute.
          const u32 = new Uint32Array(values.buffer);
          for (let i = 0; i < count; i++) u32[i] = Number(list[i]) << 16;
        } else if (list instanceof Float32Array) values.set(list);
        else for (let i = 0; i < count; i++) values[i] = Number(list[i]);
        return { shape, values };
      },
    };
    try {
      return use(reader);
    } catch (e) {
      if ((e as Error).name === 'InvalidInputError') throw e;
      return kerasError(`${what} is a corrupt HDF5 file (${hdf5Reason(e)})`);
    }
  } finally {
    try {
      if (file && file.file_id >= 0n) file.close();
    } finally {
      module.FS.unlink(name);
      errors.deactivate_throwing_error_handler();
    }
  }
}

/** Write access used by the `.keras` writer. */
export interface H5Writer {
  /** Creates the group at `path` (and its parents). */
  group(path: string): void;
  /** Writes a float32 dataset. */
  dataset(path: string, values: Float32Array, shape: readonly number[]): void;
  /** Sets a text attribute on a group. */
  attr(path: string, name: string, value: string): void;
}

/** Builds an HDF5 file with `fill` and returns its bytes. */
export async function writeHdf5(fill: (w: H5Writer) => void): Promise<Uint8Array> {
  const { h5, module } = await loadH5();
  const name = tempName();
  const file = new h5.File(name, 'w');
  let open = true;
  try {
    const ensure = (path: string): H5.Group => {
      let g: H5.Group = file;
      for (const part of path.split('/').filter((p) => p !== '')) {
        const next = g.get(part);
        g = next instanceof h5.Group ? next : g.create_group(part);
      }
      return g;
    };
    fill({
      group: (path) => void ensure(path),
      dataset(path, values, shape) {
        const at = path.lastIndexOf('/');
        ensure(path.slice(0, at)).create_dataset({ name: path.slice(at + 1), data: values, shape: [...shape] });
      },
      attr: (path, attrName, value) => ensure(path).create_attribute(attrName, value),
    });
    file.close();
    open = false;
    return module.FS.readFile(name);
  } finally {
    if (open) file.close();
    module.FS.unlink(name);
  }
}
