// The module's exports against the declared contract: every build exports exactly the functions
// that kernelArity (and so KernelExports) lists, each with its declared parameter count.
import { describe, expect, it } from 'vitest';
import { BUILD_ORDER, compileKernels } from '../src/index.js';
import { kernelArity } from '../src/kernels.js';

describe('kernel exports', () => {
  for (const build of BUILD_ORDER)
    for (const shared of [false, true])
      it(`${build} (${shared ? 'shared' : 'plain'} memory) exports exactly KernelExports, with its arities`, async () => {
        const module = await compileKernels(build, shared);
        const exported = WebAssembly.Module.exports(module);
        // The imported memory is re-exported by asc; everything else must be a declared kernel.
        const functions = exported.filter((e) => e.kind === 'function').map((e) => e.name);
        expect(exported.filter((e) => e.kind !== 'function').map((e) => e.name)).toEqual(['memory']);
        expect([...functions].sort()).toEqual(Object.keys(kernelArity).sort());
        const memory = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared } as WebAssembly.MemoryDescriptor);
        const instance = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } });
        for (const [name, arity] of Object.entries(kernelArity))
          expect((instance.exports[name] as (...args: number[]) => unknown).length, name).toBe(arity);
      });
});
