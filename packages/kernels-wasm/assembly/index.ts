// The module's exports: every kernel, plus where the caller's heap may begin.
export { unary_f32, binary_f32 } from './elementwise';
export { reduce_f32 } from './reduce';
export { gemm_pack_b_f32, gemm_f32 } from './matmul';
export { rnn_pack_f32 } from './recurrent';
export { lstm_step_f32, lstm_grad_step_f32 } from './lstm';
export { gru_zr_step_f32, gru_h_step_f32, gru_step_f32, gru_grad_zh_step_f32, gru_grad_r_step_f32, gru_grad_step_f32 } from './gru';

/** First byte past the module's static data: the TypeScript allocator starts here. */
export function heap_base(): usize {
  return __heap_base;
}
