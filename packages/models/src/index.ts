/**
 * `@lanes/models`: backend-agnostic datasets, models, training and evaluation on TensorFlow.js
 * (works on 'lanes', 'cpu', 'wasm', 'webgl'). Node-only helpers (dataset files, file-system model
 * I/O, shipped models) live in `@lanes/models/node`.
 * @packageDocumentation
 */
// Registers the 'lanes' backend, which loads the app's own tfjs-core gradients and chained ops when
// neither @tensorflow/tfjs nor tfjs-layers registered them (see @lanes/core's README).
import '@lanes/core';

export { version } from './version.js';
export { MissingPackageError } from './missing_package.js';
export { Rng } from './random.js';
export { argmaxRows } from './argmax.js';
export { yieldToEventLoop } from './yield.js';

export type { Batch, Column, Dataset } from './data/dataset.js';
export { batchesOf, columnDataset, gatherColumn, range, rowSize, subset, wholeBatch } from './data/dataset.js';
export type { IndexSplit } from './data/split.js';
export { balancedSample, randomSplit, stratifiedSplit } from './data/split.js';
export type { IdxArray } from './data/idx.js';
export { parseIdx } from './data/idx.js';
export type { ImageSet, ImageSplit } from './data/images.js';
export { classCounts, headImages, imageDataset, imageSize, imagesToTensor, takeImages } from './data/images.js';
export type { MnistFiles } from './data/mnist.js';
export { MNIST_CLASSES, mnistSetFromIdx, parseMnist } from './data/mnist.js';
export { decodeImageAsset, encodeImageAsset } from './data/image_asset.js';
export type { MnistInput, PixelImage } from './data/mnist_input.js';
export { centreDigit, toMnistInput } from './data/mnist_input.js';
export type { Vocabulary } from './data/vocabulary.js';
export { buildVocabulary, encodeTokens, PAD_ID, UNKNOWN_ID } from './data/vocabulary.js';
export type { EmailParts } from './data/email.js';
export { emailParts, emailText, tokenizeWords } from './data/email.js';
export type { SpamAssassinMessage, SpamData, SpamDataOptions, SpamEncoding } from './data/spam.js';
export type { SpamMessageSplit } from './data/spam.js';
export { encodeEmail, isSpamGroup, prepareSpamData, splitSpamMessages } from './data/spam.js';
export type { SpamCharData, SpamCharDataOptions, SpamCharEncoding } from './data/spam_chars.js';
export {
  buildCharAlphabet,
  CHAR_OTHER_ID,
  CHAR_PAD_ID,
  encodeCharText,
  encodeEmailChars,
  prepareSpamCharData,
  spamCharText,
  spamCharVocabSize,
} from './data/spam_chars.js';
export type { NameEncoding, NamesData, NamesDataOptions } from './data/names.js';
export {
  charId,
  encodeNameContext,
  NAME_ALPHABET,
  NAME_BOUNDARY_ID,
  nameVocabSize,
  normalizeNames,
  prepareNamesData,
} from './data/names.js';
export type { PriceSeries, SeriesData, SeriesDataOptions, SeriesEncoding, SeriesPart } from './data/series.js';
export {
  encodeSeriesWindow,
  logReturns,
  parseSp500Daily,
  parseStocksMonthly,
  prepareSeriesData,
} from './data/series.js';

export type { CnnOptions, CompileOptions } from './models/cnn.js';
export { buildCnn, compileClassifier, penultimateFeatures } from './models/cnn.js';
export type { MlpOptions } from './models/mlp.js';
export { buildMlp } from './models/mlp.js';
// Classifiers of the same pixels in another layout ([N, 28, 28] or [N, 784] for [N, 28, 28, 1]).
export { withImageInput } from './models/image_input.js';
export type { DiscriminatorOptions, GeneratorOptions } from './models/dcgan.js';
export { buildDcganDiscriminator, buildDcganGenerator } from './models/dcgan.js';
export { generateImages, interpolateLatent, latentDimOf, sampleLatent } from './models/latent.js';
export {
  codeThresholds,
  latentCodeOf,
  normalQuantile,
  sampleLatentPerCode,
  sampleLatentWithCode,
} from './models/latent_code.js';
export type { RecurrentKind, RecurrentLayerOptions } from './models/recurrent_layer.js';
export { recurrentLayer } from './models/recurrent_layer.js';
export type { GRUGates, LanesGRUArgs, LSTMGates } from './recurrent/index.js';
export type { Kwargs } from './recurrent/fused.js';
export { gruLayer, LanesGRU, LanesLSTM, lstmLayer } from './recurrent/index.js';
export type { NamesModelOptions, SeriesModelOptions, SpamModelOptions } from './models/recurrent_models.js';
export { buildNamesModel, buildSeriesModel, buildSpamClassifier } from './models/recurrent_models.js';
export { seededDropout } from './models/seeded_dropout.js';
export type { FoldedModel } from './models/fold_batchnorm.js';
export { foldBatchNorm } from './models/fold_batchnorm.js';
export type { ModelKind, ModelMetadata } from './models/metadata.js';
export { generatorCodesOf, getModelMetadata, requireModelMetadata, setModelMetadata } from './models/metadata.js';

export type {
  BatchProgress,
  CheckpointOptions,
  EarlyStoppingOptions,
  EpochProgress,
  Logs,
  RunControl,
  StopReason,
  TrainCallbacks,
} from './train/callbacks.js';
export type { TrainOptions, TrainResult } from './train/train.js';
export { setLearningRate, trainModel } from './train/train.js';
export { evaluateLoss } from './train/evaluate_loss.js';
export type { GanFitOptions, GanFitResult, GanLoss, GanTrainerOptions } from './train/gan_trainer.js';
export { GAN_LOG_KEYS, GanTrainer } from './train/gan_trainer.js';
export { runProgress } from './train/callbacks.js';

export type { ClassifierEvaluation } from './eval/classifier.js';
export {
  confusionMatrix,
  datasetTargets,
  evaluateBinaryClassifier,
  evaluateClassifier,
  predictDataset,
} from './eval/classifier.js';
export { frechetDistance } from './eval/frechet.js';
export { meanAndCovariance, sqrtPsd, symmetricEigen } from './eval/linalg.js';
export type { GeneratorEvaluation, GeneratorEvaluationOptions } from './eval/generator.js';
export { evaluateGenerator } from './eval/generator.js';
export type { CodeJudgement } from './eval/codes.js';
export { judgeCodes } from './eval/codes.js';
export type { GenerateNamesOptions, NameStatistics } from './eval/names.js';
export { generateNames, looksPronounceable, nameStatistics } from './eval/names.js';
export type { SeriesEvaluation } from './eval/series.js';
export { evaluateSeriesModel, predictNextPrices } from './eval/series.js';
export { classifyEmails, spamInput, spamInputTokens } from './eval/spam.js';
export { classifyEmailChars, spamCharInput, spamInputChars } from './eval/spam_chars.js';
export type { ConvFilters, LayerOutput } from './eval/inspect.js';
export { convFilters, layerOutputs } from './eval/inspect.js';
export type { LstmTrace } from './eval/lstm_trace.js';
export { findLstmLayer, traceLstm } from './eval/lstm_trace.js';

export type {
  BatchNormArm,
  BatchNormExperimentOptions,
  BatchNormExperimentResult,
  BatchNormVariant,
} from './experiments/batchnorm.js';
export { runBatchNormExperiment } from './experiments/batchnorm.js';

export type { RecipeOptions, RecipeResult } from './recipes/types.js';
export type {
  RecipeEntry,
  RecipeInputLoader,
  RecipeInputs,
  RecipeOutcome,
  RecipeRunOptions,
} from './recipes/recipe-entry.js';
export { RECIPE_NAMES, RECIPES, recipeEntry, recipeSettings, runRecipe } from './recipes/registry.js';
export type { SettingSpec, SettingValue } from './settings.js';
export { checkSetting } from './settings.js';
export type { AttackInfo, RecipeInfo, WorkflowCatalog } from './workflows.js';
export { workflowCatalog } from './workflows.js';
export type { MnistCnnRecipeOptions } from './recipes/mnist_cnn.js';
export { MNIST_CNN_ARCHITECTURE, trainMnistCnn } from './recipes/mnist_cnn.js';
export type { MnistDcganRecipeOptions, MnistDcganRecipeResult } from './recipes/mnist_dcgan.js';
export { trainMnistDcgan } from './recipes/mnist_dcgan.js';
export type { SpamLstmRecipeOptions } from './recipes/spam_lstm.js';
export { trainSpamLstm } from './recipes/spam_lstm.js';
export type { SpamCharLstmRecipeOptions, SpamCharMetrics } from './recipes/spam_char_lstm.js';
export { trainSpamCharLstm } from './recipes/spam_char_lstm.js';
export { ClippedAdamOptimizer } from './train/clipped_adam.js';
export type { NamesLstmRecipeOptions, NamesMetrics } from './recipes/names_lstm.js';
export { trainNamesLstm } from './recipes/names_lstm.js';
export type { StocksGruRecipeOptions, StocksMetrics } from './recipes/stocks_gru.js';
export { trainStocksGru } from './recipes/stocks_gru.js';

export type { PretrainedName } from './pretrained.js';
export { PRETRAINED_MODELS, PRETRAINED_NAMES } from './pretrained.js';

// The adversarial toolkit (src/adversarial/).
export * from './adversarial/index.js';

// Input checks the public entry points run (exported so UIs can run them before a long job).
export type { TensorSpec } from './validate.js';
export {
  checkAttackInputs,
  checkCount,
  checkFeatures,
  checkImageSet,
  checkLabels,
  checkModelInput,
  checkModelWeights,
  checkPrices,
  checkTensor,
  checkTensorAsync,
  checkTensorShape,
  checkValues,
  checkWeightBytes,
  InvalidInputError,
  modelInputShape,
  weightBytes,
} from './validate.js';

// Keras model files (src/keras/): their HDF5 and zip libraries load on first use.
export type { KerasContainer, KerasSource, LoadKerasOptions } from './keras/index.js';
export {
  KERAS_FORMAT_VERSION,
  KERAS_LAYER_CLASSES,
  kerasContainerOf,
  loadKerasModel,
  saveKerasModel,
} from './keras/index.js';
