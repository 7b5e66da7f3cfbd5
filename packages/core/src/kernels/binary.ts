import { BinaryOp, type BinaryOpCode } from '@lanes/kernels-wasm';
import {
  Add,
  Atan2,
  FloorDiv,
  Maximum,
  Minimum,
  Mod,
  Multiply,
  Pow,
  Prelu,
  RealDiv,
  SquaredDifference,
  Sub,
  backend_util,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { applyBinary } from './shared/broadcast.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { binaryInt32 } from './shared/int32.js';
import type { LanesKernel } from './shared/kernel_config.js';

const specs: Array<[string, BinaryOpCode]> = [
  [Add, BinaryOp.ADD],
  [Sub, BinaryOp.SUB],
  [Multiply, BinaryOp.MUL],
  [RealDiv, BinaryOp.DIV],
  [Maximum, BinaryOp.MAX],
  [Minimum, BinaryOp.MIN],
  [SquaredDifference, BinaryOp.SQUARED_DIFFERENCE],
  [Pow, BinaryOp.POW],
  [FloorDiv, BinaryOp.FLOOR_DIV],
  [Mod, BinaryOp.MOD],
  [Atan2, BinaryOp.ATAN2],
  [Prelu, BinaryOp.PRELU],
];

function makeKernel(name: string, op: BinaryOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const { inputs } = args;
    const [a, b] = name === Prelu ? [inputs.x, inputs.alpha] : [inputs.a, inputs.b];
    if ((a as TensorInfo).dtype !== 'float32' || (b as TensorInfo).dtype !== 'float32')
      return binaryInt32(name, args) ?? fallback(args);
    const backend = args.backend as LanesBackend;
    const outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
    // tfjs's FloorDiv is int32 whatever the inputs (cpu, webgl and wasm backends alike); the
    // kernel writes those int32s from a float64 quotient.
    const out = backend.makeOutputInfo(outShape, name === FloorDiv ? 'int32' : 'float32');
    applyBinary(backend, op, a as TensorInfo, b as TensorInfo, out);
    return out;
  };
}

export const binaryKernels: LanesKernel[] = specs.map(([name, op]) => ({
  kernelName: name,
  kernelFunc: makeKernel(name, op),
}));
