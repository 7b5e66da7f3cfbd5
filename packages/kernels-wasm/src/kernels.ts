/**
 * The functions every build of the kernel module exports. Pointers are byte offsets. Kernels that
 * threads can split take their work range as the last two arguments (begin, end).
 */
export interface KernelExports {
  /** First byte past the module's static data; callers allocate above it. */
  heap_base(): number;
  unary_f32(op: number, x: number, out: number, a: number, b: number, begin: number, end: number): void;
  binary_f32(op: number, a: number, b: number, out: number, attr: number, begin: number, end: number): void;
  reduce_f32(op: number, x: number, out: number, n: number, begin: number, end: number): void;
  /** Rows of the GEMM register tile in this build (packed A holds ceil(M / MR) panels of K×MR). */
  gemm_mr(): number;
  gemm_pack_a_f32(
    a: number,
    packed: number,
    M: number,
    K: number,
    rs: number,
    cs: number,
    begin: number,
    end: number,
  ): void;
  gemm_pack_b_f32(
    b: number,
    packed: number,
    K: number,
    N: number,
    rs: number,
    cs: number,
    begin: number,
    end: number,
  ): void;
  gemm_f32(pa: number, pb: number, c: number, attr: number, begin: number, end: number): void;
  /** C = A·B for a few rows of A, B unpacked, over columns [begin, end) (assembly/gemv.ts). */
  gemv_f32(a: number, b: number, c: number, attr: number, begin: number, end: number): void;
  /** Packs G gate column blocks of a recurrent matrix into 8-unit panels (assembly/recurrent.ts). */
  rnn_pack_f32(
    m: number,
    packed: number,
    K: number,
    units: number,
    G: number,
    gs: number,
    rs: number,
    cs: number,
  ): void;
  /** One LSTM time step over unit octets; `s` points at the step struct (assembly/lstm.ts). */
  lstm_step_f32(s: number, begin: number, end: number): void;
  /** One LSTM backward time step over unit octets. */
  lstm_grad_step_f32(s: number, begin: number, end: number): void;
  /** GRU (resetAfter = false) step, first half: z, r and r*h (assembly/gru.ts). */
  gru_zr_step_f32(s: number, begin: number, end: number): void;
  /** GRU (resetAfter = false) step, second half: candidate and h. */
  gru_h_step_f32(s: number, begin: number, end: number): void;
  /** GRU (resetAfter = true) step. */
  gru_step_f32(s: number, begin: number, end: number): void;
  /** GRU (resetAfter = false) backward step, first half: dh, z and candidate gradients. */
  gru_grad_zh_step_f32(s: number, begin: number, end: number): void;
  /** GRU (resetAfter = false) backward step, second half: r gradient. */
  gru_grad_r_step_f32(s: number, begin: number, end: number): void;
  /** GRU (resetAfter = true) backward step. */
  gru_grad_step_f32(s: number, begin: number, end: number): void;
  // Convolution family: `attrs` points at an i32 attribute block (layouts in src/layouts.ts).
  conv_pack_f32(w: number, packed: number, K: number, N: number): void;
  conv_pack_transposed_f32(w: number, packed: number, FH: number, FW: number, IC: number, OC: number): void;
  conv_igemm_f32(src: number, packed: number, out: number, attrs: number, begin: number, end: number): void;
  conv_filter_grad_f32(x: number, dy: number, dw: number, attrs: number, begin: number, end: number): void;
  conv_pad_f32(src: number, dst: number, attrs: number, begin: number, end: number): void;
  conv_nchw_to_nhwc_f32(src: number, dst: number, c: number, hw: number, begin: number, end: number): void;
  conv_nhwc_to_nchw_f32(src: number, dst: number, c: number, hw: number, begin: number, end: number): void;
  conv_im2col_f32(x: number, cols: number, attrs: number, begin: number, end: number): void;
  /** conv_im2col_f32 into gemm_f32's packed A panels (assembly/conv_layout.ts). */
  conv_im2col_packed_f32(x: number, packed: number, attrs: number, begin: number, end: number): void;
  /** dx rows from the column rows of an input-gradient GEMM (assembly/conv_layout.ts). */
  conv_col2im_f32(cols: number, dx: number, attrs: number, begin: number, end: number): void;
  depthwise_f32(src: number, w: number, out: number, attrs: number, begin: number, end: number): void;
  depthwise_filter_grad_f32(x: number, dy: number, dw: number, attrs: number, begin: number, end: number): void;
  depthwise_expand_f32(x: number, xe: number, C: number, M: number, begin: number, end: number): void;
  depthwise_reduce_f32(xe: number, x: number, C: number, M: number, begin: number, end: number): void;
  // Data movement. `attrs` points at an i32 attribute block; x32 kernels move 4-byte elements
  // (float32, int32), x8 kernels 1-byte ones (bool).
  copy_nd_x32(x: number, out: number, attrs: number, begin: number, end: number): void;
  copy_nd_x8(x: number, out: number, attrs: number, begin: number, end: number): void;
  fill_x32(out: number, bits: number, begin: number, end: number): void;
  fill_x8(out: number, bits: number, begin: number, end: number): void;
  transpose_x32(x: number, out: number, attrs: number, begin: number, end: number): void;
  concat_x32(out: number, attrs: number, begin: number, end: number): void;
  concat_x8(out: number, attrs: number, begin: number, end: number): void;
  pad_x32(x: number, out: number, bits: number, attrs: number, begin: number, end: number): void;
  pad_x8(x: number, out: number, bits: number, attrs: number, begin: number, end: number): void;
  gather_x32(x: number, indices: number, out: number, attrs: number, begin: number, end: number): void;
  gather_x8(x: number, indices: number, out: number, attrs: number, begin: number, end: number): void;
  gather_nd_x32(params: number, indices: number, out: number, attrs: number, begin: number, end: number): void;
  gather_nd_x8(params: number, indices: number, out: number, attrs: number, begin: number, end: number): void;
  scatter_nd_f32(indices: number, updates: number, out: number, attrs: number, begin: number, end: number): void;
  scatter_nd_i32(indices: number, updates: number, out: number, attrs: number, begin: number, end: number): void;
  scatter_nd_u8(indices: number, updates: number, out: number, attrs: number, begin: number, end: number): void;
  resize_bilinear_f32(x: number, out: number, table: number, attrs: number, begin: number, end: number): void;
  resize_bilinear_grad_f32(dy: number, dx: number, table: number, attrs: number, begin: number, end: number): void;
  resize_nearest_x32(x: number, out: number, table: number, attrs: number, begin: number, end: number): void;
  resize_nearest_x8(x: number, out: number, table: number, attrs: number, begin: number, end: number): void;
  resize_nearest_grad_f32(dy: number, dx: number, table: number, attrs: number, begin: number, end: number): void;
  cast_f32_i32(x: number, out: number, begin: number, end: number): void;
  cast_i32_f32(x: number, out: number, begin: number, end: number): void;
  cast_f32_bool(x: number, out: number, begin: number, end: number): void;
  cast_i32_bool(x: number, out: number, begin: number, end: number): void;
  cast_bool_i32(x: number, out: number, begin: number, end: number): void;
  cast_bool_f32(x: number, out: number, begin: number, end: number): void;
  // Pooling (NHWC float32); `attr` points at a PoolAttr block.
  max_pool_f32(x: number, out: number, attr: number, begin: number, end: number): void;
  avg_pool_f32(x: number, out: number, attr: number, begin: number, end: number): void;
  max_pool_argmax_f32(
    x: number,
    out: number,
    pos: number,
    attr: number,
    mode: number,
    begin: number,
    end: number,
  ): void;
  max_pool_grad_f32(dy: number, pos: number, dx: number, attr: number, begin: number, end: number): void;
  avg_pool_grad_f32(dy: number, dx: number, attr: number, scale: number, begin: number, end: number): void;
  batchnorm_table_f32(
    mean: number,
    variance: number,
    offset: number,
    scale: number,
    lens: number,
    eps: number,
    tab: number,
    P: number,
  ): void;
  batchnorm_f32(x: number, tab: number, out: number, P: number, n: number, begin: number, end: number): void;
  softmax_f32(x: number, out: number, n: number, inner: number, begin: number, end: number): void;
  compare_f32(op: number, a: number, b: number, out: number, attr: number, begin: number, end: number): void;
  compare_i32(op: number, a: number, b: number, out: number, attr: number, begin: number, end: number): void;
  compare_u8(op: number, a: number, b: number, out: number, attr: number, begin: number, end: number): void;
  logical_not_u8(x: number, out: number, begin: number, end: number): void;
  predicate_f32(op: number, x: number, out: number, begin: number, end: number): void;
  binary_i32(op: number, a: number, b: number, out: number, attr: number, begin: number, end: number): void;
  unary_i32(op: number, x: number, out: number, begin: number, end: number): void;
  arg_reduce_f32(x: number, out: number, n: number, inner: number, isMin: number, begin: number, end: number): void;
  arg_reduce_i32(x: number, out: number, n: number, inner: number, isMin: number, begin: number, end: number): void;
  cumulative_f32(x: number, out: number, n: number, inner: number, flags: number, begin: number, end: number): void;
  cumulative_i32(x: number, out: number, n: number, inner: number, flags: number, begin: number, end: number): void;
  select_32(cond: number, t: number, e: number, out: number, inner: number, begin: number, end: number): void;
  select_8(cond: number, t: number, e: number, out: number, inner: number, begin: number, end: number): void;
  one_hot_32(indices: number, out: number, depth: number, on: number, off: number, begin: number, end: number): void;
  unsorted_segment_sum_f32(
    x: number,
    ids: number,
    out: number,
    rows: number,
    inner: number,
    numSegments: number,
    begin: number,
    end: number,
  ): void;
  elu_grad_f32(dy: number, y: number, out: number, begin: number, end: number): void;
  reduce_i32(op: number, x: number, out: number, n: number, begin: number, end: number): void;
  reduce_u8(op: number, x: number, out: number, n: number, begin: number, end: number): void;
}

/** Names of the exported kernel functions, for dispatch by name (e.g. from worker threads). */
export type KernelName = Exclude<keyof KernelExports, 'heap_base'>;

/**
 * Each export of {@link KernelExports} with its parameter count: the one runtime list of the
 * module's functions. Its type is derived from the interface (every member, its exact arity), and
 * test/exports.test.ts checks every build's instance against it both ways.
 */
export const kernelArity: { readonly [K in keyof KernelExports]: Parameters<KernelExports[K]>['length'] } = {
  heap_base: 0,
  unary_f32: 7,
  binary_f32: 7,
  reduce_f32: 6,
  gemm_mr: 0,
  gemm_pack_a_f32: 8,
  gemm_pack_b_f32: 8,
  gemm_f32: 6,
  gemv_f32: 6,
  rnn_pack_f32: 8,
  lstm_step_f32: 3,
  lstm_grad_step_f32: 3,
  gru_zr_step_f32: 3,
  gru_h_step_f32: 3,
  gru_step_f32: 3,
  gru_grad_zh_step_f32: 3,
  gru_grad_r_step_f32: 3,
  gru_grad_step_f32: 3,
  conv_pack_f32: 4,
  conv_pack_transposed_f32: 6,
  conv_igemm_f32: 6,
  conv_filter_grad_f32: 6,
  conv_pad_f32: 5,
  conv_nchw_to_nhwc_f32: 6,
  conv_nhwc_to_nchw_f32: 6,
  conv_im2col_f32: 5,
  conv_im2col_packed_f32: 5,
  conv_col2im_f32: 5,
  depthwise_f32: 6,
  depthwise_filter_grad_f32: 6,
  depthwise_expand_f32: 6,
  depthwise_reduce_f32: 6,
  copy_nd_x32: 5,
  copy_nd_x8: 5,
  fill_x32: 4,
  fill_x8: 4,
  transpose_x32: 5,
  concat_x32: 4,
  concat_x8: 4,
  pad_x32: 6,
  pad_x8: 6,
  gather_x32: 6,
  gather_x8: 6,
  gather_nd_x32: 6,
  gather_nd_x8: 6,
  scatter_nd_f32: 6,
  scatter_nd_i32: 6,
  scatter_nd_u8: 6,
  resize_bilinear_f32: 6,
  resize_bilinear_grad_f32: 6,
  resize_nearest_x32: 6,
  resize_nearest_x8: 6,
  resize_nearest_grad_f32: 6,
  cast_f32_i32: 4,
  cast_i32_f32: 4,
  cast_f32_bool: 4,
  cast_i32_bool: 4,
  cast_bool_i32: 4,
  cast_bool_f32: 4,
  max_pool_f32: 5,
  avg_pool_f32: 5,
  max_pool_argmax_f32: 7,
  max_pool_grad_f32: 6,
  avg_pool_grad_f32: 6,
  batchnorm_table_f32: 8,
  batchnorm_f32: 7,
  softmax_f32: 6,
  compare_f32: 7,
  compare_i32: 7,
  compare_u8: 7,
  logical_not_u8: 4,
  predicate_f32: 5,
  binary_i32: 7,
  unary_i32: 5,
  arg_reduce_f32: 7,
  arg_reduce_i32: 7,
  cumulative_f32: 7,
  cumulative_i32: 7,
  select_32: 7,
  select_8: 7,
  one_hot_32: 7,
  unsorted_segment_sum_f32: 8,
  elu_grad_f32: 5,
  reduce_i32: 6,
  reduce_u8: 6,
};
