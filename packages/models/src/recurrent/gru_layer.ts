// A GRU layer that is tfjs-layers' own GRU (same weights, config, serialisation, masking and
// dropout support) whose call runs the fused `gru` op of @lanes/core whenever it can, plus
// Keras' reset_after variant, which tfjs-layers lacks.
import * as tfl from '@tensorflow/tfjs-layers';
import type { GRUCellLayerArgs, GRULayerArgs } from '@tensorflow/tfjs-layers';
import { tidy, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { gru } from '@lanes/core';
import { fusedActivation, unfusableReason, unpackCall, type CellParts, type Kwargs, type LayerClass } from './fused.js';

type StockGRU = ReturnType<typeof tfl.layers.gru>;
type StockGRUCell = ReturnType<typeof tfl.layers.gruCell>;
// tfjs-layers exports these classes only through their factories' return values.
const StockGRUClass = Object.getPrototypeOf(tfl.layers.gru({ units: 1 })).constructor as LayerClass<
  GRULayerArgs,
  StockGRU
>;
const StockGRUCellClass = Object.getPrototypeOf(tfl.layers.gruCell({ units: 1 })).constructor as LayerClass<
  GRUCellLayerArgs,
  StockGRUCell
>;

/** `tf.layers.gru`'s arguments plus Keras' `resetAfter`. */
export interface LanesGRUArgs extends GRULayerArgs {
  /**
   * Keras' `reset_after`: the reset gate multiplies `h·U_h + b_rh` instead of gating h before
   * the product; the bias is then `[2, 3·units]` (input row, recurrent row). Keras 2's default;
   * tfjs-layers supports only false. Default false.
   */
  resetAfter?: boolean;
}

type AddWeight = (
  name: string,
  shape: number[],
  dtype: null,
  initializer: unknown,
  regularizer: unknown,
  trainable: boolean,
  constraint: unknown,
) => { read(): Tensor };

/** GRUCell whose weights follow Keras' reset_after layout when asked (bias [2, 3·units]). */
class ResetAfterGRUCell extends StockGRUCellClass {
  static override className = 'GRUCell';
  readonly resetAfter: boolean;

  constructor(args: GRUCellLayerArgs & { resetAfter?: boolean }) {
    // tfjs-layers' GRUCell refuses resetAfter: build the rest, then take it over here.
    super({ ...args, resetAfter: false });
    this.resetAfter = args.resetAfter ?? false;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    if (!this.resetAfter) return super.build(inputShape);
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const inputDim = shape[shape.length - 1] as number;
    const self = this as unknown as Record<string, unknown> & { addWeight: AddWeight; units: number; useBias: boolean };
    const u = self.units;
    self.kernel = self.addWeight(
      'kernel',
      [inputDim, 3 * u],
      null,
      self.kernelInitializer,
      self.kernelRegularizer,
      true,
      self.kernelConstraint,
    );
    self.recurrentKernel = self.addWeight(
      'recurrent_kernel',
      [u, 3 * u],
      null,
      self.recurrentInitializer,
      self.recurrentRegularizer,
      true,
      self.recurrentConstraint,
    );
    self.bias = self.useBias
      ? self.addWeight('bias', [2, 3 * u], null, self.biasInitializer, self.biasRegularizer, true, self.biasConstraint)
      : null;
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    if (this.resetAfter) throw new Error('GRUCell: resetAfter runs only as a whole LanesGRU layer (fused)');
    return super.call(inputs, kwargs);
  }

  override getConfig(): ReturnType<StockGRUCell['getConfig']> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}

/** tfjs-layers' GRU refuses resetAfter: its part of the layer is built without it. */
function withoutResetAfter(args: LanesGRUArgs): GRULayerArgs {
  const rest: LanesGRUArgs = { ...args };
  delete rest.resetAfter;
  return rest;
}

/** Per-step internals of a GRU layer over a batch of sequences (see {@link LanesGRU.gates}). */
export interface GRUGates {
  /** The layer's output (`[batch, time, units]` with returnSequences, else `[batch, units]`). */
  output: Tensor;
  /** Gate activations `[batch, time, 3, units]`, order z, r, h (candidate), in output order. */
  gates: Tensor4D;
}

/**
 * tfjs-layers' GRU with a fused forward and backward pass, and Keras' `resetAfter` variant.
 * Registered for serialisation under tfjs-layers' own class name 'GRU': models saved with it
 * load in stock tfjs-layers (resetAfter: false, tfjs-layers' only variant), and GRU models saved
 * anywhere (tfjs, or converted Keras with either variant) load as this layer once
 * `@lanes/models` is imported. Calls with a mask, `stateful`, dropout while training or an
 * activation the fused kernels lack run tfjs-layers' own step-by-step code (resetAfter: false).
 */
export class LanesGRU extends StockGRUClass {
  static override className = 'GRU';
  readonly resetAfter: boolean;

  constructor(args: LanesGRUArgs) {
    super(withoutResetAfter(args));
    this.resetAfter = args.resetAfter ?? false;
    if (this.resetAfter) (this as unknown as { cell: unknown }).cell = new ResetAfterGRUCell(args);
  }

  private cellParts(): CellParts {
    return this.cell as unknown as CellParts;
  }

  /** Why a call runs step by step instead of fused, or undefined when it runs fused. */
  unfusableReason(inputs: Tensor | Tensor[], kwargs?: Kwargs): string | undefined {
    return unfusableReason(this.cellParts(), unpackCall(inputs, kwargs), this.stateful);
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const c = unpackCall(inputs, kwargs);
    const reason = unfusableReason(this.cellParts(), c, this.stateful);
    if (reason !== undefined) {
      if (this.resetAfter) throw new Error(`LanesGRU: resetAfter runs only fused, which ${reason} prevents`);
      return super.call(inputs, kwargs);
    }
    return tidy(() => {
      const cell = this.cellParts();
      const r = gru(c.x, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null, {
        returnSequences: this.returnSequences,
        returnState: this.returnState,
        goBackwards: this.goBackwards,
        activation: fusedActivation(cell.activation),
        recurrentActivation: fusedActivation(cell.recurrentActivation),
        resetAfter: this.resetAfter,
        initialState: c.initialState?.[0],
      });
      return this.returnState ? [r.output, r.state!] : r.output;
    });
  }

  /**
   * Runs the layer on `x` `[batch, time, features]` and also returns every step's gate
   * activations (the demo's gate view). The layer must be built.
   */
  gates(x: Tensor, initialState?: Tensor): GRUGates {
    const cell = this.cellParts();
    const act = fusedActivation(cell.activation),
      ract = fusedActivation(cell.recurrentActivation);
    if (!act || !ract)
      throw new Error(
        `LanesGRU.gates: activation ${cell.activation.getClassName()}/${cell.recurrentActivation.getClassName()} is not supported`,
      );
    const r = gru(x, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null, {
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      activation: act,
      recurrentActivation: ract,
      resetAfter: this.resetAfter,
      initialState,
      returnGates: true,
    });
    return { output: r.output, gates: r.gates! };
  }
}

/** Creates a {@link LanesGRU}: takes `tf.layers.gru`'s arguments plus `resetAfter`. */
export function gruLayer(args: LanesGRUArgs): LanesGRU {
  return new LanesGRU(args);
}
