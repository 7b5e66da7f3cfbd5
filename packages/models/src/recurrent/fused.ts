// What the fused LSTM / GRU layers share: when the fused op can run a call, and how a call's
// inputs (tensor or [tensor, ...states], kwargs.initialState) are unpacked.
import type { Tensor } from '@tensorflow/tfjs-core';
import { RNN_ACTIVATIONS, type RnnActivation } from '@lanes/core';

/** A tfjs-layers layer class as its factory's return value reveals it (with its statics). */
export type LayerClass<Args, Instance> = (new (args: Args) => Instance) & { className: string };

/** tfjs-layers' keyword arguments of `Layer.call`. */
export type Kwargs = Record<string, unknown>;

/** The inputs of one layer call, unpacked. */
export interface RecurrentCall {
  x: Tensor;
  initialState?: Tensor[];
  training: boolean;
  mask: Tensor | null;
}

/** Unpacks `call(inputs, kwargs)` as tfjs-layers' RNN does (states may follow x in `inputs`). */
export function unpackCall(inputs: Tensor | Tensor[], kwargs: Kwargs | undefined): RecurrentCall {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  let initialState = (kwargs?.['initialState'] ?? undefined) as Tensor[] | Tensor | undefined;
  if (initialState !== undefined && !Array.isArray(initialState)) initialState = [initialState];
  if (initialState === undefined && list.length > 1) initialState = list.slice(1);
  return {
    x: list[0],
    initialState,
    training: kwargs?.['training'] === true,
    mask: (kwargs?.['mask'] as Tensor | null | undefined) ?? null,
  };
}

/** The fused ops' name of a tfjs-layers activation object, or undefined when they lack it. */
export function fusedActivation(activation: { getClassName(): string } | undefined): RnnActivation | undefined {
  const name = activation?.getClassName();
  return RNN_ACTIVATIONS.includes(name as RnnActivation) ? (name as RnnActivation) : undefined;
}

/** The parts of a tfjs-layers LSTMCell / GRUCell the fused layers read. */
export interface CellParts {
  units: number;
  kernel: { read(): Tensor };
  recurrentKernel: { read(): Tensor };
  bias: { read(): Tensor } | null;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  dropout: number;
  recurrentDropout: number;
}

/**
 * Why a call cannot run fused (masking, statefulness, dropout while training, an activation the
 * kernels lack), or undefined when it can.
 */
export function unfusableReason(cell: CellParts, call: RecurrentCall, stateful: boolean): string | undefined {
  if (call.mask !== null) return 'a mask';
  if (stateful) return 'stateful: true';
  if (call.training && (cell.dropout > 0 || cell.recurrentDropout > 0)) return 'dropout while training';
  if (!fusedActivation(cell.activation)) return `activation '${cell.activation.getClassName()}'`;
  if (!fusedActivation(cell.recurrentActivation))
    return `recurrentActivation '${cell.recurrentActivation.getClassName()}'`;
  return undefined;
}
