// Comparisons (float32, int32 or bool inputs), logical ops (bool) and the float32 predicates
// IsNan / IsInf / IsFinite, all producing bool.
import { BinaryOp, PredicateOp, type BinaryOpCode, type PredicateOpCode } from '@lanes/kernels-wasm';
import {
  Equal,
  Greater,
  GreaterEqual,
  IsFinite,
  IsInf,
  IsNan,
  Less,
  LessEqual,
  LogicalAnd,
  LogicalNot,
  LogicalOr,
  NotEqual,
  util,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { broadcastOp } from './shared/broadcast.js';
import type { LanesKernel } from './shared/kernel_config.js';

const specs: Array<[string, BinaryOpCode]> = [
  [Equal, BinaryOp.EQUAL],
  [NotEqual, BinaryOp.NOT_EQUAL],
  [Less, BinaryOp.LESS],
  [LessEqual, BinaryOp.LESS_EQUAL],
  [Greater, BinaryOp.GREATER],
  [GreaterEqual, BinaryOp.GREATER_EQUAL],
  [LogicalAnd, BinaryOp.LOGICAL_AND],
  [LogicalOr, BinaryOp.LOGICAL_OR],
];

const kernelFor = { float32: 'compare_f32', int32: 'compare_i32', bool: 'compare_u8' } as const;

function makeKernel(name: string, op: BinaryOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  const logical = op >= BinaryOp.LOGICAL_AND;
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== b.dtype || !(a.dtype in kernelFor) || (logical && a.dtype !== 'bool')) return fallback(args);
    const kernel = kernelFor[a.dtype as keyof typeof kernelFor];
    return broadcastOp(args.backend as LanesBackend, kernel, op, a, b, 'bool');
  };
}

const logicalNot = (): KernelFunc => {
  const fallback = cpuKernel(LogicalNot);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'bool') return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(x.shape.slice(), 'bool');
    backend.parallel('logical_not_u8', [backend.ptr(x), backend.ptr(out)], util.sizeFromShape(x.shape));
    return out;
  };
};

function predicate(name: string, op: PredicateOpCode): KernelFunc {
  const fallback = cpuKernel(name);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(x.shape.slice(), 'bool');
    backend.parallel('predicate_f32', [op, backend.ptr(x), backend.ptr(out)], util.sizeFromShape(x.shape));
    return out;
  };
}

export const compareKernels: LanesKernel[] = [
  ...specs.map(([name, op]) => ({ kernelName: name, kernelFunc: makeKernel(name, op) })),
  { kernelName: LogicalNot, kernelFunc: logicalNot() },
  { kernelName: IsNan, kernelFunc: predicate(IsNan, PredicateOp.IS_NAN) },
  { kernelName: IsInf, kernelFunc: predicate(IsInf, PredicateOp.IS_INF) },
  { kernelName: IsFinite, kernelFunc: predicate(IsFinite, PredicateOp.IS_FINITE) },
];
