// The convolution kernels compute in NHWC: NCHW <-> NHWC passes, zero padding, and the wrapper
// that runs a kernel body on NHWC views of its inputs and returns its output in the caller's layout.
import { type TensorInfo } from '@tensorflow/tfjs-core';
import { attrWords, ConvPadAttr } from '@lanes/kernels-wasm';
import type { LanesBackend } from '../../backend.js';
import { finishEpilogue, type FusedEpilogue } from './epilogue.js';
import { Scratch } from './scratch.js';

/** [N,C,H,W] -> a new [N,H,W,C] float32 tensor (`toNhwc`), or back. */
function relayout(backend: LanesBackend, x: TensorInfo, toNhwc: boolean): TensorInfo {
  const [n, c, h, w] = toNhwc ? x.shape : [x.shape[0], x.shape[3], x.shape[1], x.shape[2]];
  const out = backend.makeOutputInfo(toNhwc ? [n, h, w, c] : [n, c, h, w], 'float32');
  if (n * c * h * w > 0) {
    backend.parallel(
      toNhwc ? 'conv_nchw_to_nhwc_f32' : 'conv_nhwc_to_nchw_f32',
      [backend.ptr(x), backend.ptr(out), c, h * w],
      n * Math.ceil((h * w) / 8),
      8 * c,
    );
  }
  return out;
}

/** A new [N,PH,PW,PC] tensor holding x [N,H,W,C] at (top, left, 0), zeros elsewhere. */
export function padNhwc(
  backend: LanesBackend,
  x: TensorInfo,
  ph: number,
  pw: number,
  pc: number,
  top: number,
  left: number,
): TensorInfo {
  const [n, h, w, c] = x.shape;
  const out = backend.makeOutputInfo([n, ph, pw, pc], 'float32');
  if (n * ph * pw * pc === 0) return out;
  const attrs = backend.attrs(
    attrWords(ConvPadAttr, { H: h, W: w, C: c, PH: ph, PW: pw, PC: pc, TOP: top, LEFT: left }),
  );
  backend.parallel('conv_pad_f32', [backend.ptr(x), backend.ptr(out), attrs], n * ph, pw * pc);
  return out;
}

/** What a body run by {@link inNhwc} returns. */
export interface NhwcResult {
  /** The body's output: NHWC, or in no image layout at all (a filter gradient) when `image` is false. */
  out: TensorInfo;
  /** Whether `out` is an NHWC image to give back in the caller's layout (default true). */
  image?: boolean;
  /** The part of a fused epilogue the kernel left for passes over the final output. */
  rest?: FusedEpilogue;
}

/**
 * Runs `body` with a scratch and NHWC versions of `inputs` (converted when `channelsFirst`), then
 * gives its output back in the caller's layout, applies the epilogue's rest, and releases the
 * scratch (temporaries, converted inputs) whatever happens.
 */
export function inNhwc(
  backend: LanesBackend,
  channelsFirst: boolean,
  inputs: readonly TensorInfo[],
  body: (scratch: Scratch, nhwc: TensorInfo[]) => NhwcResult,
): TensorInfo {
  const scratch = new Scratch(backend);
  try {
    const nhwc = inputs.map((t) => (channelsFirst ? scratch.tensor(relayout(backend, t, true)) : t));
    const { out: y, image = true, rest } = body(scratch, nhwc);
    let out = y;
    if (channelsFirst && image) {
      out = relayout(backend, y, false);
      backend.disposeIntermediateTensorInfo(y);
    }
    finishEpilogue(backend, out, rest, channelsFirst);
    return out;
  } finally {
    scratch.release();
  }
}
