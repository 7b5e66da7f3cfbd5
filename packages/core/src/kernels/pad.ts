import {
  MirrorPad,
  PadV2,
  util,
  type KernelFunc,
  type TensorInfo,
  type PadV2Attrs,
  type MirrorPadAttrs,
} from '@tensorflow/tfjs-core';
import { PadAttr, headedWords } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../backend.js';
import { bytesPerElement } from '../tensor_data.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { fillBits, movable } from './shared/strided.js';
import type { LanesKernel } from './shared/kernel_config.js';

const enum PadMode {
  CONSTANT = 0,
  REFLECT = 1,
  SYMMETRIC = 2,
}

interface PadDim {
  out: number;
  in: number;
  before: number;
}

/**
 * The pad kernel's geometry: trailing unpadded dims fold into a block of `blk` elements; an
 * unpadded dim also merges into its outer neighbour when the mode allows (always for constant
 * padding; for mirroring only when the outer dim is unpadded too, or the dim has size 1).
 */
function padGeometry(
  shape: readonly number[],
  paddings: ReadonlyArray<readonly number[]>,
  mode: PadMode,
): { dims: PadDim[]; blk: number } {
  let dims: PadDim[] = shape.map((n, d) => ({
    out: paddings[d][0] + n + paddings[d][1],
    in: n,
    before: paddings[d][0],
  }));
  const unpadded = (p: PadDim) => p.out === p.in;
  let blk = 1;
  while (dims.length > 1 && unpadded(dims[dims.length - 1])) blk *= dims.pop()!.in;
  const merged: PadDim[] = [];
  for (const p of dims) {
    const last = merged[merged.length - 1];
    if (last && unpadded(p) && (mode === PadMode.CONSTANT || unpadded(last) || p.in === 1)) {
      last.out *= p.in;
      last.in *= p.in;
      last.before *= p.in;
    } else {
      merged.push({ ...p });
    }
  }
  dims = merged.length > 0 ? merged : [{ out: 1, in: 1, before: 0 }];
  return { dims, blk };
}

function pad(
  backend: LanesBackend,
  x: TensorInfo,
  paddings: Array<[number, number]>,
  mode: PadMode,
  value: number,
): TensorInfo {
  const outShape = paddings.map((p, d) => p[0] + x.shape[d] + p[1]);
  const out = backend.makeOutputInfo(outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const { dims, blk } = padGeometry(x.shape, paddings, mode);
  const attrs = backend.attrs(
    headedWords(
      PadAttr,
      'OUT_SHAPE',
      { RANK: dims.length, BLOCK: blk, MODE: mode },
      dims.map((p) => p.out),
      dims.map((p) => p.in),
      dims.map((p) => p.before),
    ),
  );
  const rows = dims.slice(0, -1).reduce((a, p) => a * p.out, 1);
  const kernel = bytesPerElement(x.dtype) === 1 ? 'pad_x8' : 'pad_x32';
  backend.parallel(
    kernel,
    [backend.ptr(x), backend.ptr(out), fillBits(value, x.dtype), attrs],
    rows,
    dims[dims.length - 1].out * blk,
  );
  return out;
}

const padFallback = cpuKernel(PadV2);

const padV2Kernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return padFallback(args);
  const { paddings, constantValue } = args.attrs as unknown as PadV2Attrs;
  return pad(args.backend as LanesBackend, x, paddings, PadMode.CONSTANT, constantValue);
};

const mirrorFallback = cpuKernel(MirrorPad);

const mirrorPadKernel: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  if (!movable(x.dtype)) return mirrorFallback(args);
  const { paddings, mode } = args.attrs as unknown as MirrorPadAttrs;
  return pad(args.backend as LanesBackend, x, paddings, mode === 'reflect' ? PadMode.REFLECT : PadMode.SYMMETRIC, 0);
};

export const padKernels: LanesKernel[] = [
  { kernelName: PadV2, kernelFunc: padV2Kernel },
  { kernelName: MirrorPad, kernelFunc: mirrorPadKernel },
];
