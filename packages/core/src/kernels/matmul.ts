import { Activation as Act, UnaryOp, BinaryOp, type ActivationCode } from '@lanes/kernels-wasm';
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../backend.js';
import { cpuKernel } from './cpu_fallback.js';
import { applyUnary } from './unary.js';
import { applyBinary } from './binary.js';

type Activation = backend_util.Activation;

/** Applies a fused activation in place on a float32 output. */
export function applyActivation(
  backend: LanesBackend,
  out: TensorInfo,
  activation: Activation | undefined,
  preluWeights?: TensorInfo,
  leakyreluAlpha?: number,
): void {
  switch (activation ?? 'linear') {
    case 'linear':
      return;
    case 'relu':
      return applyUnary(backend, UnaryOp.RELU, out, out);
    case 'relu6':
      return applyUnary(backend, UnaryOp.RELU6, out, out);
    case 'elu':
      return applyUnary(backend, UnaryOp.ELU, out, out);
    case 'sigmoid':
      return applyUnary(backend, UnaryOp.SIGMOID, out, out);
    case 'leakyrelu':
      return applyUnary(backend, UnaryOp.LEAKY_RELU, out, out, leakyreluAlpha ?? 0.2);
    case 'prelu':
      return applyBinary(backend, BinaryOp.PRELU, out, preluWeights!, out);
    default:
      throw new Error(`Lanes: activation '${activation}' is not supported`);
  }
}

const activationCodes: Record<string, ActivationCode> = {
  linear: Act.LINEAR,
  relu: Act.RELU,
  relu6: Act.RELU6,
  leakyrelu: Act.LEAKY_RELU,
  prelu: Act.PRELU,
  elu: Act.ELU,
  sigmoid: Act.SIGMOID,
};

/** Depth of a K block: a KC×8 slice of B is 8 KiB, so a column block of 64 panels keeps 512 KiB in L2. */
const KC = 256;
/** Column panels per column block (the unit of B that stays in L2 while row panels stream past). */
const MAX_BLOCK_PANELS = 64;
/**
 * The pool's cost unit is about one elementwise operation (~0.3 ns); the GEMM does about 8
 * multiply-adds in that time, so a unit's cost is its multiply-adds divided by this.
 */
const MADDS_PER_COST_UNIT = 8;
/** Units the output is cut into at least, when it is big enough: threads claim them a few at a time. */
const MIN_UNITS = 16;

const bits = new Int32Array(1);
const bitsF32 = new Float32Array(bits.buffer);
function f32Bits(x: number): number {
  bitsF32[0] = x;
  return bits[0];
}

function isRow(t: TensorInfo | undefined, n: number): boolean {
  return t !== undefined && util.sizeFromShape(t.shape) === n && (n === 1 || t.shape[t.shape.length - 1] === n);
}

/** Maps a flat index over the broadcast batch shape `outer` to the flat batch index of an input. */
function batchIndexer(shape: number[], outer: number[]): (i: number) => number {
  const size = util.sizeFromShape(shape);
  if (size === 1) return () => 0;
  if (size === util.sizeFromShape(outer)) return (i) => i;
  const rank = outer.length,
    offset = rank - shape.length;
  const strides = new Array<number>(rank).fill(0);
  for (let d = rank - 1, s = 1; d >= offset; d--) {
    strides[d] = shape[d - offset] === 1 ? 0 : s;
    s *= shape[d - offset];
  }
  return (i) => {
    let r = 0;
    for (let d = rank - 1; d >= 0; d--) {
      r += (i % outer[d]) * strides[d];
      i = Math.floor(i / outer[d]);
    }
    return r;
  };
}

/**
 * Batched C = op(A)·op(B) (+ bias) (then activation), batch dimensions broadcast.
 * A and B are packed into panels (in parallel), then the GEMM runs over (row panel, column
 * block) units split across threads; a bias and a PReLU slope of length N and every activation
 * are applied as the tile is stored, other bias / slope shapes by separate broadcast passes.
 */
export function batchMatMul(
  backend: LanesBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias?: TensorInfo,
  activation?: Activation,
  preluWeights?: TensorInfo,
  leakyreluAlpha?: number,
): TensorInfo {
  const ra = a.shape.length,
    rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  util.assert(
    K === kb,
    () =>
      `Error in matMul: inner shapes (${K}) and (${kb}) of Tensors with shapes ` +
      `${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const outerA = a.shape.slice(0, -2),
    outerB = b.shape.slice(0, -2);
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = util.sizeFromShape(outer);
  const out = backend.makeOutputInfo([...outer, M, N], 'float32');
  if (batch * M * N === 0) return out;

  // What the kernel's epilogue takes; the rest runs as passes over the output afterwards.
  const fuseBias = bias === undefined || isRow(bias, N);
  const act = activationCodes[activation ?? 'linear'];
  if (act === undefined) throw new Error(`Lanes: activation '${activation}' is not supported`);
  const fuseAct = fuseBias && (act !== Act.PRELU || isRow(preluWeights, N));

  const MR = backend.wasm.gemm_mr();
  const rowPanels = Math.ceil(M / MR),
    colPanels = Math.ceil(N / 8);
  const aBytes = Math.max(16, rowPanels * MR * K * 4),
    bBytes = Math.max(16, colPanels * 8 * K * 4);
  // Column blocks: at most MAX_BLOCK_PANELS panels, and narrow enough to give MIN_UNITS units.
  const blocks = Math.min(
    colPanels,
    Math.max(Math.ceil(colPanels / MAX_BLOCK_PANELS), Math.ceil(MIN_UNITS / rowPanels)),
  );
  const blockPanels = Math.ceil(colPanels / blocks);
  const units = rowPanels * Math.ceil(colPanels / blockPanels);

  const packedA = backend.storage.alloc(aBytes);
  const packedB = backend.storage.alloc(bBytes);
  try {
    const ars = transposeA ? 1 : K,
      acs = transposeA ? M : 1;
    const brs = transposeB ? 1 : N,
      bcs = transposeB ? K : 1;
    const aPtr = backend.ptr(a),
      bPtr = backend.ptr(b),
      cPtr = backend.ptr(out);
    const indexA = batchIndexer(outerA, outer),
      indexB = batchIndexer(outerB, outer);
    let packedAFor = -1,
      packedBFor = -1;
    for (let i = 0; i < batch; i++) {
      const ia = indexA(i),
        ib = indexB(i);
      if (ia !== packedAFor) {
        backend.parallel('gemm_pack_a_f32', [aPtr + ia * M * K * 4, packedA, M, K, ars, acs], rowPanels, K * MR, 1);
        packedAFor = ia;
      }
      if (ib !== packedBFor) {
        backend.parallel('gemm_pack_b_f32', [bPtr + ib * K * N * 4, packedB, K, N, brs, bcs], colPanels, K * 8, 1);
        packedBFor = ib;
      }
      const attr = backend.attrs([
        M,
        N,
        K,
        N,
        fuseBias && bias ? backend.ptr(bias) : 0,
        fuseAct ? act : Act.LINEAR,
        f32Bits(leakyreluAlpha ?? 0.2),
        fuseAct && act === Act.PRELU ? backend.ptr(preluWeights!) : 0,
        KC,
        rowPanels,
        blockPanels,
      ]);
      backend.parallel(
        'gemm_f32',
        [packedA, packedB, cPtr + i * M * N * 4, attr],
        units,
        (MR * 8 * blockPanels * Math.max(K, 1)) / MADDS_PER_COST_UNIT,
        1,
      );
    }
  } finally {
    backend.storage.release(packedB, bBytes);
    backend.storage.release(packedA, aBytes);
  }
  if (!fuseBias) applyBinary(backend, BinaryOp.ADD, out, bias!, out);
  if (!fuseAct) applyActivation(backend, out, activation, preluWeights, leakyreluAlpha);
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
      transposeA: boolean;
      transposeB: boolean;
      activation: Activation;
      leakyreluAlpha?: number;
    };
    return batchMatMul(
      args.backend as LanesBackend,
      a!,
      b!,
      transposeA,
      transposeB,
      bias,
      activation,
      preluActivationWeights,
      leakyreluAlpha,
    );
  };
};

export const matmulKernels: KernelConfig[] = [
  { kernelName: 'BatchMatMul', backendName: 'lanes', kernelFunc: batchMatMulKernel() },
  { kernelName: '_FusedMatMul', backendName: 'lanes', kernelFunc: fusedMatMulKernel() },
];
