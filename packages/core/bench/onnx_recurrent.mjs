// Keras / tf.layers recurrent weights as ONNX LSTM and GRU nodes (bench graphs and the agreement
// test share these).
import { transpose } from './data.mjs';
import { node, tensor } from './onnx.mjs';

/**
 * Keras-layout weights — kernel [F, G·U], recurrent kernel [U, G·U], bias [G·U] (or, for a GRU
 * with reset_after, [2, G·U]: input row, recurrent row) — as ONNX initializers W [1, G·U, F],
 * R [1, G·U, U], B [1, 2·G·U] (input bias, then recurrent bias: zero without reset_after).
 * ONNX orders the LSTM gates i, o, f, c (Keras: i, f, c, o); GRU gates are z, r, h in both.
 */
export function onnxRecurrentWeights(kind, w, f, u) {
  const order = kind === 'lstm' ? [0, 3, 1, 2] : [0, 1, 2];
  const g = order.length;
  if (w.bias.length !== g * u && !(kind === 'gru' && w.bias.length === 2 * g * u))
    throw new Error(
      `onnxRecurrentWeights: a ${kind} bias of ${g}·${u} values (or 2·${g}·${u} for reset_after), got ${w.bias.length}`,
    );
  const regate = (m, rows) => {
    // [rows, g·u] Keras → [g·u, rows] ONNX, gate blocks reordered
    const t = transpose(m, [rows, g * u], [1, 0]);
    const out = new Float32Array(t.length);
    order.forEach((src, dst) => out.set(t.subarray(src * u * rows, (src + 1) * u * rows), dst * u * rows));
    return out;
  };
  const b = new Float32Array(2 * g * u);
  for (let row = 0; row < w.bias.length / (g * u); row++)
    order.forEach((src, dst) =>
      b.set(w.bias.subarray(row * g * u + src * u, row * g * u + (src + 1) * u), row * g * u + dst * u),
    );
  return [
    tensor('W', [1, g * u, f], regate(w.kernel, f)),
    tensor('R', [1, g * u, u], regate(w.recurrent, u)),
    tensor('B', [1, 2 * g * u], b),
  ];
}

/**
 * An ONNX LSTM / GRU over time-major `input` [T, B, F] whose `output` is the last h [1, B, U];
 * `resetAfter` (GRU) is Keras' reset_after, ONNX's linear_before_reset = 1.
 */
export function onnxRecurrentNode(kind, input, output, u, { resetAfter = false } = {}) {
  // No Y output (''): only the last h is asked for, as the tfjs layer returns.
  return node(kind === 'lstm' ? 'LSTM' : 'GRU', [input, 'W', 'R', 'B'], ['', output], {
    hidden_size: u,
    ...(kind === 'gru' ? { linear_before_reset: resetAfter ? 1 : 0 } : {}),
  });
}
