// An LSTM layer that is tfjs-layers' own LSTM (same weights, config, serialisation, masking and
// dropout support) whose call runs the fused `lstm` op of @lanes/core whenever it can: one
// kernel per sequence on 'lanes', the same math as standard ops elsewhere.
import * as tfl from '@tensorflow/tfjs-layers';
import type { LSTMLayerArgs } from '@tensorflow/tfjs-layers';
import { tidy, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D } from '@tensorflow/tfjs-core';
import { lstm } from '@lanes/core';
import { fusedActivation, unfusableReason, unpackCall, type CellParts, type Kwargs, type LayerClass } from './fused.js';

type StockLSTM = ReturnType<typeof tfl.layers.lstm>;
// tfjs-layers exports the LSTM class only through its factory's return value.
const StockLSTMClass = Object.getPrototypeOf(tfl.layers.lstm({ units: 1 })).constructor as LayerClass<
  LSTMLayerArgs,
  StockLSTM
>;

/** Per-step internals of an LSTM layer over a batch of sequences (see {@link LanesLSTM.gates}). */
export interface LSTMGates {
  /** The layer's output (`[batch, time, units]` with returnSequences, else `[batch, units]`). */
  output: Tensor;
  /** Gate activations `[batch, time, 4, units]`, order i, f, c (candidate), o, in output order. */
  gates: Tensor4D;
  /** Cell states `[batch, time, units]`, in output order. */
  cells: Tensor3D;
}

/**
 * tfjs-layers' LSTM with a fused forward and backward pass. Registered for serialisation under
 * tfjs-layers' own class name 'LSTM': models saved with it load in stock tfjs-layers, and
 * LSTM models saved anywhere (tfjs or converted Keras) load as this layer once
 * `@lanes/models` is imported. Calls with a mask, `stateful`, dropout while training or an
 * activation the fused kernels lack run tfjs-layers' own step-by-step code.
 */
export class LanesLSTM extends StockLSTMClass {
  static override className = 'LSTM';

  private cellParts(): CellParts {
    return this.cell as unknown as CellParts;
  }

  /** Why a call runs step by step instead of fused, or undefined when it runs fused. */
  unfusableReason(inputs: Tensor | Tensor[], kwargs?: Kwargs): string | undefined {
    return unfusableReason(this.cellParts(), unpackCall(inputs, kwargs), this.stateful);
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const c = unpackCall(inputs, kwargs);
    if (unfusableReason(this.cellParts(), c, this.stateful) !== undefined) return super.call(inputs, kwargs);
    return tidy(() => {
      const cell = this.cellParts();
      const r = lstm(c.x, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null, {
        returnSequences: this.returnSequences,
        returnState: this.returnState,
        goBackwards: this.goBackwards,
        activation: fusedActivation(cell.activation),
        recurrentActivation: fusedActivation(cell.recurrentActivation),
        initialState: c.initialState as [Tensor2D, Tensor2D] | undefined,
      });
      return this.returnState ? [r.output, ...r.state!] : r.output;
    });
  }

  /**
   * Runs the layer on `x` `[batch, time, features]` and also returns every step's gate
   * activations and cell state (the demo's gate view). The layer must be built.
   */
  gates(x: Tensor, initialState?: [Tensor, Tensor]): LSTMGates {
    const cell = this.cellParts();
    const act = fusedActivation(cell.activation),
      ract = fusedActivation(cell.recurrentActivation);
    if (!act || !ract)
      throw new Error(
        `LanesLSTM.gates: activation ${cell.activation.getClassName()}/${cell.recurrentActivation.getClassName()} is not supported`,
      );
    const r = lstm(x, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null, {
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      activation: act,
      recurrentActivation: ract,
      initialState,
      returnGates: true,
    });
    return { output: r.output, gates: r.gates!, cells: r.cells! };
  }
}

/** Creates a {@link LanesLSTM}: takes exactly `tf.layers.lstm`'s arguments. */
export function lstmLayer(args: LSTMLayerArgs): LanesLSTM {
  return new LanesLSTM(args);
}
