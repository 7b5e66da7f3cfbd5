/**
 * AssemblyScript WebAssembly kernels for Lanes: pure functions over pointers into one linear
 * memory, in relaxed-SIMD, SIMD and scalar builds. Knows nothing of TensorFlow.js.
 * @packageDocumentation
 */
export * from './opcodes.js';
export * from './layouts.js';
export type { KernelExports, KernelName } from './kernels.js';
export {
  BUILD_ORDER,
  kernelBytes,
  supportsBuild,
  pickBuild,
  isSharedMemory,
  compileKernels,
  instantiateKernels,
  loadKernels,
} from './loader.js';
export type { BuildName } from './loader.js';
export { version } from './version.js';
