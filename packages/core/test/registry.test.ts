// Every kernel registered for 'lanes' is named by tfjs-core (its exported kernel-name constants),
// or is one of our own fused recurrent kernels, named here explicitly.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GRU_GRAD_KERNEL, GRU_KERNEL, LSTM_GRAD_KERNEL, LSTM_KERNEL } from '../src/index.js';
import { nativeKernels } from '../src/kernels/registry.js';

const OWN_KERNELS = new Set(['LanesLSTM', 'LanesLSTMGrad', 'LanesGRU', 'LanesGRUGrad']);

/** tfjs-core's kernel names: its exported string constants whose value is their own name. */
const tfjsKernelNames = new Set(
  Object.entries(tf).flatMap(([key, value]) => (typeof value === 'string' && value === key ? [key] : [])),
);

describe('kernel registry', () => {
  it('our own kernels are the fused LSTM and GRU ones', () => {
    expect(new Set([LSTM_KERNEL, LSTM_GRAD_KERNEL, GRU_KERNEL, GRU_GRAD_KERNEL])).toEqual(OWN_KERNELS);
  });

  it("registers for 'lanes' only kernels tfjs-core names (or our own), each once", () => {
    expect(tfjsKernelNames.has('Conv2D')).toBe(true);
    expect(tfjsKernelNames.size).toBeGreaterThan(150);
    const registered = tf.getKernelsForBackend('lanes').map((k) => k.kernelName);
    expect(registered.length).toBeGreaterThan(nativeKernels.length);
    expect(new Set(registered).size).toBe(registered.length);
    const unknown = registered.filter((name) => !tfjsKernelNames.has(name) && !OWN_KERNELS.has(name));
    expect(unknown).toEqual([]);
  });

  it('registers every native kernel for lanes, once in the native list', () => {
    const native = nativeKernels.map((k) => k.kernelName);
    expect(new Set(native).size).toBe(native.length);
    const registered = new Set(tf.getKernelsForBackend('lanes').map((k) => k.kernelName));
    for (const name of native) expect(registered.has(name), name).toBe(true);
    for (const name of OWN_KERNELS) expect(native).toContain(name);
  });
});
