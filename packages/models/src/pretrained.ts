/** The models shipped under `packages/models/pretrained/<name>/` (model.json + weights.bin + MODEL.md). */

/** Names of the shipped models. */
export type PretrainedName =
  | 'mnist-cnn'
  | 'mnist-cnn-robust'
  | 'mnist-dcgan-generator'
  | 'spam-lstm'
  | 'spam-char-lstm'
  | 'names-lstm'
  | 'stocks-gru';

/** Input/output convention of each shipped model. */
export const PRETRAINED_MODELS: Readonly<Record<PretrainedName, { readonly input: string; readonly output: string }>> =
  {
    'mnist-cnn': { input: '[N, 28, 28, 1] float32 in [0, 1]', output: 'softmax probabilities [N, 10]' },
    'mnist-cnn-robust': { input: '[N, 28, 28, 1] float32 in [0, 1]', output: 'softmax probabilities [N, 10]' },
    'mnist-dcgan-generator': {
      input: '[N, latentDim] standard normal (latentDim in the metadata, 100)',
      output: 'images [N, 28, 28, 1] in [0, 1]',
    },
    'spam-lstm': {
      input: 'token ids [N, sequenceLength] (encodeEmail with the metadata encoding)',
      output: 'P(spam) [N, 1]',
    },
    'spam-char-lstm': {
      input: 'character ids [N, maxChars] (encodeEmailChars with the metadata encoding)',
      output: 'P(spam) [N, 1]',
    },
    'names-lstm': {
      input: 'character ids [N, contextLength] (encodeNameContext)',
      output: 'next-character probabilities [N, vocab]',
    },
    'stocks-gru': {
      input: 'scaled log returns [N, windowLength, 1] (encodeSeriesWindow)',
      output: 'next scaled log return [N, 1]',
    },
  };

/** Every shipped model name. */
export const PRETRAINED_NAMES = Object.keys(PRETRAINED_MODELS) as PretrainedName[];
