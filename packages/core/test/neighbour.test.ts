import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { LANES_PRIORITY } from '../src/index.js';

// Importing Lanes must not change which backend an app runs on: tfjs picks the registered backend of
// highest priority (cpu registers at 1, webgl and wasm at 2, webgpu at 3); 'lanes' is chosen by name.
describe('backend priority', () => {
  it('sits below every tfjs backend', () => {
    expect(LANES_PRIORITY).toBeGreaterThan(0);
    expect(LANES_PRIORITY).toBeLessThan(1);
  });

  it('an app stays on its accelerated backend, or on cpu, until it calls setBackend("lanes")', async () => {
    tf.registerBackend('accelerated', () => new MathBackendCPU(), 2);
    await tf.ready();
    expect(tf.getBackend()).toBe('accelerated');
    tf.removeBackend('accelerated');
    await tf.ready();
    expect(tf.getBackend()).toBe('cpu');
    expect(await tf.setBackend('lanes')).toBe(true);
    expect(tf.getBackend()).toBe('lanes');
  });
});
