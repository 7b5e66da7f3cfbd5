/** Parser for the IDX format of the MNIST files (big-endian header, then raw values). */

/** A parsed IDX file. */
export interface IdxArray {
  /** Dimensions, outermost first (e.g. [60000, 28, 28] for images). */
  readonly shape: readonly number[];
  /** The values, row-major (unsigned bytes; the only type the MNIST files use). */
  readonly data: Uint8Array;
}

/**
 * Parses an IDX file holding unsigned bytes (type code 0x08), as the MNIST files do.
 * The returned data is a view into `bytes` (no copy).
 * @throws when the magic number, type or length is wrong.
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) throw new Error(`IDX: file too short (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) throw new Error('IDX: bad magic number (first two bytes must be zero)');
  const type = view.getUint8(2);
  if (type !== 0x08) throw new Error(`IDX: only unsigned byte data (0x08) is supported, got 0x${type.toString(16)}`);
  const rank = view.getUint8(3);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new Error('IDX: truncated header');
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + count) {
    throw new Error(`IDX: expected ${headerBytes + count} bytes for shape [${shape.join(', ')}], got ${bytes.length}`);
  }
  return { shape, data: bytes.subarray(headerBytes) };
}
