// Node CommonJS consumer of the built packages: prints the check's JSON on the last line.
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const lanes = require('@lanes/core');

import('./check.mjs').then(({ check }) => check(tf, lanes)).then((r) => console.log(JSON.stringify(r)));
