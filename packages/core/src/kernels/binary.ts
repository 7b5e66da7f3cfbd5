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
import { castTo } from './shared/cast.js';
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
    const out = backend.makeOutputInfo(outShape, 'float32');
    applyBinary(backend, op, a as TensorInfo, b as TensorInfo, out);
    if (name !== FloorDiv) return out;
    // tfjs's FloorDiv is int32 whatever the inputs (cpu, webgl and wasm backends alike).
    const ints = castTo(backend, out, 'int32');
    backend.disposeData(out.dataId);
    return ints;
  };
}

export const binaryKernels: LanesKernel[] = specs.map(([name, op]) => ({
  kernelName: name,
  kernelFunc: makeKernel(name, op),
}));
