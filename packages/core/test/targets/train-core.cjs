// An app on bare tfjs-core + tfjs-layers (CommonJS): trains on 'lanes' and 'cpu'; prints the result as JSON.
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const lanes = require('@lanes/core');

import('./train_check.mjs')
  .then(({ trainCheck }) => trainCheck(tf, tfl, lanes))
  .then((r) => {
    console.log(JSON.stringify(r));
    process.exit(0);
  });
