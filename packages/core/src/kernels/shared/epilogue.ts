// The fused epilogue of GEMM and convolution kernels: bias, then an activation, applied by the wasm
// kernel as it stores its tiles when the operands are per output channel, else by passes afterwards.
import { Activation, BinaryOp, UnaryOp, type ActivationCode } from '@lanes/kernels-wasm';
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { LanesBackend } from '../../backend.js';
import { applyBinary } from './broadcast.js';
import { floatBits } from './float_bits.js';
import type { Scratch } from './scratch.js';
import { applyUnary } from './unary.js';

const activationCodes: Record<string, ActivationCode> = {
  linear: Activation.LINEAR,
  relu: Activation.RELU,
  relu6: Activation.RELU6,
  leakyrelu: Activation.LEAKY_RELU,
  prelu: Activation.PRELU,
  elu: Activation.ELU,
  sigmoid: Activation.SIGMOID,
};

/** The kernels' code of a tfjs fused activation (undefined means linear). */
export function activationCode(activation: backend_util.Activation | undefined): ActivationCode {
  const code = activationCodes[activation ?? 'linear'];
  if (code === undefined) throw new Error(`Lanes: activation '${activation}' is not supported`);
  return code;
}

/** Applies a fused activation in place on a float32 output. */
export function applyActivation(
  backend: LanesBackend,
  out: TensorInfo,
  activation: backend_util.Activation | undefined,
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

/** Bias and activation of a fused convolution, as tfjs passes them. */
export interface FusedEpilogue {
  bias?: TensorInfo;
  activation?: backend_util.Activation;
  preluWeights?: TensorInfo;
  leakyreluAlpha?: number;
}

/** What the wasm kernel applies as it stores (pointers to per-channel vectors, 0 when absent). */
export interface KernelEpilogue {
  bias: number;
  act: ActivationCode;
  alphaBits: number;
  prelu: number;
  /** The part left for separate passes over the final output (broadcasts that are not per channel). */
  rest?: FusedEpilogue;
}

/**
 * How a bias-like operand broadcasts over the output's channels: 'scalar' (one value), 'channel'
 * (one value per channel), 'other' (anything else: applied by a separate broadcast pass).
 */
function channelKind(t: TensorInfo, channels: number, channelsFirst: boolean): 'scalar' | 'channel' | 'other' {
  const size = util.sizeFromShape(t.shape);
  if (size === 1) return 'scalar';
  if (size !== channels) return 'other';
  const s = t.shape;
  if (!channelsFirst) return s[s.length - 1] === channels ? 'channel' : 'other';
  // NCHW: a 1-D operand means channels (tfjs-backend-cpu reshapes it to [C,1,1]), as does [...,C,1,1].
  if (s.length === 1) return 'channel';
  return s.length >= 3 && s[s.length - 1] === 1 && s[s.length - 2] === 1 && s[s.length - 3] === channels
    ? 'channel'
    : 'other';
}

/** Decides what of `ep` the kernel fuses; per-channel vectors for scalars are expanded into scratch blocks. */
export function kernelEpilogue(
  backend: LanesBackend,
  scratch: Scratch,
  ep: FusedEpilogue | undefined,
  channels: number,
  channelsFirst: boolean,
): KernelEpilogue {
  const none: KernelEpilogue = { bias: 0, act: Activation.LINEAR, alphaBits: 0, prelu: 0 };
  if (!ep) return none;
  const act = activationCode(ep.activation);
  const vector = (t: TensorInfo, kind: 'scalar' | 'channel'): number =>
    kind === 'channel' ? backend.ptr(t) : scratch.floats(new Array<number>(channels).fill(backend.f32(t)[0]));
  let bias = 0;
  if (ep.bias) {
    const kind = channelKind(ep.bias, channels, channelsFirst);
    if (kind === 'other') return { ...none, rest: ep };
    bias = vector(ep.bias, kind);
  }
  const result: KernelEpilogue = { bias, act, alphaBits: floatBits(ep.leakyreluAlpha ?? 0.2), prelu: 0 };
  if (act === Activation.PRELU) {
    const kind = channelKind(ep.preluWeights!, channels, channelsFirst);
    if (kind === 'other')
      return { ...result, act: Activation.LINEAR, rest: { activation: 'prelu', preluWeights: ep.preluWeights } };
    result.prelu = vector(ep.preluWeights!, kind);
  }
  return result;
}

/** Applies the unfused rest of an epilogue to the final output, in place. */
export function finishEpilogue(
  backend: LanesBackend,
  out: TensorInfo,
  rest: FusedEpilogue | undefined,
  channelsFirst: boolean,
): void {
  if (!rest || util.sizeFromShape(out.shape) === 0) return;
  // In NCHW a 1-D operand of C values means channels: view it as [C,1,1] (same data).
  const aligned = (t: TensorInfo): TensorInfo =>
    channelsFirst && t.shape.length === 1 && t.shape[0] !== 1 ? { ...t, shape: [t.shape[0], 1, 1] } : t;
  if (rest.bias) applyBinary(backend, BinaryOp.ADD, out, aligned(rest.bias), out);
  applyActivation(backend, out, rest.activation, rest.preluWeights && aligned(rest.preluWeights), rest.leakyreluAlpha);
}
