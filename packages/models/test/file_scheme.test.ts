import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { registerFileSystemScheme } from '../src/node/file_io.js';

// Beside another `file://` handler (as @tensorflow/tfjs-node registers), tfjs must find exactly one
// handler, or loading fails with "Found more than one (2) load handlers".
describe('the file:// scheme', () => {
  const url = 'file:///tmp/lanes-file-scheme/model.json';

  it('answers alone, and gives way when another router claims the URL', () => {
    registerFileSystemScheme();
    const ours = tf.io.getLoadHandlers(url);
    expect(ours).toHaveLength(1);
    expect(tf.io.getSaveHandlers(url)).toHaveLength(1);

    const other: tf.io.IOHandler = {
      load: async () => ({}),
      save: async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
    };
    const router = ((u: string | string[]) => (typeof u === 'string' && u.startsWith('file://') ? other : null)) as (
      u: string | string[],
    ) => tf.io.IOHandler;
    tf.io.registerLoadRouter(router);
    tf.io.registerSaveRouter(router);
    expect(tf.io.getLoadHandlers(url)).toEqual([other]);
    expect(tf.io.getSaveHandlers(url)).toEqual([other]);
  });
});
