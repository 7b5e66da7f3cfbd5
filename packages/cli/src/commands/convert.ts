/**
 * `lanes convert IN OUT`: a model between Keras (`.keras` zip, `.h5` HDF5) and tfjs (a directory of
 * model.json + weights.bin). The input's format is told by its bytes, the output's by its name:
 * `*.keras` is written as a Keras 3 zip, anything else but `*.h5` as a tfjs directory.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CliError } from '../errors.js';
import { FORMAT_NAMES, loadModel, type ModelFormat } from '../model_files.js';
import { writeAtomic } from '../png.js';
import type { CommandContext } from './context.js';

/** One layer of the converted model. */
interface LayerSummary {
  name: string;
  className: string;
  /** Output shape, `null` for the batch (and any free) dimension; one per output for multi-output layers. */
  outputShape: (number | null)[] | (number | null)[][];
  params: number;
}

/** What `lanes convert --json` prints. */
interface ConvertReport {
  input: string;
  inputFormat: ModelFormat;
  output: string;
  outputFormat: ModelFormat;
  /** Bytes written (the `.keras` file, or model.json + weights.bin). */
  bytes: number;
  layers: LayerSummary[];
  params: number;
  inputShapes: (number | null)[][];
  outputShapes: (number | null)[][];
  seconds: number;
}

/** The format an output path asks for, by its name. */
function outputFormatOf(out: string): ModelFormat {
  const lower = out.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  return 'tfjs';
}

/** Layers, parameter count and shapes of a model. */
function summarize(model: tfl.LayersModel): Pick<ConvertReport, 'layers' | 'params' | 'inputShapes' | 'outputShapes'> {
  return {
    layers: model.layers.map((l) => ({
      name: l.name,
      className: l.getClassName(),
      outputShape: l.outputShape as LayerSummary['outputShape'],
      params: l.countParams(),
    })),
    params: model.countParams(),
    inputShapes: model.inputs.map((t) => t.shape),
    outputShapes: model.outputs.map((t) => t.shape),
  };
}

const shape = (s: readonly (number | null)[]): string => `[${s.map((d) => d ?? 'N').join(', ')}]`;

/** Converts the model at `input` (file, directory or shipped name) into `output`, and reports what it holds. */
export async function convert(ctx: CommandContext, input: string, output: string): Promise<void> {
  const outputFormat = outputFormatOf(output);
  // Refused before any loading: the user learns at once what to write instead.
  if (outputFormat === 'h5') throw new CliError('writing .h5 is not supported; write .keras', undefined, 1);
  const out = resolve(output);
  if (outputFormat === 'tfjs' && existsSync(out) && !statSync(out).isDirectory())
    throw new CliError(
      `${out} is a file, and a tfjs model is a directory (model.json + weights.bin)`,
      'pass a directory, or a name ending in .keras for a Keras file',
      2,
    );
  await ctx.setup();
  const t0 = performance.now();
  const { model, path, format } = await loadModel(input, 'mnist-cnn', 'lanes train mnist-cnn --out DIR');
  const summary = summarize(model);
  let bytes: number;
  try {
    if (outputFormat === 'keras') {
      const { saveKerasModel } = await import('@lanes/models');
      let file: Uint8Array;
      try {
        file = await saveKerasModel(model);
      } catch (e) {
        throw new CliError(
          `cannot write ${path} as a .keras file: ${(e as Error).message.split('\n')[0]}`,
          'keep it as a tfjs directory (an OUT not ending in .keras)',
        );
      }
      await writeAtomic(out, file);
      bytes = file.byteLength;
    } else {
      const node = await import('@lanes/models/node');
      await model.save(node.fileSystemHandler(out));
      bytes = [node.MODEL_JSON, node.WEIGHTS_BIN].reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
    }
  } finally {
    model.dispose();
  }
  const report: ConvertReport = {
    input: path,
    inputFormat: format,
    output: out,
    outputFormat,
    bytes,
    ...summary,
    seconds: (performance.now() - t0) / 1000,
  };
  if (ctx.globals().json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`${path} (${FORMAT_NAMES[format]}) → ${out} (${FORMAT_NAMES[outputFormat]}, ${bytes} bytes)`);
  console.log(
    `  ${report.layers.length} layers, ${report.params.toLocaleString('en')} parameters; input ${report.inputShapes.map(shape).join(', ')} → output ${report.outputShapes.map(shape).join(', ')}`,
  );
  const width = Math.max(...report.layers.map((l) => l.name.length + l.className.length + 3));
  for (const l of report.layers) {
    const s = Array.isArray(l.outputShape[0])
      ? (l.outputShape as (number | null)[][]).map(shape).join(', ')
      : shape(l.outputShape as (number | null)[]);
    console.log(`  ${`${l.name} (${l.className})`.padEnd(width)}  ${s.padEnd(20)} ${l.params.toLocaleString('en')}`);
  }
}
