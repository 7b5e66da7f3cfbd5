// tfjs-backend-cpu's kernel functions run on 'lanes' unchanged: our storage records have the shape
// they read (values / complexTensorInfos / refCount) and the backend has the helpers they call.
// Lanes uses them for the long tail and for dtypes its wasm kernels do not cover.
import '@tensorflow/tfjs-backend-cpu';
import {
  getKernel,
  getKernelsForBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** Runs tfjs-backend-cpu's implementation of kernel `name` on the given backend. */
export function cpuKernel(name: string): KernelFunc {
  const config = getKernel(name, 'cpu');
  if (!config) throw new Error(`Lanes: no kernel '${name}' in tfjs-backend-cpu to fall back to`);
  return config.kernelFunc as KernelFunc;
}

/** Every tfjs-backend-cpu kernel that `native` does not implement, registered for `backendName`. */
export function cpuFallbackConfigs(backendName: string, native: ReadonlySet<string>): KernelConfig[] {
  return getKernelsForBackend('cpu')
    .filter((c) => !native.has(c.kernelName))
    .map((c) => ({ kernelName: c.kernelName, backendName, kernelFunc: c.kernelFunc }));
}

/** Shorthand: call a cpu kernel with inputs/attrs on a backend and get its single output. */
export function runCpu(
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
  backend: object,
): TensorInfo {
  return cpuKernel(name)({ inputs, attrs, backend } as Parameters<KernelFunc>[0]) as TensorInfo;
}
