// int32 paths of the arithmetic kernels: binary.ts / unary.ts route int32 inputs here before
// falling back to tfjs-backend-cpu.
import { BinaryOp, UnaryOp, type BinaryOpCode, type UnaryOpCode } from '@lanes/kernels-wasm';
import {
  Abs,
  Add,
  FloorDiv,
  Maximum,
  Minimum,
  Mod,
  Multiply,
  Neg,
  Relu,
  Relu6,
  Sign,
  Square,
  SquaredDifference,
  Sub,
  util,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import { broadcastOp } from './broadcast.js';

type KernelArgs = Parameters<KernelFunc>[0];

const binaryOps: Record<string, BinaryOpCode> = {
  [Add]: BinaryOp.ADD,
  [Sub]: BinaryOp.SUB,
  [Multiply]: BinaryOp.MUL,
  [Maximum]: BinaryOp.MAX,
  [Minimum]: BinaryOp.MIN,
  [SquaredDifference]: BinaryOp.SQUARED_DIFFERENCE,
  [FloorDiv]: BinaryOp.FLOOR_DIV,
  [Mod]: BinaryOp.MOD,
};

const unaryOps: Record<string, UnaryOpCode> = {
  [Abs]: UnaryOp.ABS,
  [Neg]: UnaryOp.NEG,
  [Square]: UnaryOp.SQUARE,
  [Relu]: UnaryOp.RELU,
  [Relu6]: UnaryOp.RELU6,
  [Sign]: UnaryOp.SIGN,
};

/** Kernel `name` on two int32 inputs, or null when there is no int32 kernel for it. */
export function binaryInt32(name: string, args: KernelArgs): TensorInfo | null {
  const op = binaryOps[name];
  const { a, b } = args.inputs as { a?: TensorInfo; b?: TensorInfo };
  if (op === undefined || a?.dtype !== 'int32' || b?.dtype !== 'int32') return null;
  return broadcastOp(args.backend as LanesBackend, 'binary_i32', op, a, b, 'int32');
}

/** Kernel `name` on an int32 input, or null when there is no int32 kernel for it. */
export function unaryInt32(name: string, args: KernelArgs): TensorInfo | null {
  const op = unaryOps[name];
  const x = args.inputs.x as TensorInfo | undefined;
  if (op === undefined || x?.dtype !== 'int32') return null;
  const backend = args.backend as LanesBackend;
  const out = backend.makeOutputInfo(x.shape.slice(), 'int32');
  backend.parallel('unary_i32', [op, backend.ptr(x), backend.ptr(out)], util.sizeFromShape(x.shape));
  return out;
}
