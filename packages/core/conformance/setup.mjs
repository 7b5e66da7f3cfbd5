// Runs before any tfjs-core test file is evaluated: their describeWithFlags calls read the test
// environment list and jasmine's globals at import time.
// jasmine.js itself, not jasmine-core's Node entry (which reads files relative to __dirname).
import jasmineRequire from 'jasmine-core/lib/jasmine-core/jasmine.js';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { backendName } from 'conformance:backend';

/** The jasmine instance whose globals (describe, it, expect…) the test files use. */
export const jasmine = jasmineRequire.core(jasmineRequire);
Object.assign(globalThis, jasmineRequire.interface(jasmine, jasmine.getEnv()));
// tfjs's own runner allows 20 s per spec (jasmine_util sets it on a private jasmine copy).
jasmine.DEFAULT_TIMEOUT_INTERVAL = 20000;

// Exactly one environment: the backend under test. isDataSync as tfjs-backend-cpu and -wasm declare it.
setTestEnvs([{ name: backendName, backendName, isDataSync: true }]);
