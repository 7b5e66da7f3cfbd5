import type { BackendReport, GlobalOptions } from '../runtime.js';

/** What commands get from main.ts. */
export interface CommandContext {
  /** The parsed global flags (valid once parsing reached the action). */
  globals(): GlobalOptions;
  /** Loads and selects the backend chosen by --backend / --threads. */
  setup(): Promise<BackendReport>;
  version: string;
}
