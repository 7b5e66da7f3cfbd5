// The numbers every target checks: a conv and an LSTM forward on 'lanes' against 'cpu'.
// It imports nothing: each target (Node ESM/CJS, worker_thread, browser page, Web Worker, the
// packed tarballs) passes in the tfjs-core and @lanes/core it loaded the way users load them.

/** Deterministic values in [-1, 1]. */
function values(n, seed) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(i * 0.731 + seed * 1.913) * Math.cos(i * 0.117 + seed);
  return out;
}

async function forward(tf, lanes, backend) {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  const units = 6;
  const [conv, lstm] = tf.tidy(() => {
    const x = tf.tensor4d(values(2 * 9 * 9 * 3, 1), [2, 9, 9, 3]);
    const filter = tf.tensor4d(values(3 * 3 * 3 * 8, 2), [3, 3, 3, 8]);
    const seq = tf.tensor3d(values(2 * 7 * 5, 3), [2, 7, 5]);
    const kernel = tf.tensor2d(values(5 * 4 * units, 4), [5, 4 * units]).mul(0.5);
    const recurrent = tf.tensor2d(values(units * 4 * units, 5), [units, 4 * units]).mul(0.5);
    const bias = tf.tensor1d(values(4 * units, 6));
    return [
      tf.conv2d(x, filter, [2, 1], 'same'),
      lanes.lstm(seq, kernel, recurrent, bias, { returnSequences: true }).output,
    ];
  });
  const result = {
    conv: Array.from(await conv.data()),
    lstm: Array.from(await lstm.data()),
    shapes: [conv.shape, lstm.shape],
  };
  tf.dispose([conv, lstm]);
  return result;
}

function maxRelDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

/**
 * Runs the conv and the LSTM on 'lanes' and on 'cpu' and returns what a test asserts on:
 * the backend and build picked, shapes, checksums and the largest relative difference.
 */
export async function check(tf, lanes) {
  const ours = await forward(tf, lanes, 'lanes');
  const info = lanes.getBuildInfo();
  const ref = await forward(tf, lanes, 'cpu');
  await tf.setBackend('lanes');
  const sum = (xs) => xs.reduce((s, v) => s + v, 0);
  return {
    backend: 'lanes',
    build: info.build,
    threads: info.threads,
    convShape: ours.shapes[0],
    lstmShape: ours.shapes[1],
    convSum: sum(ours.conv),
    lstmSum: sum(ours.lstm),
    convDiff: maxRelDiff(ours.conv, ref.conv),
    lstmDiff: maxRelDiff(ours.lstm, ref.lstm),
  };
}
