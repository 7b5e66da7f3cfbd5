/**
 * Reading a picture of a digit (PNG, JPEG or WebP, decoded by sharp) as one MNIST input, through
 * `toMnistInput` of @lanes/models — the demo's function too, so a picture reads the same in both.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './errors.js';

/** A picture turned into one MNIST input. */
export interface DigitPicture {
  path: string;
  /** 28 × 28 values in [0, 1], light digit on a dark background like MNIST, centred by mass. */
  pixels: Float32Array;
  /** Size of the picture read. */
  width: number;
  height: number;
  /** Whether the picture was dark on light and has been inverted. */
  inverted: boolean;
}

/** Decoded RGBA pixels of a picture. */
interface DecodedPicture {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 4;
}

const HOW =
  'pass a PNG, JPEG or WebP picture of one digit (any size, colour or greyscale; it is centred in 28×28 as MNIST digits are)';

type Format = 'PNG' | 'JPEG' | 'WebP';
const READABLE: readonly Format[] = ['PNG', 'JPEG', 'WebP'];

/** Names a format by its first bytes. */
function sniff(bytes: Buffer): Format | 'a GIF image' | 'a BMP image' | 'a text file' | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG';
  if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'JPEG';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'WebP';
  if (bytes.toString('latin1', 0, 4) === 'GIF8') return 'a GIF image';
  if (bytes.toString('latin1', 0, 2) === 'BM') return 'a BMP image';
  if (bytes.length && bytes.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))
    return 'a text file';
  return undefined;
}

/** Why a file of `format` failed to decode, in words. */
function damage(format: Format, bytes: Buffer, message: string): string {
  const ends =
    format === 'PNG'
      ? bytes.includes('IEND')
      : format === 'JPEG'
        ? bytes.subarray(-2).equals(Buffer.from([0xff, 0xd9]))
        : bytes.readUInt32LE(4) + 8 <= bytes.length;
  if (!ends) {
    const last = format === 'PNG' ? 'its last chunk' : format === 'JPEG' ? 'its end marker' : 'its declared size';
    return `a truncated ${format} (${bytes.length} bytes, it ends before ${last})`;
  }
  return `a damaged ${format} (${message.split('\n')[0]})`;
}

/** Decodes the picture at `file` to RGBA with sharp; a {@link CliError} says what is wrong otherwise. */
async function decodePicture(file: string): Promise<DecodedPicture & { path: string }> {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new CliError(`cannot read the image ${path}: ${what}`, HOW);
  }
  if (bytes.length === 0) throw new CliError(`cannot read the image ${path}: the file is empty (0 bytes)`, HOW);
  const kind = sniff(bytes);
  if (kind === undefined || !(READABLE as readonly string[]).includes(kind)) {
    const what = kind ? `it is ${kind}` : `${bytes.length} bytes of an unknown kind`;
    throw new CliError(`cannot read the image ${path}: ${what}, not a PNG, JPEG or WebP picture`, HOW);
  }
  const format = kind as Format;
  // A 0×0 header is named before decoding (decoders report it as a stream error).
  if (format === 'PNG' && bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    const w = bytes.readUInt32BE(16),
      h = bytes.readUInt32BE(20);
    if (w === 0 || h === 0)
      throw new CliError(`cannot read the image ${path}: it is a ${w}×${h} PNG, with no pixels`, HOW);
  }
  const { default: sharp } = await import('sharp');
  try {
    // failOn 'warning' (the default) also refuses truncated files instead of decoding part of them.
    const { data, info } = await sharp(bytes, { failOn: 'warning' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      path,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      channels: 4,
    };
  } catch (e) {
    throw new CliError(`cannot read the image ${path}: ${damage(format, bytes, (e as Error).message)}`, HOW);
  }
}

/** Reads a picture and converts it to one MNIST digit with `toMnistInput` (see there for how). */
export async function readDigitPicture(file: string): Promise<DigitPicture> {
  const picture = await decodePicture(file);
  const { toMnistInput } = await import('@lanes/models');
  const { pixels, inverted } = toMnistInput(picture);
  return { path: picture.path, pixels, width: picture.width, height: picture.height, inverted };
}
