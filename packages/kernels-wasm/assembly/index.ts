// The module's exports: every kernel, plus where the caller's heap may begin.
export { unary_f32, binary_f32 } from './elementwise';
export { reduce_f32 } from './reduce';
export { gemm_mr, gemm_pack_a_f32, gemm_pack_b_f32, gemm_f32 } from './matmul';
export { gemv_f32 } from './gemv';
export { rnn_pack_f32 } from './recurrent';
export { lstm_step_f32, lstm_grad_step_f32 } from './lstm';
export {
  gru_zr_step_f32, gru_h_step_f32, gru_step_f32, gru_grad_zh_step_f32, gru_grad_r_step_f32, gru_grad_step_f32,
} from './gru';
export { conv_pack_f32, conv_pack_transposed_f32, conv_igemm_f32 } from './conv';
export { conv_filter_grad_f32 } from './conv_filter_grad';
export {
  conv_pad_f32, conv_nchw_to_nhwc_f32, conv_nhwc_to_nchw_f32, conv_im2col_f32, conv_im2col_packed_f32, conv_col2im_f32,
} from './conv_layout';
export { depthwise_f32, depthwise_filter_grad_f32, depthwise_expand_f32, depthwise_reduce_f32 } from './depthwise';
export { copy_nd_x32, copy_nd_x8, fill_x32, fill_x8 } from './copy';
export { transpose_x32 } from './transpose';
export { concat_x32, concat_x8 } from './concat';
export { pad_x32, pad_x8 } from './pad';
export {
  gather_x32, gather_x8, gather_nd_x32, gather_nd_x8, scatter_nd_f32, scatter_nd_i32, scatter_nd_u8,
} from './gather';
export {
  resize_bilinear_f32, resize_bilinear_grad_f32, resize_nearest_x32, resize_nearest_x8, resize_nearest_grad_f32,
} from './resize';
export { cast_f32_i32, cast_i32_f32, cast_f32_bool, cast_i32_bool, cast_bool_i32, cast_bool_f32 } from './cast';
export { max_pool_f32, avg_pool_f32, max_pool_argmax_f32, max_pool_grad_f32, avg_pool_grad_f32 } from './pool';
export { batchnorm_table_f32, batchnorm_f32 } from './batchnorm';
export { softmax_f32 } from './softmax';
export { compare_f32, compare_i32, compare_u8, logical_not_u8, predicate_f32 } from './compare';
export { binary_i32, unary_i32 } from './elementwise';
export { arg_reduce_f32, arg_reduce_i32 } from './argminmax';
export { cumulative_f32, cumulative_i32 } from './scan';
export { select_32, select_8 } from './select';
export { one_hot_32 } from './one_hot';
export { unsorted_segment_sum_f32 } from './segment';
export { elu_grad_f32 } from './activation_grad';
export { reduce_i32, reduce_u8 } from './reduce_int';

/** First byte past the module's static data: the TypeScript allocator starts here. */
export function heap_base(): usize {
  return __heap_base;
}
