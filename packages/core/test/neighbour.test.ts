import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { LANES_PRIORITY } from '../src/index.js';

// 'lanes' must not take an app off an accelerated backend by default: tfjs picks the registered
// backend of highest priority (webgl and wasm register at 2, webgpu at 3, cpu at 1).
describe('backend priority', () => {
  it('sits above cpu and below webgl, wasm and webgpu', () => {
    expect(LANES_PRIORITY).toBeGreaterThan(1);
    expect(LANES_PRIORITY).toBeLessThan(2);
  });

  it('an app with a backend at webgl/wasm priority stays on it; with only cpu beside it, lanes is picked', async () => {
    tf.registerBackend('accelerated', () => new MathBackendCPU(), 2);
    await tf.ready();
    expect(tf.getBackend()).toBe('accelerated');
    tf.removeBackend('accelerated');
    await tf.ready();
    expect(tf.getBackend()).toBe('lanes');
  });
});
