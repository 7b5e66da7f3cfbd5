import { UnaryOp, BinaryOp } from '@lanes/kernels-wasm';
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { applyUnary } from './unary.js';
import { applyBinary } from './binary.js';

type Activation = backend_util.Activation;

/** Applies a fused activation in place on a float32 output. */
export function applyActivation(
  backend: LanesBackend, out: TensorInfo, activation: Activation | undefined,
  preluWeights?: TensorInfo, leakyreluAlpha?: number,
): void {
  switch (activation ?? 'linear') {
    case 'linear': return;
    case 'relu': return applyUnary(backend, UnaryOp.RELU, out, out);
    case 'relu6': return applyUnary(backend, UnaryOp.RELU6, out, out);
    case 'elu': return applyUnary(backend, UnaryOp.ELU, out, out);
    case 'sigmoid': return applyUnary(backend, UnaryOp.SIGMOID, out, out);
    case 'leakyrelu': return applyUnary(backend, UnaryOp.LEAKY_RELU, out, out, leakyreluAlpha ?? 0.2);
    case 'prelu': return applyBinary(backend, BinaryOp.PRELU, out, preluWeights!, out);
    default: throw new Error(`Lanes: activation '${activation}' is not supported`);
  }
}

/**
 * Batched C = op(A)·op(B) (+ bias) (then activation) with tfjs's batch broadcasting
 * (a batch index wraps modulo each input's batch count, as tfjs-backend-cpu does).
 */
export function batchMatMul(
  backend: LanesBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
  bias?: TensorInfo, activation?: Activation, preluWeights?: TensorInfo, leakyreluAlpha?: number,
): TensorInfo {
  const ra = a.shape.length, rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  util.assert(K === kb, () => `Error in matMul: inner shapes (${K}) and (${kb}) of Tensors with shapes ` +
    `${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batchA = util.sizeFromShape(outerA), batchB = util.sizeFromShape(outerB);
  const batch = util.sizeFromShape(outer);
  const out = backend.makeOutputInfo([...outer, M, N], 'float32');
  if (batch * M * N === 0) return out;

  const biasIsRow = bias !== undefined && util.sizeFromShape(bias.shape) === N && bias.shape[bias.shape.length - 1] === N;
  const panelFloats = Math.ceil(N / 8) * 8 * K;
  const packed = backend.storage.alloc(Math.max(4, panelFloats * 4));
  try {
    const ars = transposeA ? 1 : K, acs = transposeA ? M : 1;
    const brs = transposeB ? 1 : N, bcs = transposeB ? K : 1;
    const aPtr = backend.ptr(a), bPtr = backend.ptr(b), cPtr = backend.ptr(out);
    const biasPtr = biasIsRow ? backend.ptr(bias!) : 0;
    let packedFor = -1;
    for (let i = 0; i < batch; i++) {
      const ib = i % batchB;
      if (ib !== packedFor) {
        backend.wasm.gemm_pack_b_f32(bPtr + ib * K * N * 4, packed, K, N, brs, bcs);
        packedFor = ib;
      }
      backend.parallel('gemm_f32', [aPtr + (i % batchA) * M * K * 4, packed, cPtr + i * M * N * 4, biasPtr, M, N, K, ars, acs], M, N * K);
    }
  } finally {
    backend.storage.release(packed, Math.max(4, panelFloats * 4));
  }
  if (bias !== undefined && !biasIsRow) applyBinary(backend, BinaryOp.ADD, out, bias, out);
  applyActivation(backend, out, activation, preluWeights, leakyreluAlpha);
  return out;
}

const batchMatMulKernel = (): KernelFunc => {
  const fallback = cpuKernel('BatchMatMul');
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    return batchMatMul(args.backend as LanesBackend, a, b, transposeA, transposeB);
  };
};

const fusedMatMulKernel = (): KernelFunc => {
  const fallback = cpuKernel('_FusedMatMul');
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return fallback(args);
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as {
      transposeA: boolean; transposeB: boolean; activation: Activation; leakyreluAlpha?: number;
    };
    return batchMatMul(args.backend as LanesBackend, a!, b!, transposeA, transposeB, bias, activation,
      preluActivationWeights, leakyreluAlpha);
  };
};

export const matmulKernels: KernelConfig[] = [
  { kernelName: 'BatchMatMul', backendName: 'lanes', kernelFunc: batchMatMulKernel() },
  { kernelName: '_FusedMatMul', backendName: 'lanes', kernelFunc: fusedMatMulKernel() },
];
