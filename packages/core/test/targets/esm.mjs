// Node ESM consumer of the built packages: prints the check's JSON on the last line.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as lanes from '@lanes/core';
import { check } from './check.mjs';

console.log(JSON.stringify(await check(tf, lanes)));
