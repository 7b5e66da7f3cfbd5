// An app on @tensorflow/tfjs that installed @lanes/models without the optional h5wasm: saving a model
// as .keras must say which package to install. Prints what it saw as JSON.
import * as tf from '@tensorflow/tfjs';
import { saveKerasModel } from '@lanes/models';

const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
try {
  await saveKerasModel(model);
  console.log(JSON.stringify({ saved: true }));
} catch (e) {
  console.log(JSON.stringify({ saved: false, name: e.name, message: e.message }));
}
process.exit(0);
