// Types of onnx_recurrent.mjs (the agreement test imports it from TypeScript).
import type { OnnxNode, OnnxTensor } from './onnx.mjs';

/** Keras-layout recurrent weights. */
export interface KerasRecurrentWeights {
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
}

/** Keras-layout weights as ONNX initializers W, R, B (LSTM gates reordered to i, o, f, c). */
export declare function onnxRecurrentWeights(
  kind: 'lstm' | 'gru',
  w: KerasRecurrentWeights,
  f: number,
  u: number,
): OnnxTensor[];

/** An ONNX LSTM / GRU over time-major `input` whose `output` is the last h [1, B, U]. */
export declare function onnxRecurrentNode(
  kind: 'lstm' | 'gru',
  input: string,
  output: string,
  u: number,
  options?: { resetAfter?: boolean },
): OnnxNode;
