// An app on bare tfjs-core + tfjs-layers (ESM): trains on 'lanes' and 'cpu'; prints the result as JSON.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as lanes from '@lanes/core';
import { trainCheck } from './train_check.mjs';

console.log(JSON.stringify(await trainCheck(tf, tfl, lanes)));
process.exit(0);
