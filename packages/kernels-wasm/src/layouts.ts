/**
 * Attribute-block layouts: the word index of each field of the i32 blocks that kernels read
 * through their `attr`/`attrs` pointer, and `WORDS`, the block's length. This file is the single
 * source: the wasm build generates `assembly/layouts.ts` from it (one namespace per layout, the
 * same names), and callers write blocks with {@link attrWords}. Floats travel as their bits
 * (`ALPHA`), pointers as byte offsets (`BIAS`, `PRELU`, `TABLE`; 0 when absent).
 */

/**
 * The GEMM's column tile: packed B panels (gemm_pack_b_f32, conv_pack_f32) hold NR columns, and
 * gemm_f32 and conv_igemm_f32 compute NR output columns at a time. (Rows: gemm_mr(), per build.)
 */
export const GemmTile = { NR: 8 } as const;

/** gemm_f32 (assembly/matmul.ts): C = A·B over packed panels, with the fused epilogue. */
export const GemmAttr = {
  M: 0,
  N: 1,
  K: 2,
  LDC: 3,
  BIAS: 4,
  ACT: 5,
  ALPHA: 6,
  PRELU: 7,
  KC: 8,
  ROW_PANELS: 9,
  BLOCK_PANELS: 10,
  WORDS: 11,
} as const;

/**
 * gemv_f32 (assembly/gemv.ts): C = A·B for a few rows of A, B read in place (K×N, or N×K with
 * TRANS_B); element (m, k) of A at m·A_RS + k·A_CS.
 */
export const GemvAttr = {
  M: 0,
  N: 1,
  K: 2,
  A_RS: 3,
  A_CS: 4,
  TRANS_B: 5,
  LDC: 6,
  BIAS: 7,
  ACT: 8,
  ALPHA: 9,
  PRELU: 10,
  WORDS: 11,
} as const;

/** conv_igemm_f32 (assembly/conv.ts); TABLE points at NSEG (oy, ox, width, row) segments. */
export const IgemmAttr = {
  SRC_H: 0,
  SRC_W: 1,
  SRC_C: 2,
  GRID_H: 3,
  GRID_W: 4,
  STRIDE_H: 5,
  STRIDE_W: 6,
  OFF_H: 7,
  OFF_W: 8,
  OUT_H: 9,
  OUT_W: 10,
  OUT_STEP_H: 11,
  OUT_STEP_W: 12,
  OUT_OFF_H: 13,
  OUT_OFF_W: 14,
  COLS: 15,
  ROWS: 16,
  NSEG: 17,
  TABLE: 18,
  ZERO: 19,
  BIAS: 20,
  ACT: 21,
  ALPHA: 22,
  PRELU: 23,
  WORDS: 24,
} as const;

/** depthwise_f32 (assembly/depthwise.ts); TABLE points at NTAPS (oy, ox, weight row, source) taps. */
export const DepthwiseAttr = {
  SRC_H: 0,
  SRC_W: 1,
  CH: 2,
  GRID_H: 3,
  GRID_W: 4,
  STRIDE_H: 5,
  STRIDE_W: 6,
  OFF_H: 7,
  OFF_W: 8,
  OUT_H: 9,
  OUT_W: 10,
  OUT_STEP_H: 11,
  OUT_STEP_W: 12,
  OUT_OFF_H: 13,
  OUT_OFF_W: 14,
  NTAPS: 15,
  TABLE: 16,
  ZERO: 17,
  BIAS: 18,
  ACT: 19,
  ALPHA: 20,
  PRELU: 21,
  MIN_OX: 22,
  MAX_OX: 23,
  DENSE3: 24,
  WORDS: 25,
} as const;

/** depthwise_filter_grad_f32 (assembly/depthwise.ts); TABLE points at NTAPS source byte offsets. */
export const DepthwiseFilterGradAttr = {
  H: 0,
  W: 1,
  C: 2,
  DY_H: 3,
  DY_W: 4,
  BATCH: 5,
  STRIDE_H: 6,
  STRIDE_W: 7,
  NTAPS: 8,
  TABLE: 9,
  ROWS3: 10,
  WORDS: 11,
} as const;

/** conv_filter_grad_f32 (assembly/conv_filter_grad.ts). */
export const ConvFilterGradAttr = {
  X_H: 0,
  X_W: 1,
  X_C: 2,
  DY_H: 3,
  DY_W: 4,
  DY_C: 5,
  OC: 6,
  BATCH: 7,
  STRIDE_H: 8,
  STRIDE_W: 9,
  DIL_H: 10,
  DIL_W: 11,
  FH: 12,
  FW: 13,
  WORDS: 14,
} as const;

/** conv_pad_f32 (assembly/conv_layout.ts): x [H,W,C] placed at (TOP, LEFT) of [PH,PW,PC]. */
export const ConvPadAttr = { H: 0, W: 1, C: 2, PH: 3, PW: 4, PC: 5, TOP: 6, LEFT: 7, WORDS: 8 } as const;

/**
 * conv_im2col_f32 and conv_im2col_packed_f32 (assembly/conv_layout.ts): rows of the patches of
 * output pixels BASE..; the packed form also reads MR (gemm_mr()) and COUNT (pixels).
 */
export const Im2colAttr = {
  H: 0,
  W: 1,
  C: 2,
  OH: 3,
  OW: 4,
  SH: 5,
  SW: 6,
  TOP: 7,
  LEFT: 8,
  FH: 9,
  FW: 10,
  DH: 11,
  DW: 12,
  BASE: 13,
  MR: 14,
  COUNT: 15,
  WORDS: 16,
} as const;

/** conv_col2im_f32 (assembly/conv_layout.ts); FW (ix0, ox0, count) triples follow the block's WORDS words. */
export const Col2imAttr = {
  H: 0,
  W: 1,
  C: 2,
  OW: 3,
  SH: 4,
  SW: 5,
  TOP: 6,
  FH: 7,
  FW: 8,
  DH: 9,
  N0: 10,
  OY0: 11,
  OY1: 12,
  ROW0: 13,
  WORDS: 16,
} as const;

/**
 * The pooling kernels (assembly/pool.ts), NHWC. DY_H and DY_W are dy's own extent, read by the
 * gradients (tfjs's pooling gradients drop dimRoundingMode, so dy may exceed the windows).
 */
export const PoolAttr = {
  BATCH: 0,
  IN_H: 1,
  IN_W: 2,
  C: 3,
  OUT_H: 4,
  OUT_W: 5,
  FILTER_H: 6,
  FILTER_W: 7,
  STRIDE_H: 8,
  STRIDE_W: 9,
  PAD_TOP: 10,
  PAD_LEFT: 11,
  DY_H: 12,
  DY_W: 13,
  WORDS: 14,
} as const;

/**
 * The broadcast block of binary_f32, binary_i32 and compare_f32/i32/u8 (assembly/elementwise.ts,
 * assembly/compare.ts): RANK, then shape[rank] from SHAPE, aStrides[rank] from SHAPE + rank and
 * bStrides[rank] from SHAPE + 2·rank (element strides; each innermost stride 0 = broadcast, or 1).
 * Variable length (SHAPE + 3·rank words): write it with {@link headedWords}.
 */
export const BroadcastAttr = { RANK: 0, SHAPE: 1 } as const;

/**
 * The strided-copy block of copy_nd_x32/x8 and transpose_x32 (assembly/copy.ts,
 * assembly/transpose.ts): RANK, then shape[rank] from SHAPE, inStrides[rank] from SHAPE + rank and
 * outStrides[rank] from SHAPE + 2·rank (element strides, possibly 0 or negative). Variable length
 * (SHAPE + 3·rank words): write it with {@link headedWords}.
 */
export const StridedAttr = { RANK: 0, SHAPE: 1 } as const;

/**
 * pad_x32/x8 (assembly/pad.ts), in blocks of BLOCK elements: RANK, BLOCK, MODE (0 constant,
 * 1 reflect, 2 symmetric), then outShape[rank] from OUT_SHAPE, inShape[rank] from
 * OUT_SHAPE + rank and before[rank] (the leading pads) from OUT_SHAPE + 2·rank. Write it with
 * {@link headedWords}.
 */
export const PadAttr = { RANK: 0, BLOCK: 1, MODE: 2, OUT_SHAPE: 3 } as const;

/**
 * concat_x32/x8 (assembly/concat.ts): COUNT inputs land from column COL_OFFSET of rows OUT_INNER
 * wide; from INPUTS, one (pointer, inner width) pair per input. Write it with {@link headedWords}.
 */
export const ConcatAttr = { COUNT: 0, OUT_INNER: 1, COL_OFFSET: 2, INPUTS: 3 } as const;

/** gather_x32/x8 (assembly/gather.ts): x is [batch, OUTER, DIM_SIZE, SLICE], indices [batch, N_IDX]. */
export const GatherAttr = { OUTER: 0, DIM_SIZE: 1, N_IDX: 2, SLICE: 3, WORDS: 4 } as const;

/**
 * gather_nd_x32/x8 (assembly/gather.ts): indices are [n, SLICE_RANK] rows of slices SLICE_SIZE
 * long; strides[sliceRank] from STRIDES. Write it with {@link headedWords}.
 */
export const GatherNdAttr = { SLICE_RANK: 0, SLICE_SIZE: 1, STRIDES: 2 } as const;

/**
 * scatter_nd_f32/i32/u8 (assembly/gather.ts): NUM_UPDATES slices SLICE_SIZE long added into
 * OUT_ROWS rows; strides[sliceRank] from STRIDES. Write it with {@link headedWords}.
 */
export const ScatterNdAttr = { SLICE_RANK: 0, SLICE_SIZE: 1, NUM_UPDATES: 2, OUT_ROWS: 3, STRIDES: 4 } as const;

/**
 * resize_bilinear_f32, resize_nearest_x32/x8 and their gradients (assembly/resize.ts): NHWC sizes,
 * in = the forward op's input, out = its output.
 */
export const ResizeAttr = { IN_H: 0, IN_W: 1, C: 2, OUT_H: 3, OUT_W: 4, WORDS: 5 } as const;

/** batchnorm_table_f32's `lens` (assembly/batchnorm.ts): each parameter's length. */
export const BatchnormLens = { MEAN: 0, VARIANCE: 1, OFFSET: 2, SCALE: 3, WORDS: 4 } as const;

/**
 * lstm_step_f32 (assembly/lstm.ts), rewritten per time step: sizes, activations, then (pointer,
 * row stride in floats) pairs. P: the input projection rows [4][U]; W: the packed recurrent
 * kernel; Z: scratch; HP/CP: h and c of the previous step; HO/CO: this step's (CO may equal CP);
 * GO: gate activations out, 0 = not wanted.
 */
export const LstmStepAttr = {
  B: 0,
  U: 1,
  ACT: 2,
  RACT: 3,
  P: 4,
  PRS: 5,
  W: 6,
  Z: 7,
  HP: 8,
  HPRS: 9,
  CP: 10,
  CPRS: 11,
  HO: 12,
  HORS: 13,
  CO: 14,
  CORS: 15,
  GO: 16,
  GORS: 17,
  WORDS: 18,
} as const;

/**
 * lstm_grad_step_f32 (assembly/lstm.ts): W: packed Uᵀ; DN: dz of step t+1 (0 at the last step);
 * DY: h_t's gradient from the outputs; G: gate activations (0 = only write DH, the final dh0);
 * C/CP: c_t and c_{t-1}; DC: the carried dc; DZ: dz_t out; DG/DCS: gradients of the gate and
 * cell outputs (0 = none); DB: the accumulated bias gradient.
 */
export const LstmGradStepAttr = {
  B: 0,
  U: 1,
  ACT: 2,
  RACT: 3,
  W: 4,
  Z: 5,
  DN: 6,
  DNRS: 7,
  DY: 8,
  DYRS: 9,
  G: 10,
  GRS: 11,
  C: 12,
  CRS: 13,
  CP: 14,
  CPRS: 15,
  DC: 16,
  DZ: 17,
  DZRS: 18,
  DG: 19,
  DGRS: 20,
  DCS: 21,
  DCSRS: 22,
  DB: 23,
  DH: 24,
  WORDS: 25,
} as const;

/**
 * gru_step_f32, gru_zr_step_f32 and gru_h_step_f32 (assembly/gru.ts; the two halves of a
 * resetAfter = false step share one block): W1: packed U_z,r (or all of U when resetAfter); W2:
 * packed U_h; BR: recurrent bias (0 = none); ZB: z of this step, passed between the halves; RH:
 * r*h_{t-1}; GO: gates out (0 = not wanted); MH: m_h out for the backward pass (0 = not wanted).
 */
export const GruStepAttr = {
  B: 0,
  U: 1,
  ACT: 2,
  RACT: 3,
  P: 4,
  PRS: 5,
  W1: 6,
  W2: 7,
  Z: 8,
  BR: 9,
  HP: 10,
  HPRS: 11,
  HO: 12,
  HORS: 13,
  ZB: 14,
  ZBRS: 15,
  RH: 16,
  GO: 17,
  GORS: 18,
  MH: 19,
  MHRS: 20,
  WORDS: 21,
} as const;

/**
 * gru_grad_step_f32, gru_grad_zh_step_f32 and gru_grad_r_step_f32 (assembly/gru.ts; one block
 * for both halves): DN: the recurrent-side gradient of step t+1 (0 at the last step); G: gates
 * (0 = only write DH, the final dh0); DHP: dh_{t-1} through z*h_{t-1}; DA/DM: input- and
 * recurrent-side gradients out; DB/DBR: accumulated bias gradients; DAZR/DAH: resetAfter = false,
 * dA's z, r blocks and h block again, apart.
 */
export const GruGradStepAttr = {
  B: 0,
  U: 1,
  ACT: 2,
  RACT: 3,
  W1: 4,
  W2: 5,
  Z: 6,
  DN: 7,
  DNRS: 8,
  DY: 9,
  DYRS: 10,
  G: 11,
  GRS: 12,
  HP: 13,
  HPRS: 14,
  MH: 15,
  MHRS: 16,
  DHP: 17,
  DA: 18,
  DARS: 19,
  DM: 20,
  DMRS: 21,
  RH: 22,
  RHRS: 23,
  DG: 24,
  DGRS: 25,
  DB: 26,
  DBR: 27,
  DH: 28,
  DAZR: 29,
  DAZRRS: 30,
  DAH: 31,
  DAHRS: 32,
  WORDS: 33,
} as const;

/** An attribute-block layout: field name → word index, plus `WORDS`, the block's length. */
export type AttrLayout = { readonly WORDS: number } & { readonly [field: string]: number };

/** The fields of a layout a caller must fill (all but `WORDS`). */
export type AttrFields<L extends AttrLayout> = { readonly [F in Exclude<keyof L, 'WORDS'>]: number };

/**
 * The words of an attribute block: each field's value at its index, every other word 0 (gaps
 * and a trailing table are the caller's). Type-checked: every field of the layout is required.
 */
export function attrWords<L extends AttrLayout>(layout: L, fields: AttrFields<L>): number[] {
  const words = new Array<number>(layout.WORDS).fill(0);
  for (const field of Object.keys(fields) as Array<Exclude<keyof L, 'WORDS'>>) {
    const index = layout[field] as number;
    if (index >= layout.WORDS) throw new Error(`Lanes: attribute field ${String(field)} lies past the block`);
    words[index] = fields[field];
  }
  return words;
}

/**
 * The words of a variable-length block: the header fields at their indices (every word before
 * `arraysAt` must be named), then `arrays` back to back from word `layout[arraysAt]`.
 */
export function headedWords<L extends { readonly [field: string]: number }, A extends keyof L>(
  layout: L,
  arraysAt: A,
  fields: { readonly [F in Exclude<keyof L, A>]: number },
  ...arrays: ReadonlyArray<readonly number[]>
): number[] {
  const start = layout[arraysAt] as number;
  const words = new Array<number>(start).fill(0);
  for (const field of Object.keys(fields) as Array<Exclude<keyof L, A>>) {
    const index = layout[field] as number;
    if (index >= start) throw new Error(`Lanes: header field ${String(field)} lies past the block's header`);
    words[index] = fields[field];
  }
  for (const array of arrays) words.push(...array);
  return words;
}
