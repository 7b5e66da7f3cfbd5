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
  gemm_pack_b_f32(b: number, packed: number, K: number, N: number, rs: number, cs: number): void;
  gemm_f32(
    a: number, packed: number, c: number, bias: number, M: number, N: number, K: number,
    ars: number, acs: number, rowBegin: number, rowEnd: number,
  ): void;
}

/** Names of the exported kernel functions, for dispatch by name (e.g. from worker threads). */
export type KernelName = Exclude<keyof KernelExports, 'heap_base'>;
