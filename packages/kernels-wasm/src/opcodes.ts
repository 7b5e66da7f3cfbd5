/**
 * Operation codes shared by the TypeScript callers and the AssemblyScript kernels.
 * This file is the single source: the wasm build generates `assembly/opcodes.ts` from it.
 */
export const UnaryOp = {
  ABS: 0,
  NEG: 1,
  EXP: 2,
  LOG: 3,
  SQRT: 4,
  RSQRT: 5,
  SQUARE: 6,
  RELU: 7,
  RELU6: 8,
  SIGMOID: 9,
  TANH: 10,
  ELU: 11,
  SELU: 12,
  SOFTPLUS: 13,
  LEAKY_RELU: 14,
  CLIP: 15,
  FLOOR: 16,
  CEIL: 17,
  ROUND: 18,
  SIGN: 19,
  RECIPROCAL: 20,
  STEP: 21,
  EXPM1: 22,
  LOG1P: 23,
  SIN: 24,
  COS: 25,
  TAN: 26,
  ASIN: 27,
  ACOS: 28,
  ATAN: 29,
  SINH: 30,
  COSH: 31,
  ASINH: 32,
  ACOSH: 33,
  ATANH: 34,
  ERF: 35,
} as const;

export const BinaryOp = {
  ADD: 0,
  SUB: 1,
  MUL: 2,
  DIV: 3,
  MAX: 4,
  MIN: 5,
  SQUARED_DIFFERENCE: 6,
  POW: 7,
  FLOOR_DIV: 8,
  MOD: 9,
  ATAN2: 10,
  PRELU: 11,
  EQUAL: 16,
  NOT_EQUAL: 17,
  LESS: 18,
  LESS_EQUAL: 19,
  GREATER: 20,
  GREATER_EQUAL: 21,
  LOGICAL_AND: 22,
  LOGICAL_OR: 23,
  LOGICAL_XOR: 24,
} as const;

export const ReduceOp = { SUM: 0, MEAN: 1, MAX: 2, MIN: 3, PROD: 4, ANY: 5, ALL: 6 } as const;

/** float32 → bool predicates (IsNan, IsInf, IsFinite). */
export const PredicateOp = { IS_NAN: 0, IS_INF: 1, IS_FINITE: 2 } as const;

/** Activations of the fused LSTM/GRU kernels (hardSigmoid as tfjs-layers: clip(0.2x + 0.5, 0, 1)). */
export const RnnActivation = { LINEAR: 0, TANH: 1, SIGMOID: 2, HARD_SIGMOID: 3, RELU: 4 } as const;

/** Activations fused into convolution epilogues (bias first, then the activation). */
export const Activation = { LINEAR: 0, RELU: 1, RELU6: 2, LEAKY_RELU: 3, PRELU: 4, ELU: 5, SIGMOID: 6 } as const;

export type UnaryOpCode = (typeof UnaryOp)[keyof typeof UnaryOp];
export type BinaryOpCode = (typeof BinaryOp)[keyof typeof BinaryOp];
export type ReduceOpCode = (typeof ReduceOp)[keyof typeof ReduceOp];
export type PredicateOpCode = (typeof PredicateOp)[keyof typeof PredicateOp];
export type RnnActivationCode = (typeof RnnActivation)[keyof typeof RnnActivation];
export type ActivationCode = (typeof Activation)[keyof typeof Activation];
