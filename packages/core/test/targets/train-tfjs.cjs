// An app on @tensorflow/tfjs (CommonJS): trains on 'lanes' and 'cpu'; prints the result as JSON.
const tf = require('@tensorflow/tfjs');
const lanes = require('@lanes/core');

import('./train_check.mjs')
  .then(({ trainCheck }) => trainCheck(tf, tf, lanes))
  .then((r) => {
    console.log(JSON.stringify(r));
    process.exit(0);
  });
