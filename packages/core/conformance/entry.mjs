// The bundle's entry: jasmine and the test environment first, then the backend (virtual module
// `conformance:backend`, chosen by run.mjs), gradients and chained ops, then tfjs-core's test files.
import { jasmine } from './setup.mjs';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/tests';

export { backendInfo } from 'conformance:backend';

/**
 * Runs every registered spec in declaration order with `reporter` attached.
 * @param {object} reporter a jasmine reporter
 * @param {string | undefined} filter only specs whose full name contains it (debugging aid)
 */
export async function runSuite(reporter, filter) {
  const env = jasmine.getEnv();
  env.configure({
    random: false,
    ...(filter ? { specFilter: (spec) => spec.getFullName().includes(filter) } : {}),
  });
  env.clearReporters();
  env.addReporter(reporter);
  return env.execute();
}
