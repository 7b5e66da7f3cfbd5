/**
 * A compact single-file image asset for browsers (the web demo's MNIST test digits):
 *
 * ```
 * offset 0   'LIMG'                         magic
 * offset 4   u32 LE count
 * offset 8   u16 LE height, u16 LE width
 * offset 12  u8 channels, u8 classes, u16 reserved (0)
 * offset 16  count label bytes, then count × height × width × channels pixel bytes (NHWC)
 * ```
 */
import { MNIST_CLASSES } from './mnist.js';
import { imageSize, type ImageSet } from './images.js';

const MAGIC = [0x4c, 0x49, 0x4d, 0x47]; // 'LIMG'
const HEADER = 16;

/** Serialises an image set into the asset format. */
export function encodeImageAsset(set: ImageSet): Uint8Array {
  const size = imageSize(set);
  const out = new Uint8Array(HEADER + set.count + set.count * size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, set.count, true);
  view.setUint16(8, set.height, true);
  view.setUint16(10, set.width, true);
  view.setUint8(12, set.channels);
  view.setUint8(13, set.classNames.length);
  out.set(set.labels.subarray(0, set.count), HEADER);
  out.set(set.images.subarray(0, set.count * size), HEADER + set.count);
  return out;
}

/**
 * Parses an asset written by {@link encodeImageAsset} (views into `bytes`, no copy).
 * @param classNames names of the classes (default: the MNIST digits).
 */
export function decodeImageAsset(bytes: Uint8Array, classNames: readonly string[] = MNIST_CLASSES): ImageSet {
  if (bytes.length < HEADER || MAGIC.some((m, i) => bytes[i] !== m))
    throw new Error("image asset: missing 'LIMG' header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const height = view.getUint16(8, true);
  const width = view.getUint16(10, true);
  const channels = view.getUint8(12);
  const classes = view.getUint8(13);
  if (classes !== classNames.length)
    throw new Error(`image asset: ${classes} classes but ${classNames.length} class names`);
  const expected = HEADER + count + count * height * width * channels;
  if (bytes.length !== expected) throw new Error(`image asset: expected ${expected} bytes, got ${bytes.length}`);
  return {
    labels: bytes.subarray(HEADER, HEADER + count),
    images: bytes.subarray(HEADER + count),
    count,
    height,
    width,
    channels,
    classNames,
  };
}
