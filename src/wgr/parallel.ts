/**
 * Runs GloWGR's ridge fits on worker threads: the reduce groups (header blocks at level 0, labels
 * at level 1) are independent, so each is one task executing map → reduce → solve in a worker
 * (see fit-worker.ts). The groups and their model blocks keep the calling thread's order and each
 * group runs the same code, so the result is identical for any number of workers.
 *
 * The pool is separate from the engine's partition pool (its task type is different); it uses
 * `glow.config().workers` threads and stops after 2 s idle.
 */
import { GlowtsError } from "../core/errors.js";
import { config } from "../engine/config.js";
import { ActionStop, WorkerPool, onShutdown, type StopOptions } from "../engine/pool.js";
import type { AlphaDict } from "./alphas.js";
import type { BlockMatrix, SampleBlocks } from "./block-matrix.js";
import type { FitReply, FitTask, TablePayload } from "./fit-worker.js";
import { RidgeModel, groupRows, ridgeFit, type GroupMode, type RidgeModelBlock, type RidgeSolver, type WgrInputs } from "./ridge-stages.js";
import type { SampleTable } from "./sample-table.js";

/** Below this many matrix values in total, fits run on the calling thread. */
export const PARALLEL_MIN_VALUES = 4_000_000;

// The engine's WorkerPool: dead workers replaced, heap cap, stoppable tasks, never keeps node alive.
const pool = new WorkerPool(new URL("./fit-worker.js", import.meta.url).href);

/**
 * Runs one fit task on the fit pool (`workers` threads), with `transferList` buffers moved to the
 * worker instead of copied (the streamed level 0 sends each header block this way).
 */
export function runOnFitPool<R>(task: unknown, workers: number, what: string, transferList?: ArrayBuffer[]): Promise<R> {
  return pool.run<R>(task, workers, { what, record: what }, undefined, transferList);
}

/** Stops GloWGR's worker threads (they also stop by themselves after 2 s idle). */
export async function shutdownWgrWorkers(): Promise<void> {
  await pool.destroy();
}

onShutdown(shutdownWgrWorkers);

function tablePayload(t: SampleTable): TablePayload {
  return { index: t.index, columns: t.columns, values: t.values };
}

/** The row groups of a fit: one per reduce group (header block + label), in the calling thread's order. */
export function fitBuckets(bm: BlockMatrix, mode: GroupMode): number[][] {
  const buckets = new Map<string, number[]>();
  for (const g of groupRows(bm, mode)) {
    const k = `${g.headerBlock}\u0000${g.label}`;
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(...g.rows);
  }
  return [...buckets.values()];
}

/** The task of one reduce group, its rows copied out of the block matrix (views kept with `copy: false`). */
export function fitTask(bm: BlockMatrix, rows: readonly number[], mode: GroupMode, inputs: WgrInputs, alphas: AlphaDict, solver: RidgeSolver, copy = true): FitTask {
  const blocks = new Set(rows.map((i) => bm.sampleBlock[i]!));
  const sampleBlocks: SampleBlocks = {};
  for (const sb of blocks) sampleBlocks[sb] = inputs.ids(sb);
  return {
    mode,
    rows: {
      header: rows.map((i) => bm.header[i]!),
      size: Int32Array.from(rows, (i) => bm.size[i]!),
      values: rows.map((i) => (copy ? bm.values[i]!.slice() : bm.values[i]!)),
      indices: bm.indices ? rows.map((i) => bm.indices![i]?.slice() ?? null) : null,
      headerBlock: rows.map((i) => bm.headerBlock[i]!),
      sampleBlock: rows.map((i) => bm.sampleBlock[i]!),
      sortKey: Float64Array.from(rows, (i) => bm.sortKey[i]!),
      mu: Float64Array.from(rows, (i) => bm.mu[i]!),
      sig: Float64Array.from(rows, (i) => bm.sig[i]!),
      alpha: bm.alpha ? rows.map((i) => bm.alpha![i]!) : null,
      label: bm.label ? rows.map((i) => bm.label![i]!) : null,
    },
    labels: tablePayload(inputs.labels), cov: tablePayload(inputs.cov), sampleBlocks, alphas, solver,
  };
}

/**
 * Map → reduce → solve over all groups, on `workers` threads (default `glow.config().workers`) when
 * the matrix is large enough, else on the calling thread. Same result either way. At most
 * 2 × workers groups are in flight, which bounds the copied memory.
 */
export async function ridgeFitParallel(
  bm: BlockMatrix, mode: GroupMode, inputs: WgrInputs, alphas: AlphaDict, solver: RidgeSolver, workers?: number,
  minValues = PARALLEL_MIN_VALUES, stopOptions: StopOptions = {},
): Promise<RidgeModel> {
  const w = workers ?? config().workers;
  let total = 0;
  for (let i = 0; i < bm.numRows; i++) total += bm.size[i]!;
  const buckets = fitBuckets(bm, mode);
  if (w <= 1 || buckets.length <= 1 || total < minValues) return ridgeFit(bm, mode, inputs, alphas, solver);
  const stop = new ActionStop("GloWGR ridge fit", stopOptions);
  const results: RidgeModelBlock[][] = new Array(buckets.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < buckets.length && !failed) {
      const i = next++;
      const what = `reduce group ${i + 1} of ${buckets.length} (header block ${bm.headerBlock[buckets[i]![0]!]})`;
      const r = await pool.run<FitReply>(fitTask(bm, buckets[i]!, mode, inputs, alphas, solver), w, { what, record: what }, stop);
      if (r.error) throw GlowtsError.fromJSON(r.error);
      results[i] = r.blocks!;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(buckets.length, 2 * w) }, () => lane().catch((e: unknown) => {
      // The first failure stops the other lanes' running fits (their workers are replaced).
      if (!failed) { failed = true; stop.abort(); }
      throw e;
    })));
  } finally {
    stop.dispose();
  }
  return new RidgeModel(results.flat());
}
