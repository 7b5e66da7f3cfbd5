import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectSameAsCpu, values } from './backends.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  shape: [number, number, number, number];
  f: [number, number];
  s: [number, number];
  pad: Pad;
  round?: 'floor' | 'round' | 'ceil';
}

const specials = [NaN, Infinity, -Infinity];

// Every channel remainder of the 16- and 4-wide channel loops; filters 1..5; strides 1..3; every padding mode.
function cases(): Case[] {
  const out: Case[] = [];
  const channels = [1, 2, 3, 4, 5, 7, 8, 16, 17, 20, 33];
  let k = 0;
  for (const C of channels)
    for (const fh of [1, 2, 3, 4, 5])
      for (const pad of ['valid', 'same', 1, 'explicit'] as const) {
        k++;
        const fw = 1 + ((fh + k) % 5);
        const s: [number, number] = [1 + (k % 3), 1 + ((k >> 1) % 3)];
        const H = fh + (k % 4),
          W = fw + ((k >> 2) % 4);
        const p: Pad =
          pad === 'explicit'
            ? [
                [0, 0],
                [k % 3, (k >> 1) % 2],
                [(k >> 2) % 3, k % 2],
                [0, 0],
              ]
            : pad;
        const round = typeof p === 'number' ? (['floor', 'round', 'ceil'] as const)[k % 3] : undefined;
        out.push({ shape: [1 + (k % 2), H, W, C], f: [fh, fw], s, pad: p, round });
      }
  return out;
}

function name(c: Case): string {
  return `x${c.shape} f${c.f} s${c.s} pad ${JSON.stringify(c.pad)} ${c.round ?? ''}`;
}

describe('MaxPool / AvgPool (NHWC)', () => {
  it('forward matches tfjs-cpu for every channel remainder, filter, stride and padding (NaN and ±Inf inputs)', async () => {
    for (const c of cases()) {
      const x = values(
        c.shape.reduce((a, b) => a * b),
        c.shape[3] + c.f[0],
        -2,
        2,
        specials,
      );
      // max: exact (NaN skipped, empty window -Inf); avg: float32 sums in another order.
      await expectSameAsCpu(
        () => tf.maxPool(tf.tensor4d(x, c.shape), c.f, c.s, c.pad, c.round),
        0,
        `maxPool ${name(c)}`,
        c.f[0] * c.f[1] > 1 ? ['max_pool_f32'] : [],
      );
      await expectSameAsCpu(
        () => tf.avgPool(tf.tensor4d(x, c.shape), c.f, c.s, c.pad, c.round),
        1e-6,
        `avgPool ${name(c)}`,
        c.f[0] * c.f[1] > 1 ? ['avg_pool_f32'] : [],
      );
    }
  });

  it('2×2 windows without padding (the row-streaming path) match tfjs-cpu for C % 4 = 0, every stride and odd sizes', async () => {
    for (const C of [4, 8, 12, 20, 32])
      for (const s of [
        [1, 1],
        [2, 2],
        [3, 2],
        [2, 3],
      ] as [number, number][])
        for (const [H, W] of [
          [2, 2],
          [5, 7],
          [8, 9],
        ]) {
          const shape: [number, number, number, number] = [2, H, W, C];
          const x = values(
            shape.reduce((a, b) => a * b),
            C + H + W,
            -2,
            2,
            specials,
          );
          const c: Case = { shape, f: [2, 2], s, pad: 'valid' };
          await expectSameAsCpu(() => tf.maxPool(tf.tensor4d(x, shape), 2, s, 'valid'), 0, `maxPool ${name(c)}`, [
            'max_pool_f32',
          ]);
          await expectSameAsCpu(() => tf.avgPool(tf.tensor4d(x, shape), 2, s, 'valid'), 1e-6, `avgPool ${name(c)}`, [
            'avg_pool_f32',
          ]);
        }
  });

  it('handles empty batches and windows that fall entirely in the padding', async () => {
    await expectSameAsCpu(() => tf.maxPool(tf.zeros([0, 4, 4, 3]) as tf.Tensor4D, 2, 2, 'valid'), 0, 'empty batch');
    // pad 3 with a 2x2 filter: corner windows see only padding (max -Inf, avg 0/0 = NaN in tfjs-cpu).
    const pad: Pad = [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ];
    const x = values(2 * 2 * 5, 3);
    await expectSameAsCpu(() => tf.maxPool(tf.tensor4d(x, [1, 2, 2, 5]), 2, 2, pad), 0, 'max all-padding windows', [
      'max_pool_f32',
    ]);
    await expectSameAsCpu(() => tf.avgPool(tf.tensor4d(x, [1, 2, 2, 5]), 2, 2, pad), 1e-6, 'avg all-padding windows', [
      'avg_pool_f32',
    ]);
  });

  it('gradients (MaxPoolGrad, AvgPoolGrad) match tfjs-cpu, ties included', async () => {
    let k = 0;
    for (const c of cases()) {
      if (k++ % 3 !== 0) continue; // a third of the grid keeps the run short
      const size = c.shape.reduce((a, b) => a * b);
      // Few distinct values: many ties, where the first maximum must take the gradient.
      const x = Float32Array.from(values(size, k, 0, 4), (v) => Math.floor(v));
      const g = (pool: 'max' | 'avg') => () => {
        const xt = tf.tensor4d(x, c.shape);
        const f = (t: tf.Tensor) => {
          const y =
            pool === 'max'
              ? tf.maxPool(t as tf.Tensor4D, c.f, c.s, c.pad, c.round)
              : tf.avgPool(t as tf.Tensor4D, c.f, c.s, c.pad, c.round);
          return tf.sum(tf.mul(y, tf.tensor(values(y.size, 7), y.shape)));
        };
        return tf.grad(f)(xt);
      };
      await expectSameAsCpu(g('max'), 1e-6, `maxPool grad ${name(c)}`, ['max_pool_argmax_f32', 'max_pool_grad_f32']);
      await expectSameAsCpu(g('avg'), 1e-6, `avgPool grad ${name(c)}`, ['avg_pool_grad_f32']);
    }
  });

  it('MaxPoolWithArgmax matches tfjs-cpu (values and flat indices, with and without the batch)', async () => {
    for (const C of [1, 3, 4, 6, 8, 13]) {
      const shape: [number, number, number, number] = [2, 5, 6, C];
      const x = values(2 * 5 * 6 * C, C, -1, 1, [NaN, -Infinity]);
      for (const includeBatchInIndex of [false, true])
        for (const pad of ['valid', 'same'] as const) {
          await expectSameAsCpu(
            () => {
              const r = tf.maxPoolWithArgmax(tf.tensor4d(x, shape), [2, 3], [2, 1], pad, includeBatchInIndex);
              return [r.result, r.indexes];
            },
            0,
            `argmax C=${C} ${pad} batch=${includeBatchInIndex}`,
            ['max_pool_argmax_f32'],
          );
        }
    }
  });
});
