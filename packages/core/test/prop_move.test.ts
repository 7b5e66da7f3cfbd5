// Property tests of the data-movement kernels, judged by float64 references (ref64_move.ts):
// transpose, concat / stack, slice / stridedSlice, split / unstack, reverse, pad / mirrorPad, tile,
// gather / gatherND, resize bilinear / nearest and their gradients. Moves are exact: values,
// NaN-ness, infinities and the sign of zero all must survive. See prop_harness.ts.
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkProperty, fc, floats, reportCounts, SPECIALS, type Judge } from './prop_harness.js';
import { roundHalfEven, sizeOf, toInt32, transpose64, ref, type Ref } from './ref64_core.js';
import {
  concat64,
  gather64,
  gatherND64,
  mirrorPad64,
  pad64,
  resize64,
  reverse64,
  slice64,
  stridedSlice64,
  tile64,
} from './ref64_move.js';

const seed = fc.integer({ min: 1, max: 1 << 30 });
const dim = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1) },
  { weight: 1, arbitrary: fc.integer({ min: 7, max: 19 }) },
);
const shapeOf = (min: number, max: number) =>
  fc.array(dim, { minLength: min, maxLength: max }).map((s) => {
    const out = s.slice();
    while (out.reduce((a, b) => a * b, 1) > 3000) out[out.indexOf(Math.max(...out))] = 2;
    return out;
  });
const dtype = fc.constantFrom('float32', 'float32', 'int32', 'bool') as fc.Arbitrary<'float32' | 'int32' | 'bool'>;
const EXACT: Judge = {};
type DT = 'float32' | 'int32' | 'bool';

/** Values of `shape` and `dt`: floats with specials, or those rounded to int32, or their signs as bools. */
function inputVals(shape: number[], dt: DT, s: number): number[] {
  const x = floats(sizeOf(shape), s, -50, 50, SPECIALS, 6);
  if (dt === 'float32') return Array.from(x);
  return dt === 'bool' ? Array.from(x, (v) => +(v > 0)) : Array.from(x, (v) => toInt32(roundHalfEven(v)));
}
function input(shape: number[], dt: DT, s: number): tf.Tensor {
  return tf.tensor(inputVals(shape, dt, s), shape, dt);
}

/** A permutation of 0..n-1 from random keys. */
const perm = (n: number) =>
  fc.array(fc.nat(1000), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i),
  );

reportCounts('prop_move');

describe('property: data movement, judged by float64 (exact)', () => {
  it('transpose: ranks 0-5, every permutation, dtypes', async () => {
    await checkProperty({
      name: 'transpose',
      params: shapeOf(0, 5).chain((shape) =>
        fc.record({ shape: fc.constant(shape), perm: perm(shape.length), dt: dtype, seed }),
      ),
      program: (p) => () => tf.transpose(input(p.shape, p.dt, p.seed), p.perm),
      float64: (p) => [
        ref(
          p.perm.map((d) => p.shape[d]!),
          p.dt,
          transpose64(inputVals(p.shape, p.dt, p.seed), p.shape, p.perm),
        ),
      ],
      judge: EXACT,
      runs: 80,
    });
  });

  it('concat / stack: 1-4 inputs, any axis, empty parts', async () => {
    await checkProperty({
      name: 'concat',
      params: fc.record({
        shape: shapeOf(1, 4),
        axis: fc.nat(3),
        sizes: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }),
        stack: fc.boolean(),
        dt: dtype,
        seed,
      }),
      program: (p) => () => {
        const axis = p.axis % p.shape.length;
        if (p.stack)
          return tf.stack(
            p.sizes.map((_, i) => input(p.shape, p.dt, p.seed + i)),
            Math.min(axis, p.shape.length),
          );
        return tf.concat(
          p.sizes.map((n, i) =>
            input(
              p.shape.map((d, k) => (k === axis ? n : d)),
              p.dt,
              p.seed + i,
            ),
          ),
          axis,
        );
      },
      float64: (p) => {
        const axis = p.axis % p.shape.length;
        if (p.stack) {
          const at = Math.min(axis, p.shape.length);
          const one = [...p.shape.slice(0, at), 1, ...p.shape.slice(at)];
          return [
            concat64(
              p.sizes.map((_, i) => ({ values: inputVals(p.shape, p.dt, p.seed + i), shape: one })),
              at,
              p.dt,
            ),
          ];
        }
        const parts = p.sizes.map((n, i) => {
          const shape = p.shape.map((d, k) => (k === axis ? n : d));
          return { values: inputVals(shape, p.dt, p.seed + i), shape };
        });
        return [concat64(parts, axis, p.dt)];
      },
      judge: EXACT,
      runs: 60,
    });
  });

  it('slice and split / unstack / reverse', async () => {
    await checkProperty({
      name: 'slice',
      params: fc.record({
        shape: shapeOf(1, 4),
        a: fc.array(fc.nat(100), { minLength: 4, maxLength: 4 }),
        b: fc.array(fc.nat(100), { minLength: 4, maxLength: 4 }),
        kind: fc.constantFrom('slice', 'split', 'unstack', 'reverse'),
        axis: fc.nat(3),
        dt: dtype,
        seed,
      }),
      program: (p) => () => {
        const x = input(p.shape, p.dt, p.seed);
        const axis = p.axis % p.shape.length;
        if (p.kind === 'slice') {
          const begin = p.shape.map((d, i) => p.a[i] % (d + 1));
          // size -1 now and then: "to the end".
          const size = p.shape.map((d, i) => (p.b[i] % 7 === 6 ? -1 : p.b[i] % (d - begin[i] + 1)));
          return tf.slice(x, begin, size);
        }
        if (p.kind === 'split') {
          const d = p.shape[axis];
          const cut = p.a[0] % (d + 1);
          return tf.split(x, [cut, d - cut], axis);
        }
        if (p.kind === 'unstack') return tf.unstack(x, axis);
        return tf.reverse(
          x,
          p.shape.map((_, i) => i).filter((i) => (p.b[0] >> i) & 1),
        );
      },
      float64: (p) => {
        const x = inputVals(p.shape, p.dt, p.seed);
        const axis = p.axis % p.shape.length;
        const along = (start: number, n: number) =>
          slice64(
            x,
            p.shape,
            p.shape.map((_, i) => (i === axis ? start : 0)),
            p.shape.map((d, i) => (i === axis ? n : d)),
            p.dt,
          );
        if (p.kind === 'slice') {
          const begin = p.shape.map((d, i) => p.a[i] % (d + 1));
          const size = p.shape.map((d, i) => (p.b[i] % 7 === 6 ? -1 : p.b[i] % (d - begin[i] + 1)));
          return [slice64(x, p.shape, begin, size, p.dt)];
        }
        if (p.kind === 'split') {
          const d = p.shape[axis];
          const cut = p.a[0] % (d + 1);
          return [along(0, cut), along(cut, d - cut)];
        }
        if (p.kind === 'unstack')
          return Array.from({ length: p.shape[axis] }, (_, i) => {
            const r = along(i, 1);
            return { ...r, shape: p.shape.filter((_, k) => k !== axis) };
          });
        return [
          reverse64(
            x,
            p.shape,
            p.shape.map((_, i) => i).filter((i) => (p.b[0] >> i) & 1),
            p.dt,
          ),
        ];
      },
      judge: EXACT,
      runs: 80,
    });
  });

  interface StridedCase {
    shape: number[];
    begin: number[];
    end: number[];
    strides: number[];
    n: number;
    beginMask: number;
    endMask: number;
    shrink: number;
    newAxis: number;
    ellipsis: number;
    dt: 'float32' | 'int32' | 'bool';
    seed: number;
  }
  /** The case's arguments: the first n of each array; shrink only on real (not new / ellipsis) axes. */
  function stridedArgs(p: StridedCase) {
    const n = Math.min(p.n, p.shape.length);
    const shrink = p.shrink & ~p.newAxis & ~p.ellipsis & ((1 << n) - 1);
    const masks = { begin: p.beginMask, end: p.endMask, ellipsis: p.ellipsis, newAxis: p.newAxis, shrink };
    return { begin: p.begin.slice(0, n), end: p.end.slice(0, n), strides: p.strides.slice(0, n), masks };
  }
  /** tfjs's stridedSlice arguments after x: begin, end, strides and the five masks. */
  function sliceArgs(p: StridedCase): [number[], number[], number[], number, number, number, number, number] {
    const { begin, end, strides, masks: m } = stridedArgs(p);
    return [begin, end, strides, m.begin, m.end, m.ellipsis, m.newAxis, m.shrink];
  }

  it('stridedSlice: negative indices and strides, begin / end / shrink / new-axis / ellipsis masks', async () => {
    const idx = fc.integer({ min: -8, max: 8 });
    await checkProperty({
      name: 'stridedSlice',
      params: fc.record({
        shape: shapeOf(1, 4),
        begin: fc.array(idx, { minLength: 4, maxLength: 4 }),
        end: fc.array(idx, { minLength: 4, maxLength: 4 }),
        strides: fc.array(fc.constantFrom(1, 1, 2, 3, -1, -2), { minLength: 4, maxLength: 4 }),
        n: fc.integer({ min: 1, max: 4 }),
        beginMask: fc.nat(15),
        endMask: fc.nat(15),
        shrink: fc.nat(15),
        newAxis: fc.constantFrom(0, 0, 0, 1, 2, 4),
        ellipsis: fc.constantFrom(0, 0, 0, 0, 1, 2, 4),
        dt: dtype,
        seed,
      }),
      program: (p) => () => tf.stridedSlice(input(p.shape, p.dt, p.seed), ...sliceArgs(p)),
      float64: (p) => {
        const a = stridedArgs(p);
        // TensorFlow refuses a shrunk axis with a stride ≤ 0.
        if (a.strides.some((st, i) => (a.masks.shrink >> i) & 1 && st <= 0))
          throw new Error('only stride 1 allowed on non-range indexing.');
        return [stridedSlice64(inputVals(p.shape, p.dt, p.seed), p.shape, p.dt, a.begin, a.end, a.strides, a.masks)];
      },
      judge: EXACT,
      runs: 100,
      cpuDefects: [
        {
          name: 'stridedSliceShrink',
          when: (p) => {
            const a = stridedArgs(p);
            return a.masks.shrink !== 0 && a.strides.some((st) => st !== 1);
          },
        },
        {
          name: 'stridedSliceEmpty',
          when: (p) => {
            try {
              return tf.slice_util.sliceInfo(p.shape, ...sliceArgs(p)).finalShape.some((d) => d === 0);
            } catch {
              return false;
            }
          },
        },
      ],
    });
  });

  it('pad (constant) and mirrorPad (reflect / symmetric)', async () => {
    await checkProperty({
      name: 'pad',
      params: fc.record({
        shape: shapeOf(1, 4),
        pads: fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: 4, maxLength: 4 }),
        mode: fc.constantFrom('constant', 'reflect', 'symmetric'),
        value: fc.constantFrom(0, -0, 2.5, NaN, -Infinity),
        dt: dtype,
        seed,
      }),
      program: (p) => () => {
        const x = input(p.shape, p.dt, p.seed);
        if (p.mode === 'constant') {
          const pads = p.shape.map((_, i) => p.pads[i]) as Array<[number, number]>;
          return tf.pad(x, pads, p.dt === 'float32' ? p.value : 1);
        }
        // mirrorPad: at most d - 1 (reflect) or d (symmetric) on each side; empty dims get none.
        const limit = (d: number) => Math.max(0, p.mode === 'reflect' ? d - 1 : d);
        const pads = p.shape.map((d, i) => [
          Math.min(p.pads[i][0], limit(d)),
          Math.min(p.pads[i][1], limit(d)),
        ]) as Array<[number, number]>;
        return tf.mirrorPad(x, pads, p.mode as 'reflect');
      },
      float64: (p) => {
        const x = inputVals(p.shape, p.dt, p.seed);
        if (p.mode === 'constant') {
          const pads = p.shape.map((_, i) => p.pads[i]) as Array<[number, number]>;
          return [pad64(x, p.shape, pads, p.dt === 'float32' ? p.value : 1, p.dt)];
        }
        // tfjs-core's mirrorPad: each pad at most d - 1 (reflect) or d (symmetric); a reflected empty dim throws.
        if (p.mode === 'reflect' && p.shape.some((d) => d === 0)) throw new Error('mirrorPad: no room to reflect');
        const limit = (d: number) => Math.max(0, p.mode === 'reflect' ? d - 1 : d);
        const pads = p.shape.map((d, i) => [
          Math.min(p.pads[i][0], limit(d)),
          Math.min(p.pads[i][1], limit(d)),
        ]) as Array<[number, number]>;
        return [mirrorPad64(x, p.shape, pads, p.mode as 'reflect', p.dt)];
      },
      cpuDefects: [
        {
          name: 'padNegativeZero',
          when: (p) => p.mode === 'constant' && p.dt === 'float32' && Object.is(p.value, -0),
        },
      ],
      judge: EXACT,
      runs: 80,
    });
  });

  it('tile: repetitions 0-3 per dim', async () => {
    await checkProperty({
      name: 'tile',
      params: fc.record({
        shape: shapeOf(1, 4),
        reps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
        dt: dtype,
        seed,
      }),
      program: (p) => () =>
        tf.tile(
          input(p.shape, p.dt, p.seed),
          p.shape.map((_, i) => p.reps[i]),
        ),
      float64: (p) => [
        tile64(
          inputVals(p.shape, p.dt, p.seed),
          p.shape,
          p.shape.map((_, i) => p.reps[i]),
          p.dt,
        ),
      ],
      judge: EXACT,
      runs: 60,
    });
  });

  interface GatherCase {
    shape: number[];
    axis: number;
    batchDims: number;
    nIdx: number;
    nd: boolean;
    dt: 'float32' | 'int32' | 'bool';
    seed: number;
  }
  /** The case's indices: gatherND's [nIdx, k], gather's [...x.shape[:batchDims], nIdx]; null: nothing valid to gather. */
  function gatherIndices(p: GatherCase) {
    if (p.nd) {
      const k = 1 + (p.axis % p.shape.length);
      if (p.shape.slice(0, k).some((d) => d === 0)) return null;
      const idx: number[] = [];
      for (let i = 0; i < p.nIdx; i++)
        for (let j = 0; j < k; j++) idx.push(Math.floor((((i * 7 + j * 3 + p.seed) % 101) / 101) * p.shape[j]));
      return { nd: true, idx, iShape: [p.nIdx, k], axis: 0, batchDims: 0 };
    }
    const axis = p.axis % p.shape.length;
    const batchDims = Math.min(p.batchDims, axis);
    const d = p.shape[axis];
    const iShape = [...p.shape.slice(0, batchDims), p.nIdx];
    const n = sizeOf(iShape);
    if (d === 0 && n > 0) return null;
    const r = (p.seed % 997) / 997;
    const idx = Array.from({ length: n }, (_, i) =>
      d === 0 ? 0 : Math.floor((((i * 13 + p.seed) % 89) / 89) * d + r) % d,
    );
    return { nd: false, idx, iShape, axis, batchDims };
  }
  function gatherProgram(p: GatherCase): () => tf.Tensor {
    return () => {
      const g = gatherIndices(p);
      if (g === null) return tf.zeros([0]);
      const x = input(p.shape, p.dt, p.seed);
      const indices = tf.tensor(g.idx, g.iShape, 'int32');
      return g.nd ? tf.gatherND(x, indices) : tf.gather(x, indices, g.axis, g.batchDims);
    };
  }
  function gather64Case(p: GatherCase): Ref[] {
    const g = gatherIndices(p);
    if (g === null) return [ref([0], 'float32', [])];
    const x = inputVals(p.shape, p.dt, p.seed);
    // tfjs-core's gatherND refuses an empty input, whatever the indices.
    if (g.nd && sizeOf(p.shape) === 0) throw new Error('Requested more than 0 entries, but input is empty.');
    if (g.nd) return [gatherND64(x, p.shape, g.idx, g.iShape[0]!, g.iShape[1]!, p.dt)];
    return [gather64(x, p.shape, g.idx, g.iShape, g.axis, g.batchDims, p.dt)];
  }

  it('gather (axis, batchDims, repeated indices) and gatherND', async () => {
    await checkProperty({
      name: 'gather',
      params: fc.record({
        shape: shapeOf(1, 4),
        axis: fc.nat(3),
        batchDims: fc.nat(2),
        nIdx: fc.integer({ min: 0, max: 9 }),
        nd: fc.boolean(),
        dt: dtype,
        seed,
      }),
      program: (p) => gatherProgram(p),
      float64: gather64Case,
      cpuDefects: [
        {
          name: 'gatherBatchDimsEmpty',
          when: (p) => {
            const g = gatherIndices(p);
            return g !== null && !g.nd && g.batchDims > 0 && (sizeOf(p.shape) === 0 || p.nIdx === 0);
          },
        },
      ],
      judge: EXACT,
      runs: 80,
    });
  });

  it('resize bilinear / nearest (alignCorners, halfPixelCenters) and their gradients', async () => {
    interface ResizeCase {
      n: number;
      h: number;
      w: number;
      c: number;
      oh: number;
      ow: number;
      nearest: boolean;
      align: boolean;
      half: boolean;
      grad: boolean;
      specials: boolean;
      seed: number;
    }
    const xVals = (p: ResizeCase) =>
      floats(p.n * p.h * p.w * p.c, p.seed, -1, 1, p.specials && !p.grad ? SPECIALS : [], 9);
    const dyVals = (p: ResizeCase) => floats(p.n * p.oh * p.ow * p.c, p.seed + 1);
    // alignCorners and halfPixelCenters are exclusive in tfjs.
    const opts = (p: ResizeCase) => ({ nearest: p.nearest, align: p.align, half: p.half && !p.align });
    await checkProperty({
      name: 'resize',
      params: fc.record({
        n: fc.integer({ min: 0, max: 2 }),
        h: fc.integer({ min: 1, max: 9 }),
        w: fc.integer({ min: 1, max: 9 }),
        c: fc.integer({ min: 1, max: 6 }),
        oh: fc.integer({ min: 1, max: 13 }),
        ow: fc.integer({ min: 1, max: 13 }),
        nearest: fc.boolean(),
        align: fc.boolean(),
        half: fc.boolean(),
        grad: fc.boolean(),
        specials: fc.boolean(),
        seed,
      }),
      program: (p) => () => {
        const x = tf.tensor4d(xVals(p), [p.n, p.h, p.w, p.c]);
        const o = opts(p);
        const resize = (t: tf.Tensor) =>
          (p.nearest ? tf.image.resizeNearestNeighbor : tf.image.resizeBilinear)(
            t as tf.Tensor4D,
            [p.oh, p.ow],
            o.align,
            o.half,
          );
        if (!p.grad) return resize(x);
        const dy = tf.tensor4d(dyVals(p), [p.n, p.oh, p.ow, p.c]);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t), dy)))(x);
      },
      float64: (p) => [resize64(xVals(p), [p.n, p.h, p.w, p.c], [p.oh, p.ow], opts(p), p.grad ? dyVals(p) : undefined)],
      judge: (p) => (p.nearest && !p.grad ? EXACT : { signedZero: false }),
      runs: 100,
      cpuDefects: [
        {
          name: 'nearestGradHangs',
          when: (p) => p.grad && p.nearest && p.align && (p.h === 1 || p.w === 1),
          hangs: true,
        },
        { name: 'bilinearGradShape', when: (p) => p.grad && !p.nearest && p.h !== p.w },
        { name: 'bilinearGradHalfPixel', when: (p) => p.grad && !p.nearest && opts(p).half },
        { name: 'nearestGradBatch', when: (p) => p.grad && p.nearest && p.n > 1 },
        { name: 'nearestGradHalfPixel', when: (p) => p.grad && p.nearest && opts(p).half },
      ],
    });
  });
});
