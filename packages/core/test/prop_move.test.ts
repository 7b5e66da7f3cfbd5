// Property tests of the data-movement kernels against tfjs-backend-cpu: transpose, concat / stack,
// slice / stridedSlice, split / unstack, reverse, pad / mirrorPad, tile, gather / gatherND, resize
// bilinear / nearest and their gradients. Moves are exact: values, NaN payload-free NaN-ness,
// infinities and the sign of zero all must survive (tolerance 0). See prop_harness.ts.
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkProperty, fc, rand, reportCounts, SPECIALS } from './prop_harness.js';

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
const EXACT = { tol: 0 };

/** A tensor of `shape` and `dt` with specials (float32) or spread integers / bools. */
function input(shape: number[], dt: 'float32' | 'int32' | 'bool', s: number): tf.Tensor {
  const x = rand(shape, s, { lo: -50, hi: 50, specials: SPECIALS, every: 6 });
  if (dt === 'float32') return x;
  return dt === 'bool' ? tf.greater(x, 0) : tf.cast(tf.round(x), 'int32');
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

describe('property: data movement vs tfjs-cpu (exact)', () => {
  it('transpose: ranks 0-5, every permutation, dtypes', async () => {
    await checkProperty({
      name: 'transpose',
      params: shapeOf(0, 5).chain((shape) =>
        fc.record({ shape: fc.constant(shape), perm: perm(shape.length), dt: dtype, seed }),
      ),
      program: (p) => () => tf.transpose(input(p.shape, p.dt, p.seed), p.perm),
      tolerance: EXACT,
      runs: 50,
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
      tolerance: EXACT,
      runs: 40,
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
      tolerance: EXACT,
      runs: 50,
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
  function stridedSlice(p: StridedCase, unitShrinkStrides: boolean): () => tf.Tensor {
    return () => {
      const n = Math.min(p.n, p.shape.length);
      const shrink = p.shrink & ~p.newAxis & ~p.ellipsis & ((1 << n) - 1);
      const begin = p.begin.slice(0, n),
        end = p.end.slice(0, n);
      // With a shrunk axis, strides 1 elsewhere: tfjs-backend-cpu's strided path mishandles shrinking
      // (below), and no reference spelled with cpu ops is simple enough to trust instead.
      const strides = p.strides
        .slice(0, n)
        .map((s, i) => (shrink === 0 ? s : (shrink >> i) & 1 ? (unitShrinkStrides ? 1 : s) : 1));
      return tf.stridedSlice(
        input(p.shape, p.dt, p.seed),
        begin,
        end,
        strides,
        p.beginMask,
        p.endMask,
        p.ellipsis,
        p.newAxis,
        shrink,
      );
    };
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
      program: (p) => stridedSlice(p, false),
      // A shrunk axis takes one element whatever its (positive) stride, but tfjs-backend-cpu's
      // strided path gets it wrong: x = range(14) as [7, 2], begin [2], end [0], strides [2],
      // shrink 1 gives [2, 4] (the stride lands on the next axis; right: x[2] = [4, 5]), and a
      // rank-0 result throws ("The number of provided coordinates (1) must match the rank (0)").
      // The reference gives shrunk axes stride 1, which cpu handles.
      reference: (p) => () => {
        const n = Math.min(p.n, p.shape.length);
        const shrink = p.shrink & ~p.newAxis & ~p.ellipsis & ((1 << n) - 1);
        // TensorFlow refuses a shrunk axis with a stride ≤ 0; tfjs-core's slice_util says so too.
        if (p.strides.slice(0, n).some((s, i) => (shrink >> i) & 1 && s <= 0))
          throw new Error('only stride 1 allowed on non-range indexing.');
        // An empty result (e.g. x [2], begin 1, end 0) makes cpu's slice path throw ("Size(1) must
        // match the product of shape 0"): tfjs-core's own slice geometry gives the empty shape.
        const info = tf.slice_util.sliceInfo(
          p.shape,
          p.begin.slice(0, n),
          p.end.slice(0, n),
          p.strides.slice(0, n).map((s, i) => ((shrink >> i) & 1 ? 1 : shrink === 0 ? s : 1)),
          p.beginMask,
          p.endMask,
          p.ellipsis,
          p.newAxis,
          shrink,
        );
        if (info.finalShape.some((d) => d === 0)) return tf.zeros(info.finalShape, p.dt);
        return stridedSlice(p, true)();
      },
      tolerance: EXACT,
      runs: 60,
      // An error on cpu (e.g. an out-of-range shrink) must be an error on lanes; the harness checks that.
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
      // tfjs-backend-cpu fills only when the constant !== 0, so -0 pads as +0; Lanes keeps -0 (as
      // TensorFlow). The reference pads with +0 for -0.
      reference: (p) => () => {
        const x = input(p.shape, p.dt, p.seed);
        if (p.mode !== 'constant')
          return tf.mirrorPad(
            x,
            p.shape.map((d, i) => [
              Math.min(p.pads[i][0], Math.max(0, p.mode === 'reflect' ? d - 1 : d)),
              Math.min(p.pads[i][1], Math.max(0, p.mode === 'reflect' ? d - 1 : d)),
            ]) as Array<[number, number]>,
            p.mode as 'reflect',
          );
        const pads = p.shape.map((_, i) => p.pads[i]) as Array<[number, number]>;
        const padded = tf.pad(x, pads, p.dt === 'float32' ? p.value : 1);
        if (!Object.is(p.value, -0) || p.dt !== 'float32') return padded;
        // cpu's +0 border turned into -0 where Lanes writes it: mask of the border, then -0 there.
        const inside = tf.pad(tf.ones(p.shape), pads, 0);
        return tf.where(tf.cast(inside, 'bool'), padded, tf.fill(padded.shape, -0));
      },
      tolerance: EXACT,
      runs: 50,
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
      tolerance: EXACT,
      runs: 40,
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
  function gatherProgram(p: GatherCase): () => tf.Tensor {
    return () => {
      const x = input(p.shape, p.dt, p.seed);
      const r = () => (p.seed % 997) / 997;
      if (p.nd) {
        // indices [nIdx, k] into the first k dims.
        const k = 1 + (p.axis % p.shape.length);
        const idx: number[] = [];
        for (let i = 0; i < p.nIdx; i++)
          for (let j = 0; j < k; j++) idx.push(Math.floor((((i * 7 + j * 3 + p.seed) % 101) / 101) * p.shape[j]));
        if (p.shape.slice(0, k).some((d) => d === 0)) return tf.zeros([0]);
        return tf.gatherND(x, tf.tensor2d(idx, [p.nIdx, k], 'int32'));
      }
      const axis = p.axis % p.shape.length;
      const batchDims = Math.min(p.batchDims, axis);
      const d = p.shape[axis];
      // Indices of shape [...x.shape[:batchDims], nIdx] in [0, d).
      const iShape = [...p.shape.slice(0, batchDims), p.nIdx];
      const n = iShape.reduce((a, b) => a * b, 1);
      const idx = Array.from({ length: n }, (_, i) =>
        d === 0 ? 0 : Math.floor((((i * 13 + p.seed) % 89) / 89) * d + r()) % d,
      );
      if (d === 0 && n > 0) return tf.zeros([0]);
      return tf.gather(x, tf.tensor(idx, iShape, 'int32'), axis, batchDims);
    };
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
      // tfjs-backend-cpu's gather with batchDims reshapes an empty x to a NaN shape and throws
      // (x [7,0,1], axis 2, batchDims 2, no indices); the result is empty, of shape
      // x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis + 1:].
      reference: (p) => () => {
        const axis = p.axis % p.shape.length;
        const batchDims = Math.min(p.batchDims, axis);
        const size = p.shape.reduce((a, b) => a * b, 1);
        const n = p.shape.slice(0, batchDims).reduce((a, b) => a * b, p.nIdx);
        if (p.nd || batchDims === 0 || (size > 0 && p.nIdx > 0) || (p.shape[axis] === 0 && n > 0))
          return gatherProgram(p)();
        const out = [...p.shape.slice(0, axis), p.nIdx, ...p.shape.slice(axis + 1)];
        return tf.zeros(out, p.dt);
      },
      tolerance: EXACT,
      runs: 50,
    });
  });

  it('resize bilinear / nearest (alignCorners, halfPixelCenters) and their gradients', async () => {
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
        // alignCorners and halfPixelCenters are exclusive in tfjs.
        const half = p.half && !p.align;
        const x = rand([p.n, p.h, p.w, p.c], p.seed, { specials: p.specials && !p.grad ? SPECIALS : [], every: 9 });
        const resize = (t: tf.Tensor) =>
          (p.nearest ? tf.image.resizeNearestNeighbor : tf.image.resizeBilinear)(
            t as tf.Tensor4D,
            [p.oh, p.ow],
            p.align,
            half,
          );
        if (!p.grad) return resize(x);
        const dy = rand([p.n, p.oh, p.ow, p.c], p.seed + 1);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t), dy)))(x);
      },
      // Two tfjs-backend-cpu bugs the reference steps around: its ResizeBilinearGrad declares the
      // shape [batch, width, height, depth] (values laid out right; tfjs-core's gradient check
      // throws whenever height ≠ width), so the reference reshapes the kernel's output; and its
      // ResizeNearestNeighborGrad mixes up batch items (x [2,1,1,1], dy [[1,2]],[[10,20]] gives
      // [3, 12]; right: [3, 30]), so the reference runs one batch item at a time (and never hangs it, below).
      reference: (p) => () => {
        if (p.grad && p.n === 0) return tf.zeros([0, p.h, p.w, p.c]);
        const half = p.half && !p.align;
        const x = rand([p.n, p.h, p.w, p.c], p.seed, { specials: p.specials && !p.grad ? SPECIALS : [], every: 9 });
        const resize = (t: tf.Tensor) =>
          (p.nearest ? tf.image.resizeNearestNeighbor : tf.image.resizeBilinear)(
            t as tf.Tensor4D,
            [p.oh, p.ow],
            p.align,
            half,
          );
        if (!p.grad) return resize(x);
        const dy = rand([p.n, p.oh, p.ow, p.c], p.seed + 1);
        const attrs = { alignCorners: p.align, halfPixelCenters: half };
        if (!p.nearest)
          return (tf.engine().runKernel('ResizeBilinearGrad', { images: x, dy }, attrs) as tf.Tensor).reshape(x.shape);
        // With alignCorners, an input dim of 1 makes cpu's window infinite (it never returns): every
        // output row then reads input row 0, so the same gradient comes from dy summed to one row.
        let dyRef = dy;
        if (p.align && p.h === 1) dyRef = tf.sum(dyRef, 1, true);
        if (p.align && p.w === 1) dyRef = tf.sum(dyRef, 2, true);
        const items = tf.split(x, p.n, 0),
          dys = tf.split(dyRef, p.n, 0);
        return tf.concat(
          items.map(
            (xi, b) =>
              tf.engine().runKernel('ResizeNearestNeighborGrad', { images: xi, dy: dys[b] }, attrs) as tf.Tensor,
          ),
          0,
        );
      },
      // Bilinear weights in float32 here, float64 on cpu (see resize.test.ts); nearest is a move.
      tolerance: (p) => (p.nearest && !p.grad ? EXACT : { tol: 1e-6, signedZero: false }),
      runs: 50,
    });
  });
});
