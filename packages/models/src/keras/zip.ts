/**
 * Reading and writing the `.keras` zip with fflate (loaded on first use). A zip's central
 * directory declares each entry's expanded size; entries are checked against it before any is
 * inflated, so a zip bomb is refused before memory is allocated for it.
 */
import { kerasError } from './errors.js';

/** Expanded bytes a zip may declare without question (a big model's weights, stored). */
const ZIP_FREE_BYTES = 64 * 1024 * 1024;
/** Past {@link ZIP_FREE_BYTES}, how many times its own size a zip may expand to. */
const ZIP_MAX_RATIO = 100;

/** The entries of a `.keras` zip that the reader needs, by name. */
export type ZipEntries = Record<string, Uint8Array>;

/** Entries of `bytes` whose names `wanted` lists (others are not inflated). */
export async function readZip(bytes: Uint8Array, what: string, wanted: readonly string[]): Promise<ZipEntries> {
  const { unzipSync } = await import('fflate');
  const limit = Math.max(ZIP_FREE_BYTES, ZIP_MAX_RATIO * bytes.length);
  let declared = 0;
  try {
    return unzipSync(bytes, {
      filter(file) {
        if (!wanted.includes(file.name)) return false;
        declared += file.originalSize;
        if (declared > limit) {
          kerasError(
            `${what} is refused as a zip bomb: its entries declare ${declared} bytes once expanded (${file.name} alone ${file.originalSize}), more than ${ZIP_MAX_RATIO}× the ${bytes.length}-byte file`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if ((e as Error).name === 'InvalidInputError') throw e;
    return kerasError(`${what} is a corrupt or truncated zip (${(e as Error).message}): re-save or re-download it`);
  }
}

/** A zip of `entries` (stored, not deflated, as Keras' own writer does). */
export async function writeZip(entries: ZipEntries): Promise<Uint8Array> {
  const { zipSync } = await import('fflate');
  return zipSync(entries, { level: 0 });
}
