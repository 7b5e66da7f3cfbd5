// Batched matrix products on the packed-panel GEMM kernel (assembly/matmul.ts): MatMul itself, the
// LSTM and GRU input projections, and the few-channel convolutions' im2col products.
import { Activation as Act, BinaryOp, GemmAttr, GemmTile, GemvAttr, attrWords } from '@lanes/kernels-wasm';
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import { applyBinary } from './broadcast.js';
import { activationCode, applyActivation } from './epilogue.js';
import { floatBits } from './float_bits.js';
import { Scratch } from './scratch.js';

const NR = GemmTile.NR;

/** Depth of a K block: a KC×8 slice of B is 8 KiB, so a column block of 64 panels keeps 512 KiB in L2. */
export const GEMM_KC = 256;
/** Column panels per column block (the unit of B that stays in L2 while row panels stream past). */
const MAX_BLOCK_PANELS = 64;
/**
 * The pool's cost unit is about one elementwise operation (~0.3 ns); the GEMM does about 8
 * multiply-adds in that time, so a unit's cost is its multiply-adds divided by this.
 */
export const MADDS_PER_COST_UNIT = 8;
/**
 * Rows of A up to which a product reads B in place (gemv_f32, B streamed once per row) instead of
 * the packed GEMM, which computes MR rows whatever M is. [M,1280]·[1280,1000] by CPU time, B's
 * packed copy kept: 118/208/302/385 µs for M = 1…4 in place against 645–717 µs packed; at M = 6
 * the packed GEMM wins (416 against 530).
 */
export const GEMV_MAX_ROWS = 4;
/** Units the output is cut into at least, when it is big enough: threads claim them a few at a time. */
const MIN_UNITS = 16;

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
  activation?: backend_util.Activation,
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
  const act = activationCode(activation);
  const fuseAct = fuseBias && (act !== Act.PRELU || isRow(preluWeights, N));

  const ars = transposeA ? 1 : K,
    acs = transposeA ? M : 1;
  const aPtr = backend.ptr(a),
    bPtr = backend.ptr(b),
    cPtr = backend.ptr(out);
  const indexA = batchIndexer(outerA, outer),
    indexB = batchIndexer(outerB, outer);
  const epilogueWords = {
    BIAS: fuseBias && bias ? backend.ptr(bias) : 0,
    ACT: fuseAct ? act : Act.LINEAR,
    ALPHA: floatBits(leakyreluAlpha ?? 0.2),
    PRELU: fuseAct && act === Act.PRELU ? backend.ptr(preluWeights!) : 0,
  };

  if (M <= GEMV_MAX_ROWS && (!transposeB || acs === 1)) {
    const attr = backend.attrs(
      attrWords(GemvAttr, { M, N, K, A_RS: ars, A_CS: acs, TRANS_B: transposeB ? 1 : 0, LDC: N, ...epilogueWords }),
    );
    // One thread: B streams from memory, and a second thread sharing the stream lost here
    // ([1,1280]·[1280,1000]: 0.96–1.08 ms on 2 threads, split in halves or in eighths, against
    // 0.73 on one; ORT-web 0.68 against 0.62).
    for (let i = 0; i < batch; i++) {
      const aAt = aPtr + indexA(i) * M * K * 4,
        bAt = bPtr + indexB(i) * K * N * 4;
      backend.wasm.gemv_f32(aAt, bAt, cPtr + i * M * N * 4, attr, 0, N);
    }
  } else gemm(backend, { b, aPtr, bPtr, cPtr, M, N, K, ars, acs, transposeB, batch, indexA, indexB, epilogueWords });
  if (!fuseBias) applyBinary(backend, BinaryOp.ADD, out, bias!, out);
  if (!fuseAct) applyActivation(backend, out, activation, preluWeights, leakyreluAlpha);
  return out;
}

interface GemmJob {
  b: TensorInfo;
  aPtr: number;
  bPtr: number;
  cPtr: number;
  M: number;
  N: number;
  K: number;
  /** A's element strides along rows and along k. */
  ars: number;
  acs: number;
  transposeB: boolean;
  batch: number;
  indexA: (i: number) => number;
  indexB: (i: number) => number;
  epilogueWords: { BIAS: number; ACT: number; ALPHA: number; PRELU: number };
}

/** The packed-panel path of {@link batchMatMul}. */
function gemm(backend: LanesBackend, job: GemmJob): void {
  const { b, aPtr, bPtr, cPtr, M, N, K, ars, acs, transposeB, batch, indexA, indexB, epilogueWords } = job;
  const oneB = util.sizeFromShape(b.shape.slice(0, -2)) === 1;
  const MR = backend.wasm.gemm_mr();
  const rowPanels = Math.ceil(M / MR),
    colPanels = Math.ceil(N / NR);
  const aBytes = Math.max(16, rowPanels * MR * K * 4),
    bBytes = Math.max(16, colPanels * NR * K * 4);
  // Column blocks: at most MAX_BLOCK_PANELS panels, and narrow enough to give MIN_UNITS units.
  const blocks = Math.min(
    colPanels,
    Math.max(Math.ceil(colPanels / MAX_BLOCK_PANELS), Math.ceil(MIN_UNITS / rowPanels)),
  );
  const blockPanels = Math.ceil(colPanels / blocks);
  const units = rowPanels * Math.ceil(colPanels / blockPanels);

  const scratch = new Scratch(backend);
  try {
    const brs = transposeB ? 1 : N,
      bcs = transposeB ? K : 1;
    const packB = (from: number, dst: number) =>
      backend.parallel('gemm_pack_b_f32', [from, dst, K, N, brs, bcs], colPanels, K * NR, 1);
    const packedA = scratch.alloc(aBytes);
    // One B for the whole batch (a layer's weights): its packed copy is kept with it.
    const packedB = oneB
      ? backend.packedCopy(b, `gemm ${K}x${N}${transposeB ? 't' : ''}`, bBytes, (dst) => packB(bPtr, dst), scratch)
      : scratch.alloc(bBytes);
    let packedAFor = -1,
      packedBFor = oneB ? 0 : -1;
    for (let i = 0; i < batch; i++) {
      const ia = indexA(i),
        ib = indexB(i);
      if (ia !== packedAFor) {
        backend.parallel('gemm_pack_a_f32', [aPtr + ia * M * K * 4, packedA, M, K, ars, acs], rowPanels, K * MR, 1);
        packedAFor = ia;
      }
      if (ib !== packedBFor) {
        packB(bPtr + ib * K * N * 4, packedB);
        packedBFor = ib;
      }
      const attr = backend.attrs(
        attrWords(GemmAttr, {
          M,
          N,
          K,
          LDC: N,
          ...epilogueWords,
          KC: GEMM_KC,
          ROW_PANELS: rowPanels,
          BLOCK_PANELS: blockPanels,
        }),
      );
      backend.parallel(
        'gemm_f32',
        [packedA, packedB, cPtr + i * M * N * 4, attr],
        units,
        (MR * NR * blockPanels * Math.max(K, 1)) / MADDS_PER_COST_UNIT,
        1,
      );
    }
  } finally {
    scratch.release();
  }
}
