import { UnaryOp, type UnaryOpCode } from '@lanes/kernels-wasm';
import {
  Abs,
  Acos,
  Acosh,
  Asin,
  Asinh,
  Atan,
  Atanh,
  Ceil,
  ClipByValue,
  Cos,
  Cosh,
  Elu,
  Erf,
  Exp,
  Expm1,
  Floor,
  LeakyRelu,
  Log,
  Log1p,
  Neg,
  Reciprocal,
  Relu,
  Relu6,
  Round,
  Rsqrt,
  Selu,
  Sigmoid,
  Sign,
  Sin,
  Sinh,
  Softplus,
  Sqrt,
  Square,
  Step,
  Tan,
  Tanh,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './shared/cpu_fallback.js';
import { unaryInt32 } from './shared/int32.js';
import { applyUnary } from './shared/unary.js';
import type { LanesKernel } from './shared/kernel_config.js';

interface UnarySpec {
  name: string;
  op: UnaryOpCode;
  /** Op parameters from attrs (alpha, clip bounds). */
  params?: (attrs: NamedAttrMap) => [number, number];
}

const specs: UnarySpec[] = [
  { name: Abs, op: UnaryOp.ABS },
  { name: Neg, op: UnaryOp.NEG },
  { name: Exp, op: UnaryOp.EXP },
  { name: Log, op: UnaryOp.LOG },
  { name: Sqrt, op: UnaryOp.SQRT },
  { name: Rsqrt, op: UnaryOp.RSQRT },
  { name: Square, op: UnaryOp.SQUARE },
  { name: Relu, op: UnaryOp.RELU },
  { name: Relu6, op: UnaryOp.RELU6 },
  { name: Sigmoid, op: UnaryOp.SIGMOID },
  { name: Tanh, op: UnaryOp.TANH },
  { name: Elu, op: UnaryOp.ELU },
  { name: Selu, op: UnaryOp.SELU },
  { name: Softplus, op: UnaryOp.SOFTPLUS },
  { name: LeakyRelu, op: UnaryOp.LEAKY_RELU, params: (a) => [a.alpha as number, 0] },
  { name: ClipByValue, op: UnaryOp.CLIP, params: (a) => [a.clipValueMin as number, a.clipValueMax as number] },
  { name: Floor, op: UnaryOp.FLOOR },
  { name: Ceil, op: UnaryOp.CEIL },
  { name: Round, op: UnaryOp.ROUND },
  { name: Sign, op: UnaryOp.SIGN },
  { name: Reciprocal, op: UnaryOp.RECIPROCAL },
  { name: Step, op: UnaryOp.STEP, params: (a) => [a.alpha as number, 0] },
  { name: Expm1, op: UnaryOp.EXPM1 },
  { name: Log1p, op: UnaryOp.LOG1P },
  { name: Sin, op: UnaryOp.SIN },
  { name: Cos, op: UnaryOp.COS },
  { name: Tan, op: UnaryOp.TAN },
  { name: Asin, op: UnaryOp.ASIN },
  { name: Acos, op: UnaryOp.ACOS },
  { name: Atan, op: UnaryOp.ATAN },
  { name: Sinh, op: UnaryOp.SINH },
  { name: Cosh, op: UnaryOp.COSH },
  { name: Asinh, op: UnaryOp.ASINH },
  { name: Acosh, op: UnaryOp.ACOSH },
  { name: Atanh, op: UnaryOp.ATANH },
  { name: Erf, op: UnaryOp.ERF },
];

function makeKernel(spec: UnarySpec): KernelFunc {
  const fallback = cpuKernel(spec.name);
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return unaryInt32(spec.name, args) ?? fallback(args);
    const backend = args.backend as LanesBackend;
    const out = backend.makeOutputInfo(x.shape.slice(), 'float32');
    const [a, b] = spec.params ? spec.params(args.attrs ?? {}) : [0, 0];
    applyUnary(backend, spec.op, x, out, a, b);
    return out;
  };
}

export const unaryKernels: LanesKernel[] = specs.map((spec) => ({
  kernelName: spec.name,
  kernelFunc: makeKernel(spec),
}));
