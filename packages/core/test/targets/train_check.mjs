// Trains one small conv net (Conv2D → BatchNormalization → Flatten → Dense) for a few steps on 'lanes'
// and on 'cpu' from the same weights and data; each packed-tarball scratch app passes in the tfjs
// it loaded the way users load it. Returns the per-step losses and their largest relative gap.

function values(n, seed) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(i * 0.731 + seed * 1.913) * Math.cos(i * 0.117 + seed);
  return out;
}

async function losses(tf, tfl, backend, steps) {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  const init = (seed) => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [10, 10, 1], filters: 6, kernelSize: 3, kernelInitializer: init(1) }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(values(16 * 100, 1), [16, 10, 10, 1]);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 3),
      'int32',
    ),
    3,
  );
  const out = [];
  for (let i = 0; i < steps; i++) out.push(Number(await model.trainOnBatch(x, y)));
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

/** Trains on 'lanes' then 'cpu'; `tfl` is the tfjs-layers namespace (`tf` itself for @tensorflow/tfjs). */
export async function trainCheck(tf, tfl, lanes, steps = 8) {
  const ours = await losses(tf, tfl, 'lanes', steps);
  const build = lanes.getBuildInfo().build;
  const ref = await losses(tf, tfl, 'cpu', steps);
  let worst = 0;
  for (let i = 0; i < steps; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / Math.abs(ref[i]));
  return { build, lanes: ours, cpu: ref, maxRelDiff: worst };
}
