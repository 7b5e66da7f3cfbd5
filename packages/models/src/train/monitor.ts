/** Tracks the best value of a monitored log entry (early stopping, "save only improved"). */
import type { Logs } from './callbacks.js';

/** Best-value bookkeeping for one log entry. */
export class Monitor {
  /** Best value so far (±Infinity before the first). */
  best: number;
  /** Epoch of the best value, or -1. */
  bestEpoch = -1;
  /** Epochs since the last improvement. */
  wait = 0;
  private readonly sign: number;

  constructor(
    readonly key: string,
    mode: 'min' | 'max' | undefined,
    private readonly minDelta = 0,
  ) {
    const m = mode ?? (key.includes('acc') ? 'max' : 'min');
    this.sign = m === 'max' ? 1 : -1;
    this.best = -this.sign * Infinity;
  }

  /** Records an epoch's logs; returns whether the value improved. @throws if the key is missing. */
  update(epoch: number, logs: Logs): boolean {
    const v = logs[this.key];
    if (v === undefined)
      throw new Error(`monitored value '${this.key}' is not in the logs (${Object.keys(logs).join(', ')})`);
    if (this.sign * (v - this.best) > this.minDelta || this.bestEpoch < 0) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      return true;
    }
    this.wait++;
    return false;
  }
}
