/**
 * The one epoch/batch loop under {@link trainModel} and `GanTrainer.fit`: batch and epoch
 * callbacks, progress and ETA, cancellation, the time budget and event-loop yields. What a step
 * is, and what an epoch's end adds (validation, early stopping, checkpoints), the trainers say.
 */
import { yieldToEventLoop } from '../yield.js';
import { runProgress, type Logs, type RunControl, type StopReason } from './callbacks.js';

/** The plan of a run: its epochs and the batches of each. */
export interface EpochPlan extends RunControl {
  /** Passes planned. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly batches: number;
}

/** What a trainer does inside the loop. */
export interface EpochHooks {
  /** The batches of `epoch`, each a list of sample indices. */
  batchesOf(epoch: number): Iterable<Int32Array>;
  /** Trains on one batch; `progress` is {@link runProgress} before it. Returns the batch's logs. */
  step(idx: Int32Array, epoch: number, progress: number): Promise<Logs>;
  /**
   * After an epoch's batches (the last one possibly cut short by the time limit): gets the
   * sample-weighted means of the batch logs, returns the epoch's logs (e.g. plus validation) and
   * 'early-stopping' to stop the run.
   */
  endEpoch(epoch: number, means: Logs): Promise<{ logs: Logs; stop?: 'early-stopping' }>;
}

/** What {@link runEpochs} did. */
export interface EpochRun {
  /**
   * Logs of each epoch run, in order. When the time limit ends an epoch early it is still
   * recorded (means over its batches, then `endEpoch`), so the last entry describes the weights
   * the run leaves; an aborted epoch is not.
   */
  readonly history: Logs[];
  /** Logs of every batch, in order. */
  readonly steps: Logs[];
  /** Why the run ended. */
  readonly stopReason: StopReason;
  /** Epochs run to their last batch (a time-limited last epoch is in `history` but not counted). */
  readonly epochsCompleted: number;
  /** Wall time in milliseconds. */
  readonly elapsedMs: number;
}

/** Runs `plan.epochs` epochs of `hooks.step`, reporting to the plan's callbacks. */
export async function runEpochs(plan: EpochPlan, hooks: EpochHooks): Promise<EpochRun> {
  const { epochs, batches } = plan;
  const totalSteps = batches * epochs;
  const history: Logs[] = [];
  const steps: Logs[] = [];
  const t0 = performance.now();
  let stopReason: StopReason = 'completed';
  let epochsCompleted = 0;
  for (let epoch = 0; epoch < epochs && stopReason === 'completed'; epoch++) {
    const sums: Logs = {};
    let seen = 0;
    let batch = 0;
    for (const idx of hooks.batchesOf(epoch)) {
      if (plan.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const progress = runProgress(steps.length, totalSteps, performance.now() - t0, plan.timeLimitMs);
      const logs = await hooks.step(idx, epoch, progress);
      for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v * idx.length;
      seen += idx.length;
      steps.push(logs);
      const elapsedMs = performance.now() - t0;
      await plan.onBatchEnd?.({
        epoch,
        epochs,
        batch,
        batches,
        step: steps.length,
        totalSteps,
        logs,
        elapsedMs,
        etaMs: etaOf(elapsedMs, steps.length, totalSteps, plan.timeLimitMs),
      });
      batch++;
      await yieldToEventLoop();
      if (plan.timeLimitMs !== undefined && elapsedMs >= plan.timeLimitMs) {
        stopReason = 'time-limit';
        break;
      }
    }
    if (stopReason === 'aborted' || batch === 0) break;
    if (batch === batches) epochsCompleted++;
    const means: Logs = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seen]));
    const end = await hooks.endEpoch(epoch, means);
    history.push(end.logs);
    if (end.stop && stopReason === 'completed') stopReason = end.stop;
    const elapsedMs = performance.now() - t0;
    await plan.onEpochEnd?.({
      epoch,
      epochs,
      logs: end.logs,
      elapsedMs,
      etaMs: stopReason === 'completed' ? etaOf(elapsedMs, epoch + 1, epochs, plan.timeLimitMs) : 0,
    });
  }
  return { history, steps, stopReason, epochsCompleted, elapsedMs: performance.now() - t0 };
}

/** Milliseconds left: by the mean time per step, capped by the time budget. */
function etaOf(elapsedMs: number, step: number, totalSteps: number, timeLimitMs?: number): number {
  const byWork = (elapsedMs / Math.max(1, step)) * (totalSteps - step);
  return timeLimitMs === undefined ? byWork : Math.max(0, Math.min(byWork, timeLimitMs - elapsedMs));
}
