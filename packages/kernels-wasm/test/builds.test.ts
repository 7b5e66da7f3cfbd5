import { describe, expect, it } from 'vitest';
import {
  BUILD_ORDER,
  BinaryOp,
  GemmAttr,
  attrWords,
  ReduceOp,
  UnaryOp,
  instantiateKernels,
  pickBuild,
  supportsBuild,
  compileKernels,
  type BuildName,
  type KernelExports,
} from '../src/index.js';

const BASE = 1 << 16;

async function instance(build: BuildName, shared: boolean) {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared } as WebAssembly.MemoryDescriptor);
  const k = instantiateKernels(await compileKernels(build, shared), memory);
  return { k, memory };
}

function fill(memory: WebAssembly.Memory, ptr: number, values: number[]): void {
  new Float32Array(memory.buffer, ptr, values.length).set(values);
}
function read(memory: WebAssembly.Memory, ptr: number, n: number): number[] {
  return Array.from(new Float32Array(memory.buffer, ptr, n));
}

/** Runs one small workload through every kernel and returns all outputs. */
function workload(k: KernelExports, memory: WebAssembly.Memory): number[] {
  const n = 11; // two vectors and a remainder of 3
  const x = BASE,
    y = BASE + 64,
    out = BASE + 128,
    attr = BASE + 192,
    packed = BASE + 256,
    c = BASE + 1024;
  const xs = Array.from({ length: n }, (_, i) => (i - 5) * 0.37);
  const ys = Array.from({ length: n }, (_, i) => 1 + i * 0.11);
  fill(memory, x, xs);
  fill(memory, y, ys);
  const results: number[] = [];
  for (const op of [UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.ROUND, UnaryOp.ELU]) {
    k.unary_f32(op, x, out, 0, 0, 0, n);
    results.push(...read(memory, out, n));
  }
  new Int32Array(memory.buffer, attr, 4).set([1, n, 1, 1]);
  for (const op of [BinaryOp.ADD, BinaryOp.DIV, BinaryOp.MAX, BinaryOp.POW]) {
    k.binary_f32(op, x, y, out, attr, 0, 1);
    results.push(...read(memory, out, n));
  }
  for (const op of [ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MEAN]) {
    k.reduce_f32(op, x, out, n, 0, 1);
    results.push(...read(memory, out, 1));
  }
  // (3×1)·(1×5) GEMM: a row remainder and a partial column panel.
  const packedA = packed,
    packedB = packed + 128;
  k.gemm_pack_a_f32(y, packedA, 3, 1, 1, 1, 0, 1);
  k.gemm_pack_b_f32(x, packedB, 1, 5, 5, 1, 0, 1);
  const gemm = attrWords(GemmAttr, {
    M: 3,
    N: 5,
    K: 1,
    LDC: 5,
    BIAS: 0,
    ACT: 0,
    ALPHA: 0,
    PRELU: 0,
    KC: 256,
    ROW_PANELS: 1,
    BLOCK_PANELS: 1,
  });
  new Int32Array(memory.buffer, attr, gemm.length).set(gemm);
  k.gemm_f32(packedA, packedB, c, attr, 0, 1);
  results.push(...read(memory, c, 15));
  return results;
}

describe('kernel builds', () => {
  it('selects a build this runtime validates, SIMD or better with the relaxed-SIMD flag', () => {
    expect(supportsBuild('scalar', false)).toBe(true);
    expect(supportsBuild('simd', true)).toBe(true);
    expect(pickBuild(true)).toBe('relaxed-simd');
    expect(pickBuild(false, 'scalar')).toBe('scalar');
  });

  it('gives the same numbers from every build and memory kind (one source, six modules)', async () => {
    const outputs: Record<string, number[]> = {};
    for (const build of BUILD_ORDER)
      for (const shared of [true, false]) {
        const { k, memory } = await instance(build, shared);
        expect(k.heap_base()).toBeGreaterThan(0);
        expect(k.heap_base()).toBeLessThan(BASE);
        outputs[`${build}-${shared}`] = workload(k, memory);
      }
    const ref = outputs['scalar-false'];
    expect(ref.some((v) => v !== 0)).toBe(true);
    for (const [name, out] of Object.entries(outputs)) {
      expect(out.length, name).toBe(ref.length);
      // Vector exp/tanh/sigmoid are polynomial approximations; FMA rounds once: 2e-6 relative.
      out.forEach((v, i) => {
        if (Number.isNaN(ref[i])) expect(v, `${name}[${i}]`).toBeNaN();
        else expect(Math.abs(v - ref[i]) / Math.max(1, Math.abs(ref[i])), `${name}[${i}]`).toBeLessThan(2e-6);
      });
    }
  });
});
