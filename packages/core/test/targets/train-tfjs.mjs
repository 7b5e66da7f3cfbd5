// An app on @tensorflow/tfjs (ESM): trains on 'lanes' and 'cpu'; prints the result as JSON.
import * as tf from '@tensorflow/tfjs';
import * as lanes from '@lanes/core';
import { trainCheck } from './train_check.mjs';

console.log(JSON.stringify(await trainCheck(tf, tf, lanes)));
process.exit(0);
