import { BinaryOp, type BinaryOpCode } from '@lanes/kernels-wasm';
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { binaryInt32 } from './int32.js';

/** Broadcast geometry as the wasm kernel reads it: rank, shape, then both inputs' element strides. */
export interface BroadcastPlan {
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

function stridesFor(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = rank - shape.length + i;
    strides[d] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Aligns both inputs to the output's rank, drops size-1 dims and merges neighbours that both
 * inputs traverse contiguously (or both broadcast), so the inner loop is as long as possible.
 */
export function planBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
): BroadcastPlan {
  const as = stridesFor(aShape, outShape);
  const bs = stridesFor(bShape, outShape);
  const shape: number[] = [],
    aStrides: number[] = [],
    bStrides: number[] = [];
  for (let d = 0; d < outShape.length; d++) {
    if (outShape[d] === 1) continue;
    const last = shape.length - 1;
    const mergeable = (s: number[], prev: number, cur: number) =>
      (s[prev] === 0 && cur === 0) || (s[prev] !== 0 && cur !== 0 && s[prev] === cur * outShape[d]);
    if (last >= 0 && mergeable(aStrides, last, as[d]) && mergeable(bStrides, last, bs[d])) {
      shape[last] *= outShape[d];
      aStrides[last] = as[d];
      bStrides[last] = bs[d];
    } else {
      shape.push(outShape[d]);
      aStrides.push(as[d]);
      bStrides.push(bs[d]);
    }
  }
  if (shape.length === 0) return { shape: [1], aStrides: [1], bStrides: [1] };
  return { shape, aStrides, bStrides };
}

/** out = a op b with broadcasting over float32 tensors already in wasm memory (FloorDiv's out is int32). */
export function applyBinary(
  backend: LanesBackend,
  op: BinaryOpCode,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
): void {
  const size = util.sizeFromShape(out.shape);
  if (size === 0) return;
  const plan = planBroadcast(a.shape, b.shape, out.shape);
  const rank = plan.shape.length;
  const attr = backend.attrs([rank, ...plan.shape, ...plan.aStrides, ...plan.bStrides]);
  const rows = size / plan.shape[rank - 1];
  backend.parallel(
    'binary_f32',
    [op, backend.ptr(a), backend.ptr(b), backend.ptr(out), attr],
    rows,
    plan.shape[rank - 1],
  );
}

const specs: Array<[string, BinaryOpCode]> = [
  ['Add', BinaryOp.ADD],
  ['Sub', BinaryOp.SUB],
  ['Multiply', BinaryOp.MUL],
  ['RealDiv', BinaryOp.DIV],
  ['Maximum', BinaryOp.MAX],
  ['Minimum', BinaryOp.MIN],
  ['SquaredDifference', BinaryOp.SQUARED_DIFFERENCE],
  ['Pow', BinaryOp.POW],
  ['FloorDiv', BinaryOp.FLOOR_DIV],
  ['Mod', BinaryOp.MOD],
  ['Atan2', BinaryOp.ATAN2],
  ['Prelu', BinaryOp.PRELU],
];

function makeKernel(name: string, op: BinaryOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const { inputs } = args;
    const [a, b] = name === 'Prelu' ? [inputs.x, inputs.alpha] : [inputs.a, inputs.b];
    if ((a as TensorInfo).dtype !== 'float32' || (b as TensorInfo).dtype !== 'float32')
      return binaryInt32(name, args) ?? fallback(args);
    const backend = args.backend as LanesBackend;
    const outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
    // tfjs's FloorDiv is int32 whatever the inputs (cpu, webgl and wasm backends alike); the
    // kernel writes those int32s from a float64 quotient.
    const out = backend.makeOutputInfo(outShape, name === 'FloorDiv' ? 'int32' : 'float32');
    applyBinary(backend, op, a as TensorInfo, b as TensorInfo, out);
    return out;
  };
}

export const binaryKernels: KernelConfig[] = specs.map(([name, op]) => ({
  kernelName: name,
  backendName: 'lanes',
  kernelFunc: makeKernel(name, op),
}));
