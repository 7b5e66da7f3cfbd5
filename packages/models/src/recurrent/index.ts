/**
 * Fused LSTM and GRU layers: tfjs-layers' own layers whose calls run @lanes/core's fused ops.
 * Importing this module registers them for serialisation under tfjs-layers' class names
 * ('LSTM', 'GRU'), so saved models stay loadable by stock tfjs-layers and load as these layers.
 */
import { serialization } from '@tensorflow/tfjs-core';
import { LanesLSTM } from './lstm_layer.js';
import { LanesGRU } from './gru_layer.js';

// Their inherited static fromConfig (new cls(config)) is what registerClass needs.
serialization.registerClass(LanesLSTM as unknown as serialization.SerializableConstructor<LanesLSTM>);
serialization.registerClass(LanesGRU as unknown as serialization.SerializableConstructor<LanesGRU>);

export { LanesLSTM, lstmLayer } from './lstm_layer.js';
export type { LSTMGates } from './lstm_layer.js';
export { LanesGRU, gruLayer } from './gru_layer.js';
export type { GRUGates, LanesGRUArgs } from './gru_layer.js';
