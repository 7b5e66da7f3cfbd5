import type { KernelConfig } from '@tensorflow/tfjs-core';

/** A kernel of this backend: registry.ts registers it under the backend's name. */
export type LanesKernel = Omit<KernelConfig, 'backendName'>;
