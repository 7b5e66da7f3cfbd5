import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `pnpm test:deep`: the reliability suites at full size (LANES_DEEP=1): ≥ 20 000 property cases
// judged by float64 references (tfjs-backend-cpu judged alike, its disagreements attributed to
// cpu_defects.ts), 2 000-step soaks, out-of-memory and worker-fault tests. The global setup sums
// and prints the property cases every file ran, and fails the run below 20 000.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/prop_*.test.ts', 'test/soak*.test.ts', 'test/oom*.test.ts', 'test/faults*.test.ts'],
    env: { LANES_DEEP: '1', LANES_PROP_COUNTS: '.results/prop-counts' },
    globalSetup: ['test/deep/count_cases.ts'],
    testTimeout: 0,
    hookTimeout: 0,
  },
});
