/** Global execution settings (`glow.config`). */
import { availableParallelism, totalmem } from "node:os";
import { GlowtsError } from "../core/errors.js";

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
  /**
   * Heap cap of each worker thread in MB (V8's old generation; typed-array data is outside it). A
   * partition that exceeds it fails with `WORKER_OUT_OF_MEMORY` and its worker is replaced.
   * @defaultValue half the machine's memory shared by the workers, at least 512 MB
   */
  workerHeapMb?: number | undefined;
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
  if (state.workerHeapMb !== undefined && !(Number.isFinite(state.workerHeapMb) && state.workerHeapMb >= 16)) {
    const bad = state.workerHeapMb;
    delete state.workerHeapMb;
    throw new GlowtsError("OPTION", `config: option 'workerHeapMb' must be a number of megabytes ≥ 16; got ${String(bad)}`, { option: "workerHeapMb" });
  }
  return { ...state };
}

/** The heap cap in MB of each of `threads` worker threads (`workerHeapMb` or the default). */
export function workerHeapCap(threads: number): number {
  const set = state.workerHeapMb;
  if (set !== undefined) return Math.round(set);
  return Math.max(512, Math.floor(totalmem() / 2 ** 20 / 2 / Math.max(1, threads)));
}
