// Bad input to the CLI, end to end: damaged pictures and model files → one line saying what is
// wrong and how to fix it, exit 1, no stack trace, and no output file left behind.
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { pretrainedDir } from '@lanes/models/node';
import { expectFailure, lanes } from './run_cli.js';

const shippedCnn = pretrainedDir('mnist-cnn');
const shippedGenerator = join(shippedCnn, '..', 'mnist-dcgan-generator');
/** Files under `dir` (none when it does not exist). */
function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A greyscale PNG header claiming `w × h` pixels, with an empty image stream. */
function emptyPng(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A copy of a shipped model directory with `edit` applied to its weights.bin. */
function damagedCopy(from: string, to: string, edit: (weights: Buffer) => Buffer): string {
  mkdirSync(to);
  copyFileSync(join(from, 'model.json'), join(to, 'model.json'));
  writeFileSync(join(to, 'weights.bin'), edit(readFileSync(join(from, 'weights.bin'))));
  return to;
}

/** Weights with float32 `value` written at float index `at`. */
function poke(value: number, at: number): (w: Buffer) => Buffer {
  return (w) => {
    const copy = Buffer.from(w);
    copy.writeFloatLE(value, 4 * at);
    return copy;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'lanes-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fix = / — pass a PNG, JPEG or WebP picture of one digit \(any size, colour or greyscale; it is centred in 28×28/;

describe.concurrent('bad input to the lanes CLI', () => {
  it('empty, truncated, 0×0 and 0×5 pictures: the message says which, exit 1, no output file', async () => {
    const good = new PNG({ width: 28, height: 28 });
    good.data.fill(255);
    const bytes = PNG.sync.write(good);
    const pics = join(dir, 'pics');
    mkdirSync(pics);
    writeFileSync(join(pics, 'empty.png'), Buffer.alloc(0));
    writeFileSync(join(pics, 'half.png'), bytes.subarray(0, bytes.length >> 1));
    writeFileSync(join(pics, 'zero.png'), emptyPng(0, 0));
    writeFileSync(join(pics, 'thin.png'), emptyPng(0, 5));
    writeFileSync(join(pics, 'good.png'), bytes);
    const out = join(dir, 'pics-out');
    const [empty, half, zero, thin, mixed] = await Promise.all([
      lanes('eval', '--image', join(pics, 'empty.png')),
      lanes('attack', 'fgsm', '--image', join(pics, 'half.png'), '--out', out),
      lanes('eval', '--image', join(pics, 'zero.png'), '--json'),
      lanes('eval', '--image', join(pics, 'thin.png')),
      // One bad picture among good ones stops the whole run before anything is written.
      lanes('attack', 'fgsm', '--image', join(pics, 'good.png'), join(pics, 'empty.png'), '--out', out),
    ]);
    expectFailure(empty, /^lanes: cannot read the image .*empty\.png: the file is empty \(0 bytes\)/);
    expect(empty.stderr).toMatch(fix);
    expectFailure(
      half,
      new RegExp(
        `^lanes: cannot read the image .*half\\.png: a truncated PNG \\(${bytes.length >> 1} bytes, it ends before its last chunk\\)`,
      ),
    );
    expectFailure(zero, /^lanes: cannot read the image .*zero\.png: it is a 0×0 PNG, with no pixels/);
    expectFailure(thin, /^lanes: cannot read the image .*thin\.png: it is a 0×5 PNG, with no pixels/);
    expectFailure(mixed, /^lanes: cannot read the image .*empty\.png: the file is empty/);
    expect(files(out)).toEqual([]);
  });

  it('NaN or Infinity in the weights: named weight, exit 1, no picture written', async () => {
    const nan = damagedCopy(shippedCnn, join(dir, 'nan-cnn'), poke(NaN, 5));
    const inf = damagedCopy(shippedCnn, join(dir, 'inf-cnn'), poke(-Infinity, 0));
    const gen = damagedCopy(shippedGenerator, join(dir, 'nan-gen'), poke(NaN, 7));
    const out = join(dir, 'nan-out');
    const [evalNan, attackInf, generateNan] = await Promise.all([
      lanes('eval', nan, '--n', '10'),
      lanes('attack', 'fgsm', '--model', inf, '--n', '4', '--out', out),
      lanes('generate', '--model', gen, '--out', out),
    ]);
    const hint = / — its weights file is damaged: train the model again or restore weights\.bin$/;
    expectFailure(
      evalNan,
      /^lanes: cannot use the model in .*nan-cnn: the model's weight \S+ contains NaN: expected finite weights, got NaN at index 5 \(1 non-finite of \d+\)/,
    );
    expect(evalNan.stderr.trim()).toMatch(hint);
    expectFailure(
      attackInf,
      /^lanes: cannot use the model in .*inf-cnn: the model's weight \S+ contains -Infinity: expected finite weights, got -Infinity at index 0 \(1 non-finite/,
    );
    expectFailure(generateNan, /^lanes: cannot use the model in .*nan-gen: the model's weight \S+ contains NaN/);
    expect(files(out)).toEqual([]);
  });

  it('weights of the wrong size, a truncated model.json: what is wrong, exit 1', async () => {
    const short = damagedCopy(shippedCnn, join(dir, 'short'), (w) => w.subarray(0, 1000));
    const long = damagedCopy(shippedCnn, join(dir, 'long'), (w) => Buffer.concat([w, Buffer.alloc(8)]));
    const cut = join(dir, 'cut');
    mkdirSync(cut);
    const json = readFileSync(join(shippedCnn, 'model.json'));
    writeFileSync(join(cut, 'model.json'), json.subarray(0, json.length >> 1));
    copyFileSync(join(shippedCnn, 'weights.bin'), join(cut, 'weights.bin'));
    const size = readFileSync(join(shippedCnn, 'weights.bin')).length;
    const [shortRun, longRun, cutRun] = await Promise.all([
      lanes('eval', short),
      lanes('eval', long),
      lanes('attack', 'pgd', '--model', cut),
    ]);
    expectFailure(
      shortRun,
      new RegExp(
        `^lanes: cannot load the model in .*short: .*model\\.json: the weights are too short \\(truncated\\?\\): expected ${size} bytes for the \\d+ weights model\\.json lists, got 1000 — the files are damaged`,
      ),
    );
    expectFailure(
      longRun,
      new RegExp(`the weights are too long \\(from another model\\?\\): expected ${size} bytes .* got ${size + 8}`),
    );
    expectFailure(cutRun, /^lanes: cannot load the model in .*cut: .*model\.json is not valid JSON/);
  });
});
