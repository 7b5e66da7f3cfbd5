/**
 * The Keras layer classes Lanes reads and writes, with the tfjs-layers class each becomes and the
 * arguments Keras 3's constructor takes (the writer keeps only these: Keras 3 refuses unknown
 * keyword arguments). Argument lists follow keras/src/layers/** in Keras 3.
 */

const INIT_REG_CONSTRAINT = (prefixes: readonly string[]): string[] =>
  prefixes.flatMap((p) => [`${p}_initializer`, `${p}_regularizer`, `${p}_constraint`]);

const DENSE_LIKE = ['activation', 'use_bias', ...INIT_REG_CONSTRAINT(['kernel', 'bias']), 'activity_regularizer'];
const CONV = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', ...DENSE_LIKE];
const POOL = ['pool_size', 'strides', 'padding', 'data_format'];
const GLOBAL_POOL = ['data_format', 'keepdims'];
const RNN_COMMON = [
  'units',
  'activation',
  'use_bias',
  ...INIT_REG_CONSTRAINT(['kernel', 'recurrent', 'bias']),
  'activity_regularizer',
  'dropout',
  'recurrent_dropout',
  'return_sequences',
  'return_state',
  'go_backwards',
  'stateful',
  'unroll',
];

/** How a layer's variables are laid out below its group in a Keras 3 `model.weights.h5`. */
type VarLayout = 'own' | 'cell' | 'bidirectional' | 'wrapper' | 'model';

/** One supported Keras class. */
export interface LayerSpec {
  /** tfjs-layers class name (a Lanes layer registered under that name for some). */
  readonly tfjs: string;
  /** Keras 3 constructor arguments besides name, trainable and dtype. */
  readonly args: readonly string[];
  /** Where its variables sit in a Keras 3 weights file (default 'own': `<path>/vars/<i>`). */
  readonly vars?: VarLayout;
  /** Keras module for the writer (default 'keras.layers'). */
  readonly module?: string;
}

const spec = (tfjs: string, args: readonly string[], vars?: VarLayout): LayerSpec => ({ tfjs, args, vars });

/** Keras class name → what it becomes. */
export const LAYERS: Readonly<Record<string, LayerSpec>> = {
  InputLayer: spec('InputLayer', ['batch_shape', 'sparse']),
  Dense: spec('Dense', ['units', ...DENSE_LIKE.filter((k) => k !== 'activity_regularizer')]),
  Conv1D: spec('Conv1D', [...CONV, 'groups']),
  Conv2D: spec('Conv2D', [...CONV, 'groups']),
  Conv2DTranspose: spec('Conv2DTranspose', CONV),
  SeparableConv2D: spec('SeparableConv2D', [
    'filters',
    'kernel_size',
    'strides',
    'padding',
    'data_format',
    'dilation_rate',
    'depth_multiplier',
    'activation',
    'use_bias',
    ...INIT_REG_CONSTRAINT(['depthwise', 'pointwise', 'bias']),
    'activity_regularizer',
  ]),
  DepthwiseConv2D: spec('DepthwiseConv2D', [
    'kernel_size',
    'strides',
    'padding',
    'depth_multiplier',
    'data_format',
    'dilation_rate',
    'activation',
    'use_bias',
    ...INIT_REG_CONSTRAINT(['depthwise', 'bias']),
    'activity_regularizer',
  ]),
  MaxPooling1D: spec('MaxPooling1D', POOL),
  MaxPooling2D: spec('MaxPooling2D', POOL),
  AveragePooling1D: spec('AveragePooling1D', POOL),
  AveragePooling2D: spec('AveragePooling2D', POOL),
  GlobalAveragePooling1D: spec('GlobalAveragePooling1D', GLOBAL_POOL),
  GlobalAveragePooling2D: spec('GlobalAveragePooling2D', GLOBAL_POOL),
  GlobalMaxPooling1D: spec('GlobalMaxPooling1D', GLOBAL_POOL),
  GlobalMaxPooling2D: spec('GlobalMaxPooling2D', GLOBAL_POOL),
  Flatten: spec('Flatten', ['data_format']),
  Reshape: spec('Reshape', ['target_shape']),
  Permute: spec('Permute', ['dims']),
  RepeatVector: spec('RepeatVector', ['n']),
  Dropout: spec('Dropout', ['rate', 'noise_shape', 'seed']),
  SpatialDropout1D: spec('SpatialDropout1D', ['rate', 'seed']),
  SpatialDropout2D: spec('SpatialDropout2D', ['rate', 'data_format', 'seed']),
  GaussianNoise: spec('GaussianNoise', ['stddev', 'seed']),
  GaussianDropout: spec('GaussianDropout', ['rate', 'seed']),
  BatchNormalization: spec('BatchNormalization', [
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    ...INIT_REG_CONSTRAINT(['beta', 'gamma']),
    'moving_mean_initializer',
    'moving_variance_initializer',
  ]),
  LayerNormalization: spec('LayerNormalization', [
    'axis',
    'epsilon',
    'center',
    'scale',
    ...INIT_REG_CONSTRAINT(['beta', 'gamma']),
  ]),
  Activation: spec('Activation', ['activation']),
  ReLU: spec('ReLU', ['max_value', 'negative_slope', 'threshold']),
  LeakyReLU: spec('LeakyReLU', ['negative_slope']),
  ELU: spec('ELU', ['alpha']),
  PReLU: spec('PReLU', [...INIT_REG_CONSTRAINT(['alpha']), 'shared_axes']),
  Softmax: spec('Softmax', ['axis']),
  ZeroPadding2D: spec('ZeroPadding2D', ['padding', 'data_format']),
  UpSampling2D: spec('UpSampling2D', ['size', 'data_format', 'interpolation']),
  Cropping2D: spec('Cropping2D', ['cropping', 'data_format']),
  Embedding: spec('Embedding', ['input_dim', 'output_dim', ...INIT_REG_CONSTRAINT(['embeddings']), 'mask_zero']),
  Masking: spec('Masking', ['mask_value']),
  SimpleRNN: spec('SimpleRNN', RNN_COMMON, 'cell'),
  LSTM: spec('LSTM', [...RNN_COMMON, 'recurrent_activation', 'unit_forget_bias'], 'cell'),
  GRU: spec('GRU', [...RNN_COMMON, 'recurrent_activation', 'reset_after'], 'cell'),
  Bidirectional: spec('Bidirectional', ['layer', 'merge_mode'], 'bidirectional'),
  TimeDistributed: spec('TimeDistributed', ['layer'], 'wrapper'),
  Add: spec('Add', []),
  Subtract: spec('Subtract', []),
  Multiply: spec('Multiply', []),
  Average: spec('Average', []),
  Maximum: spec('Maximum', []),
  Minimum: spec('Minimum', []),
  Concatenate: spec('Concatenate', ['axis']),
  Dot: spec('Dot', ['axes', 'normalize']),
  Rescaling: spec('Rescaling', ['scale', 'offset']),
  Normalization: spec('Normalization', ['axis', 'invert']),
  Sequential: { tfjs: 'Sequential', args: [], vars: 'model', module: 'keras' },
  Functional: { tfjs: 'Model', args: [], vars: 'model', module: 'keras' },
};

/** Keras' names for the same classes in older files. */
export const LAYER_ALIASES: Readonly<Record<string, string>> = {
  Model: 'Functional',
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Deconvolution2D: 'Conv2DTranspose',
  SeparableConvolution2D: 'SeparableConv2D',
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
};

/** Classes that run code from the file (Keras refuses them in safe_mode). */
export const CODE_LAYERS: ReadonlySet<string> = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', 'KerasLambda']);

/** The Keras layer classes {@link loadKerasModel} reads and {@link saveKerasModel} writes, sorted. */
export const SUPPORTED_CLASSES: readonly string[] = Object.keys(LAYERS).sort();

/**
 * keras.src.utils.naming.to_snake_case: the class-derived names under which Keras 3 (and tf-keras
 * 2.13+) file a container's layers in `model.weights.h5` (`_save_container_state` in saving_lib.py).
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
