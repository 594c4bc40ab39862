/** Global execution settings (`glow.config`). */
import { availableParallelism } from "node:os";

export interface EngineConfig {
  /** Worker threads for actions. 0 runs partitions on the calling thread. @defaultValue number of cores */
  workers: number;
  /** Partitions in flight per worker (bounds memory). @defaultValue 2 */
  inflightPerWorker: number;
  /** Show a progress bar on a terminal for long actions. @defaultValue true */
  progress: boolean;
  /** Target variants per partition for readers that cut by variant count. */
  variantsPerPartition?: number | undefined;
  /** Target compressed bytes per partition for readers that cut by bytes. */
  bytesPerPartition?: number | undefined;
}

const state: EngineConfig = {
  workers: Math.max(1, availableParallelism()),
  inflightPerWorker: 2,
  progress: true,
};

/**
 * Reads or changes the execution settings.
 * @example `glow.config({ workers: 1 })` for a one-thread run; `glow.config().workers` to read.
 */
export function config(update: Partial<EngineConfig> = {}): Readonly<EngineConfig> {
  for (const [k, v] of Object.entries(update)) {
    if (v === undefined) continue;
    (state as unknown as Record<string, unknown>)[k] = v;
  }
  if (!Number.isInteger(state.workers) || state.workers < 0) state.workers = 1;
  return { ...state };
}
